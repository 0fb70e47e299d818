// The acceptor, the workers and the deadline watchdog (see Listener.h).
#include "service/Listener.h"

#include "service/ApiRequestHandler.h"
#include "service/HttpFraming.h"
#include "service/PageFront.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace caseflow::service {
namespace {

using Clock = std::chrono::steady_clock;

// A head larger than this is refused (431) before Poco sees it; Poco's own limits (8 KiB per
// field value, 100 fields, 16 KiB of target) fit inside.
constexpr std::size_t kMaxHeadBytes = 32 * 1024;
// How long a closing connection is given to stop sending before it is cut, and how much of
// what it still sends is thrown away meanwhile: long enough for it to read our answer.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 4 * 1024 * 1024;
// How long a worker that has just answered on a kept-alive connection waits for that
// connection's next head before handing it back to the acceptor. A client that sends its next
// request at once (a browser's or a script's next call) is then served without two thread
// hand-offs; a client that does not costs the worker this long, and only when no other
// connection is queued for a worker.
constexpr int kNextHeadWaitMs = 5;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {
        if (fd_ < 0) throw Poco::IOException("cannot create the acceptor's event descriptors");
    }
    ~FileDescriptor() { ::close(fd_); }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// Poco's server session, with the count of bytes it has read past the current request
// (pipelined requests): those would be lost if the connection went back to the acceptor.
class Session : public Poco::Net::HTTPServerSession {
public:
    using HTTPServerSession::buffered;
    using HTTPServerSession::HTTPServerSession;
};

struct Connection {
    Poco::Net::StreamSocket socket;
    std::string address;
    int served = 0; // requests answered on it so far
};

struct Job {
    Connection connection;
    std::string head; // the complete head as the acceptor saw it (plain TCP only)
    Clock::time_point headDeadline;
};

enum class Verdict { KeepAlive, Linger, Close };

struct Waiting {
    Connection connection;
    Clock::time_point deadline;
    bool keptAlive = false; // between two requests: the head deadline starts at its first byte
    bool started = false;   // some bytes of a head have arrived
    bool lingering = false; // answered and closing: what arrives is thrown away
    std::size_t discarded = 0;
};

int fdOf(const Poco::Net::Socket& socket) {
    return socket.impl()->sockfd();
}

// Best effort, never blocking: the acceptor must not wait on any one client.
void sendWithoutWaiting(const Poco::Net::StreamSocket& socket, const std::string& bytes) {
    [[maybe_unused]] const auto sent = ::send(fdOf(socket), bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

void sendAll(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    for (std::size_t at = 0; at < bytes.size();) {
        const int sent = socket.sendBytes(bytes.data() + at, static_cast<int>(bytes.size() - at));
        if (sent <= 0) return;
        at += static_cast<std::size_t>(sent);
    }
}

} // namespace

struct Listener::Impl {
    Impl(ServiceState& serviceState, Poco::Net::ServerSocket socket, bool secure)
        : state(serviceState), config(serviceState.config), listening(std::move(socket)), tls(secure),
          epoll(::epoll_create1(EPOLL_CLOEXEC)), wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
          params(Poco::makeAuto<Poco::Net::HTTPServerParams>()) {
        params->setKeepAlive(true);
        params->setKeepAliveTimeout(Poco::Timespan(config.keepAliveSeconds, 0));
        params->setMaxKeepAliveRequests(config.maxKeepAliveRequests);
        params->setTimeout(Poco::Timespan(config.socketTimeoutSeconds, 0));
        params->setServerName("caseflow");
        params->setSoftwareVersion(std::string("caseflow/") + CASEFLOW_VERSION);
        peekBuffer.resize(kMaxHeadBytes);
    }

    ServiceState& state;
    const ServiceConfig& config;
    Poco::Net::ServerSocket listening;
    const bool tls;
    FileDescriptor epoll;
    FileDescriptor wake;
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params;

    // The acceptor's own: connections between requests, and how many each address holds.
    std::unordered_map<int, Waiting> waiting;
    std::unordered_map<std::string, int> perAddress;
    std::vector<char> peekBuffer;

    // Shared with the workers, under `mutex`.
    mutable std::mutex mutex;
    std::condition_variable workAvailable;
    std::condition_variable allIdle;
    std::deque<Job> queue;
    std::vector<std::pair<Connection, Verdict>> returned;
    std::map<int, std::pair<Clock::time_point, bool>> armed; // fd -> deadline, fired
    std::map<int, int> active;                               // fds being served -> count
    int busy = 0;
    bool stopping = false;
    // When the acceptor wakes up next at the latest: arming a later deadline need not wake it.
    mutable Clock::time_point acceptorWakesBy = Clock::time_point::min();

    std::thread acceptor;
    std::vector<std::thread> workers;

    // ---- the acceptor -------------------------------------------------------------------

    void notifyAcceptor() {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(wake.get(), &one, sizeof one);
    }

    void watch(int fd) {
        epoll_event event{};
        event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
        event.data.fd = fd;
        ::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, fd, &event);
    }

    bool hasRoomFor(const std::string& address) const {
        const auto held = perAddress.find(address);
        return static_cast<int>(waiting.size()) < config.maxWaitingConnections &&
               (held == perAddress.end() || held->second < config.maxWaitingPerAddress);
    }

    void hold(Waiting entry) {
        const int fd = fdOf(entry.connection.socket);
        ++perAddress[entry.connection.address];
        waiting.emplace(fd, std::move(entry));
        watch(fd);
    }

    Waiting release(std::unordered_map<int, Waiting>::iterator at) {
        ::epoll_ctl(epoll.get(), EPOLL_CTL_DEL, at->first, nullptr);
        Waiting entry = std::move(at->second);
        waiting.erase(at);
        if (auto held = perAddress.find(entry.connection.address); held != perAddress.end() && --held->second <= 0)
            perAddress.erase(held);
        return entry;
    }

    void close(std::unordered_map<int, Waiting>::iterator at) {
        Waiting entry = release(at);
        try {
            entry.connection.socket.close();
        } catch (const Poco::Exception&) {
        }
    }

    // Answered and closing: the client may still be sending (a refused body); reading and
    // dropping that for a moment lets it read the answer instead of a connection reset.
    void linger(Connection connection, Clock::time_point now) {
        try {
            connection.socket.shutdownSend();
        } catch (const Poco::Exception&) {
            connection.socket.close();
            return;
        }
        Waiting entry{std::move(connection), now + kLingerTime};
        entry.lingering = true;
        hold(std::move(entry));
    }

    void refuseBusy(Poco::Net::StreamSocket& socket) {
        if (!tls)
            sendWithoutWaiting(socket,
                               rawProblemResponse(Problem(ProblemKind::ServerBusy,
                                                          "Too many connections are waiting; try again in a moment."),
                                                  "", state.nextRequestId++));
        socket.close();
    }

    void acceptOne(Clock::time_point now) {
        Poco::Net::StreamSocket socket;
        std::string address;
        try {
            socket = listening.acceptConnection();
            socket.setNoDelay(true);
            address = socket.peerAddress().host().toString();
        } catch (const Poco::Exception&) {
            return; // the client left before we accepted it, or descriptors ran out
        }
        if (!hasRoomFor(address)) return refuseBusy(socket);
        hold(Waiting{Connection{std::move(socket), std::move(address)},
                     now + std::chrono::seconds(config.headTimeoutSeconds)});
    }

    void dispatch(Job job) {
        {
            std::lock_guard lock(mutex);
            if (static_cast<int>(queue.size()) < config.maxQueued) {
                queue.push_back(std::move(job));
                workAvailable.notify_one();
                return;
            }
        }
        refuseBusy(job.connection.socket);
    }

    void onReadable(int fd, std::uint32_t events, Clock::time_point now) {
        auto at = waiting.find(fd);
        if (at == waiting.end()) return;
        Waiting& entry = at->second;
        if (entry.lingering) {
            for (;;) {
                const auto got = ::recv(fd, peekBuffer.data(), peekBuffer.size(), MSG_DONTWAIT);
                if (got > 0 && (entry.discarded += static_cast<std::size_t>(got)) < kLingerBytes) continue;
                if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
                return close(at); // end of stream, an error, or more than we are willing to drop
            }
        }
        if (!entry.started && entry.keptAlive) entry.deadline = now + std::chrono::seconds(config.headTimeoutSeconds);
        entry.started = true;
        if (tls) {
            Waiting taken = release(at);
            return dispatch(Job{std::move(taken.connection), "", taken.deadline});
        }
        const auto got = ::recv(fd, peekBuffer.data(), peekBuffer.size(), MSG_PEEK | MSG_DONTWAIT);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return close(at);
        if (got < 0) return;
        const std::string_view bytes(peekBuffer.data(), static_cast<std::size_t>(got));
        if (const auto end = headLength(bytes); end != std::string_view::npos) {
            Waiting taken = release(at);
            return dispatch(Job{std::move(taken.connection), std::string(bytes.substr(0, end)), taken.deadline});
        }
        if (bytes.size() >= kMaxHeadBytes) {
            Waiting taken = release(at);
            sendWithoutWaiting(taken.connection.socket,
                               rawProblemResponse(Problem(ProblemKind::HeaderTooLarge,
                                                          "The request head is larger than {limit} bytes.")
                                                      .arg("limit", std::to_string(kMaxHeadBytes)),
                                                  bytes, state.nextRequestId++));
            return linger(std::move(taken.connection), now);
        }
        // The client closed its side before its head was complete: there is nothing to answer.
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) close(at);
    }

    void takeReturned(Clock::time_point now) {
        std::vector<std::pair<Connection, Verdict>> back;
        {
            std::lock_guard lock(mutex);
            back.swap(returned);
        }
        for (auto& [connection, verdict] : back) {
            if (verdict == Verdict::Linger) {
                linger(std::move(connection), now);
            } else if (verdict == Verdict::KeepAlive && hasRoomFor(connection.address)) {
                Waiting entry{std::move(connection), now + std::chrono::seconds(config.keepAliveSeconds)};
                entry.keptAlive = true;
                hold(std::move(entry));
            } else {
                connection.socket.close();
            }
        }
    }

    void expire(Clock::time_point now) {
        for (auto at = waiting.begin(); at != waiting.end();) {
            auto next = std::next(at);
            Waiting& entry = at->second;
            if (entry.deadline <= now) {
                if (entry.lingering || !entry.started || tls) {
                    close(at);
                } else {
                    // A head that was started and never finished: say why before closing.
                    const auto got = ::recv(at->first, peekBuffer.data(), peekBuffer.size(), MSG_PEEK | MSG_DONTWAIT);
                    const std::string_view partial(peekBuffer.data(), got > 0 ? static_cast<std::size_t>(got) : 0);
                    Waiting taken = release(at);
                    sendWithoutWaiting(taken.connection.socket,
                                       rawProblemResponse(Problem(ProblemKind::RequestTimeout,
                                                                  "The request head did not arrive in time."),
                                                          partial, state.nextRequestId++));
                    linger(std::move(taken.connection), now);
                }
            }
            at = next;
        }
        // The watchdog: a read that outlives its deadline has its socket's read side shut,
        // which ends the read at once, however Poco happens to be reading.
        std::lock_guard lock(mutex);
        for (auto& [fd, deadline] : armed)
            if (!deadline.second && deadline.first <= now) {
                ::shutdown(fd, SHUT_RD);
                deadline.second = true;
            }
    }

    int nextTimeoutMs(Clock::time_point now) const {
        auto next = now + std::chrono::seconds(1);
        for (const auto& [fd, entry] : waiting) next = std::min(next, entry.deadline);
        {
            std::lock_guard lock(mutex);
            for (const auto& [fd, deadline] : armed)
                if (!deadline.second) next = std::min(next, deadline.first);
            acceptorWakesBy = next;
        }
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
        return static_cast<int>(std::max<long long>(0, wait) + 1); // +1: wake up after, not just before
    }

    void runAcceptor() {
        const int listenFd = fdOf(listening);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = listenFd;
        ::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, listenFd, &event);
        event.data.fd = wake.get();
        ::epoll_ctl(epoll.get(), EPOLL_CTL_ADD, wake.get(), &event);
        std::vector<epoll_event> events(128);
        for (;;) {
            {
                std::lock_guard lock(mutex);
                if (stopping) break;
            }
            const int ready =
                ::epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), nextTimeoutMs(Clock::now()));
            const auto now = Clock::now();
            for (int n = 0; n < ready; ++n) {
                const int fd = events[static_cast<std::size_t>(n)].data.fd;
                if (fd == listenFd) {
                    acceptOne(now);
                } else if (fd == wake.get()) {
                    std::uint64_t count = 0;
                    [[maybe_unused]] const auto got = ::read(wake.get(), &count, sizeof count);
                    takeReturned(now);
                } else {
                    onReadable(fd, events[static_cast<std::size_t>(n)].events, now);
                }
            }
            expire(Clock::now());
        }
        while (!waiting.empty()) close(waiting.begin());
    }

    // ---- the workers --------------------------------------------------------------------

    void arm(int fd, Clock::time_point deadline) {
        {
            std::lock_guard lock(mutex);
            auto& entry = armed[fd];
            if (entry.second) return; // already fired: the read side stays shut
            entry.first = deadline;
            // The acceptor looks at the deadlines whenever it wakes up, at least once a second:
            // it only needs waking when this deadline comes before its next wake-up.
            if (deadline >= acceptorWakesBy) return;
        }
        notifyAcceptor();
    }

    // Whether the watchdog fired for `fd`; after this it never will.
    bool disarm(int fd) {
        std::lock_guard lock(mutex);
        auto entry = armed.find(fd);
        if (entry == armed.end()) return false;
        const bool fired = entry->second.second;
        armed.erase(entry);
        return fired;
    }

    Verdict answerRaw(Poco::Net::StreamSocket& socket, const Problem& problem, std::string_view head) {
        try {
            sendAll(socket, rawProblemResponse(problem, head, state.nextRequestId++));
        } catch (const Poco::Exception&) {
            return Verdict::Close;
        }
        return Verdict::Linger;
    }

    Verdict serve(Job& job) {
        Poco::Net::StreamSocket& socket = job.connection.socket;
        const int fd = fdOf(socket);
        try {
            socket.setSendTimeout(Poco::Timespan(config.socketTimeoutSeconds, 0));
            socket.setReceiveTimeout(Poco::Timespan(config.socketTimeoutSeconds, 0));
        } catch (const Poco::Exception&) {
            return Verdict::Close;
        }
        // Plain TCP: the head is known before Poco reads it, so ambiguous framing is refused
        // before anything could act on it (Poco itself takes the first Content-Length).
        if (!job.head.empty())
            if (auto problem = headProblem(job.head, config.maxBodyBytes)) return answerRaw(socket, *problem, job.head);

        arm(fd, job.headDeadline);
        Session session(socket, params);
        Verdict verdict = Verdict::Close;
        try {
            Poco::Net::HTTPServerResponseImpl response(session);
            Poco::Net::HTTPServerRequestImpl request(response, session, params);
            Exchange exchange;
            exchange.bodyDeadline = Clock::now() + std::chrono::seconds(config.bodyTimeoutSeconds);
            arm(fd, exchange.bodyDeadline);
            exchange.bodyRead = [this, fd] { disarm(fd); };
            if (job.head.empty()) {
                std::vector<HeadField> fields(request.begin(), request.end());
                exchange.framingProblem = framingProblem(fields, request.getVersion(), config.maxBodyBytes);
            }
            bool stopNow = false;
            {
                std::lock_guard lock(mutex);
                stopNow = stopping;
            }
            response.setDate(Poco::Timestamp());
            response.setVersion(request.getVersion());
            response.setKeepAlive(request.getKeepAlive() && job.connection.served + 1 < config.maxKeepAliveRequests &&
                                  !stopNow);
            response.set("Server", "caseflow");
            if (state.pages && !isApiPath(request.getURI()))
                state.pages->handleRequest(state, exchange, request, response);
            else
                ApiRequestHandler(state, exchange).handleRequest(request, response);
            ++job.connection.served;
            const bool pipelined = session.buffered() > 0;
            if (disarm(fd) || !response.sent()) return Verdict::Close; // the read side is shut, or it failed
            verdict = response.getKeepAlive() && !pipelined ? Verdict::KeepAlive : Verdict::Linger;
        } catch (const Poco::Net::NoMessageException&) {
            verdict = Verdict::Close; // closed (or timed out) before a request
        } catch (const Poco::Net::MessageException&) {
            verdict = answerRaw(socket, Problem(ProblemKind::BadRequest, "The request head is malformed."), "");
        } catch (const Poco::SyntaxException&) {
            verdict =
                answerRaw(socket, Problem(ProblemKind::BadRequest, "Content-Length must be a number of bytes."), "");
        } catch (const std::exception&) {
            verdict = Verdict::Close;
        }
        disarm(fd);
        // The session would close the socket when it goes: the connection lives on without it.
        job.connection.socket = session.detachSocket();
        return verdict;
    }

    // After a kept-alive answer: the connection's next complete head, if it arrives within
    // kNextHeadWaitMs while no other connection waits for a worker. nullopt hands the
    // connection back to the acceptor (nothing came, or only part of a head: the acceptor
    // waits for the rest without holding a worker); `closed` says the client has gone.
    std::optional<std::string> nextHead(Connection& connection, std::vector<char>& buffer, bool& closed) {
        {
            std::lock_guard lock(mutex);
            if (stopping || !queue.empty()) return std::nullopt;
        }
        pollfd ready{fdOf(connection.socket), POLLIN, 0};
        if (::poll(&ready, 1, kNextHeadWaitMs) <= 0) return std::nullopt;
        const auto got = ::recv(ready.fd, buffer.data(), buffer.size(), MSG_PEEK | MSG_DONTWAIT);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
            closed = true;
            return std::nullopt;
        }
        if (got < 0) return std::nullopt;
        const std::string_view bytes(buffer.data(), static_cast<std::size_t>(got));
        const auto end = headLength(bytes);
        if (end == std::string_view::npos) return std::nullopt;
        {
            std::lock_guard lock(mutex);
            if (stopping) return std::nullopt; // a stop began meanwhile: no new request starts
        }
        return std::string(bytes.substr(0, end));
    }

    // Serves the job's request, then (plain TCP) the connection's next ones for as long as
    // each complete head arrives at once; the verdict is the last request's.
    Verdict serveConnection(Job& job, std::vector<char>& buffer) {
        for (;;) {
            Verdict verdict = serve(job);
            if (verdict != Verdict::KeepAlive || tls) return verdict;
            bool closed = false;
            auto head = nextHead(job.connection, buffer, closed);
            if (closed) return Verdict::Close;
            if (!head) return verdict;
            job.head = std::move(*head);
            job.headDeadline = Clock::now() + std::chrono::seconds(config.headTimeoutSeconds);
        }
    }

    void runWorker() {
        std::vector<char> buffer(kMaxHeadBytes);
        for (;;) {
            Job job;
            {
                std::unique_lock lock(mutex);
                workAvailable.wait(lock, [&] { return stopping || !queue.empty(); });
                if (stopping) return;
                job = std::move(queue.front());
                queue.pop_front();
                ++busy;
                ++active[fdOf(job.connection.socket)];
            }
            Verdict verdict = Verdict::Close;
            try {
                verdict = serveConnection(job, buffer);
            } catch (...) {
                // serve() answers what it can; a connection it could not answer is closed.
            }
            {
                std::lock_guard lock(mutex);
                const int fd = fdOf(job.connection.socket);
                if (auto at = active.find(fd); at != active.end() && --at->second == 0) active.erase(at);
                if (stopping && verdict == Verdict::KeepAlive) verdict = Verdict::Close;
                if (verdict == Verdict::Close || stopping) {
                    try {
                        job.connection.socket.close();
                    } catch (const Poco::Exception&) {
                    }
                } else {
                    returned.emplace_back(std::move(job.connection), verdict);
                }
                --busy;
            }
            notifyAcceptor();
            allIdle.notify_all();
        }
    }
};

Listener::Listener(ServiceState& state, Poco::Net::ServerSocket socket, bool tls)
    : impl_(std::make_unique<Impl>(state, std::move(socket), tls)) {}

Listener::~Listener() {
    stop(std::chrono::seconds(0));
}

void Listener::start() {
    impl_->acceptor = std::thread([this] { impl_->runAcceptor(); });
    for (int n = 0; n < impl_->config.threads; ++n) impl_->workers.emplace_back([this] { impl_->runWorker(); });
}

void Listener::stop(std::chrono::seconds grace) {
    Impl& impl = *impl_;
    if (!impl.acceptor.joinable()) return;
    {
        std::lock_guard lock(impl.mutex);
        impl.stopping = true;
    }
    impl.notifyAcceptor();
    impl.workAvailable.notify_all();
    impl.acceptor.join(); // it closes every waiting connection on its way out
    impl.listening.close();
    std::unique_lock lock(impl.mutex);
    for (auto& job : impl.queue) job.connection.socket.close(); // accepted, never started: dropped
    impl.queue.clear();
    if (!impl.allIdle.wait_for(lock, grace, [&] { return impl.busy == 0; }))
        for (const auto& [fd, count] : impl.active) ::shutdown(fd, SHUT_RDWR); // grace is over: cut
    lock.unlock();
    for (auto& worker : impl.workers) worker.join();
    impl.workers.clear();
}

} // namespace caseflow::service
