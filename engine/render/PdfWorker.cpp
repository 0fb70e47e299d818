// The WeasyPrint worker processes and their pool. What must stay true: a worker is started without a
// shell (posix_spawn, arguments as a vector) with only its end of the socket (fd 3), stdin from
// /dev/null; every read and write on the socket is bounded by a deadline, so a stuck WeasyPrint can
// never hang a server thread; a worker is either idle, lent to exactly one render, or gone (killed
// and reaped: no zombie is left behind).
#include "render/PdfWorker.h"

#include "core/Errors.h"
#include "model/Paths.h"
#include "render/TemplateError.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace caseflow::render {
namespace {

using Clock = std::chrono::steady_clock;

// The worker is gone (killed, crashed, exited): the document may be tried on a new one.
struct WorkerStopped : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The deadline passed: the worker is killed, the document is not tried again.
struct DeadlinePassed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string secondsText(std::chrono::milliseconds duration) {
    const auto count = duration.count();
    if (count % 1000 == 0) return std::to_string(count / 1000) + " s";
    return std::to_string(count) + " ms";
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1) : fd_(fd) {}
    ~FileDescriptor() { reset(); }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    int release() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset(int fd = -1) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_;
};

void appendFrame(std::string& out, std::string_view bytes) {
    if (bytes.size() > 0xFFFFFFFFu) throw Error("a PDF input larger than 4 GiB cannot be sent to WeasyPrint");
    const auto length = static_cast<std::uint32_t>(bytes.size());
    const char header[4] = {static_cast<char>(length >> 24), static_cast<char>(length >> 16),
                            static_cast<char>(length >> 8), static_cast<char>(length)};
    out.append(header, 4);
    out.append(bytes);
}

std::uint32_t readLength(const char* bytes) {
    const auto byte = [&](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
    return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

// The interpreter that runs `weasyprint` (its #! line): the one whose Python has the weasyprint
// module. Debian's is /usr/bin/python3.
std::string interpreterOf(const std::filesystem::path& weasyprint) {
    std::ifstream in(weasyprint);
    std::string line;
    if (std::getline(in, line) && line.rfind("#!", 0) == 0) {
        std::string command = line.substr(2);
        command.erase(0, command.find_first_not_of(" \t"));
        command = command.substr(0, command.find_first_of(" \t\r"));
        if (!command.empty() && command.find("/env") == std::string::npos && ::access(command.c_str(), X_OK) == 0)
            return command;
    }
    return ::access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

std::filesystem::path workerScript() {
    const auto script = dataDir() / "scripts" / "weasyprint-worker.py";
    if (!std::filesystem::exists(script))
        throw Error("the PDF worker script " + script.string() +
                    " is missing (set CASEFLOW_DATA_DIR to caseflow's "
                    "source directory)");
    return script;
}

} // namespace

// One WeasyPrint process and our end of its socket.
class PdfWorker {
public:
    static std::unique_ptr<PdfWorker> start(const PdfWorkerOptions& options) {
        const auto weasyprint = findWeasyPrint();
        if (!weasyprint)
            throw MissingTool("PDF output needs WeasyPrint, which is not installed: run `apt-get install weasyprint` "
                              "(HTML and ODT work without it)");
        const std::string python = interpreterOf(*weasyprint);
        const std::string script = workerScript().string();

        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
            throw Error(std::string("cannot create the PDF worker's socket: ") + std::strerror(errno));
        FileDescriptor ours(pair[0]), theirs(pair[1]);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, theirs.get(), 3); // clears close-on-exec on fd 3
        // No -I: the interpreter finds weasyprint where the `weasyprint` command itself finds it.
        std::vector<std::string> arguments = {python, script, "3"};
        std::vector<char*> argv;
        for (auto& argument : arguments) argv.push_back(argument.data());
        argv.push_back(nullptr);
        // The server blocks SIGTERM and SIGINT in its threads (sigwait): the worker must not inherit that.
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
        pid_t pid = 0;
        const int spawned = ::posix_spawn(&pid, python.c_str(), &actions, &attributes, argv.data(), environ);
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
        if (spawned != 0)
            throw MissingTool("PDF output needs WeasyPrint's Python (" + python +
                              "), which cannot be started: " + std::strerror(spawned));
        theirs.reset();
        ::fcntl(ours.get(), F_SETFL, ::fcntl(ours.get(), F_GETFL) | O_NONBLOCK);

        auto worker = std::unique_ptr<PdfWorker>(new PdfWorker(pid, ours.release()));
        const auto ready = Clock::now() + options.startupDeadline;
        try {
            const auto [kind, payload] = worker->readReply(ready);
            if (kind == 'E')
                throw MissingTool("PDF output needs WeasyPrint, which cannot be loaded (" + payload +
                                  "): run `apt-get install weasyprint`");
            if (kind != 'R') throw Error("the PDF worker answered something other than 'ready'");
        } catch (const WorkerStopped& stopped) {
            throw Error(std::string("the PDF worker stopped while loading WeasyPrint: ") + stopped.what());
        } catch (const DeadlinePassed&) {
            throw Error("the PDF worker did not load WeasyPrint within " + secondsText(options.startupDeadline));
        }
        return worker;
    }

    ~PdfWorker() {
        socket_.reset();
        ::kill(pid_, SIGKILL); // it holds no state worth a graceful end, and must not outlive us
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
    }

    PdfWorker(const PdfWorker&) = delete;
    PdfWorker& operator=(const PdfWorker&) = delete;

    pid_t pid() const { return pid_; }

    bool exited() const {
        int status = 0;
        const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
        if (reaped == pid_) exitedAlready_ = true;
        return exitedAlready_;
    }

    // The PDF, or throws WorkerStopped, DeadlinePassed, or Error with WeasyPrint's own message.
    std::string render(const std::string& request, Clock::time_point deadline) {
        writeAll(request, deadline);
        auto [kind, payload] = readReply(deadline);
        if (kind == 'P') return std::move(payload);
        if (kind == 'E') throw Error("WeasyPrint failed: " + payload);
        throw WorkerStopped("the PDF worker answered with an unknown frame");
    }

private:
    PdfWorker(pid_t pid, int socket) : pid_(pid), socket_(socket) {}

    // Waits until the socket is ready for `events` or the deadline passes.
    void await(short events, Clock::time_point deadline) {
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) throw DeadlinePassed("deadline");
            pollfd entry{socket_.get(), events, 0};
            const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, 60'000)));
            if (ready > 0) return;
            if (ready < 0 && errno != EINTR) throw WorkerStopped(std::string("poll: ") + std::strerror(errno));
        }
    }

    void writeAll(std::string_view bytes, Clock::time_point deadline) {
        while (!bytes.empty()) {
            const ssize_t sent = ::send(socket_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent > 0) {
                bytes.remove_prefix(static_cast<std::size_t>(sent));
            } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                await(POLLOUT, deadline);
            } else if (sent < 0 && errno == EINTR) {
                continue;
            } else {
                throw WorkerStopped(std::string("the PDF worker stopped reading: ") + std::strerror(errno));
            }
        }
    }

    void readExact(char* into, std::size_t size, Clock::time_point deadline) {
        while (size > 0) {
            const ssize_t got = ::recv(socket_.get(), into, size, 0);
            if (got > 0) {
                into += got;
                size -= static_cast<std::size_t>(got);
            } else if (got == 0) {
                throw WorkerStopped("the PDF worker closed its socket");
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                await(POLLIN, deadline);
            } else if (errno != EINTR) {
                throw WorkerStopped(std::string("the PDF worker's socket failed: ") + std::strerror(errno));
            }
        }
    }

    std::pair<char, std::string> readReply(Clock::time_point deadline) {
        char header[5];
        readExact(header, sizeof header, deadline);
        std::string payload(readLength(header + 1), '\0');
        readExact(payload.data(), payload.size(), deadline);
        return {header[0], std::move(payload)};
    }

    pid_t pid_;
    FileDescriptor socket_;
    mutable bool exitedAlready_ = false;
};

PdfWorkerPool::PdfWorkerPool(PdfWorkerOptions options) : options_(options) {
    if (options_.size == 0) options_.size = 1;
}

PdfWorkerPool::~PdfWorkerPool() = default;

std::unique_ptr<PdfWorker> PdfWorkerPool::acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || started_ < options_.size; });
    while (!idle_.empty()) {
        std::unique_ptr<PdfWorker> worker = std::move(idle_.back());
        idle_.pop_back();
        if (!worker->exited()) return worker;
        // Died while idle (killed, out of memory): forget it and start another below.
        all_.erase(std::remove(all_.begin(), all_.end(), worker.get()), all_.end());
        --started_;
    }
    ++started_;
    lock.unlock();
    try {
        std::unique_ptr<PdfWorker> worker = PdfWorker::start(options_);
        lock.lock();
        all_.push_back(worker.get());
        return worker;
    } catch (...) {
        if (!lock.owns_lock()) lock.lock();
        --started_;
        available_.notify_one();
        throw;
    }
}

void PdfWorkerPool::giveBack(std::unique_ptr<PdfWorker> worker) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (worker) {
        idle_.push_back(std::move(worker));
    }
    available_.notify_one();
}

std::string PdfWorkerPool::render(const std::string& html, const std::vector<PdfAttachment>& attachments,
                                  std::optional<std::chrono::milliseconds> deadline) {
    const std::chrono::milliseconds allowed = deadline.value_or(options_.deadline);
    std::string request;
    request.reserve(html.size() + 64);
    const auto count = static_cast<std::uint32_t>(attachments.size());
    const char header[4] = {static_cast<char>(count >> 24), static_cast<char>(count >> 16),
                            static_cast<char>(count >> 8), static_cast<char>(count)};
    request.append(header, 4);
    appendFrame(request, html);
    for (const auto& attachment : attachments) {
        appendFrame(request, attachment.fileName);
        appendFrame(request, attachment.content);
    }

    // A worker found dead mid-document (killed between two documents, before we noticed) is
    // replaced and the document sent again, once: a document that kills every worker fails.
    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<PdfWorker> worker = acquire();
        const auto discard = [&] {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                all_.erase(std::remove(all_.begin(), all_.end(), worker.get()), all_.end());
                --started_;
            }
            worker.reset(); // killed and reaped
            available_.notify_one();
        };
        try {
            std::string pdf = worker->render(request, Clock::now() + allowed);
            giveBack(std::move(worker));
            return pdf;
        } catch (const WorkerStopped& stopped) {
            discard();
            if (attempt > 0)
                throw Error(std::string("the PDF worker stopped twice on this document: ") + stopped.what());
        } catch (const DeadlinePassed&) {
            discard();
            throw Error("WeasyPrint did not finish this PDF within its deadline of " + secondsText(allowed) +
                        " (CASEFLOW_PDF_DEADLINE_SECONDS): it was stopped, the next document starts a new one");
        } catch (...) {
            giveBack(std::move(worker)); // WeasyPrint refused this document; the worker is fine
            throw;
        }
    }
}

std::vector<pid_t> PdfWorkerPool::processIds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<pid_t> ids;
    for (const PdfWorker* worker : all_) ids.push_back(worker->pid());
    return ids;
}

namespace {

std::atomic<std::size_t> configuredSize{0};

std::size_t positiveFromEnvironment(const char* name, std::size_t fallback, long maximum) {
    const char* value = std::getenv(name);
    if (!value || !*value) return fallback;
    char* end = nullptr;
    const long number = std::strtol(value, &end, 10);
    if (*end != '\0' || number < 1 || number > maximum)
        throw UsageError(std::string(name) + " must be a whole number between 1 and " + std::to_string(maximum) +
                         ", not '" + value + "'");
    return static_cast<std::size_t>(number);
}

} // namespace

void configureSharedPdfWorkers(std::size_t size) {
    std::size_t unset = 0;
    configuredSize.compare_exchange_strong(unset, std::max<std::size_t>(size, 1));
}

PdfWorkerPool& PdfWorkerPool::shared() {
    static PdfWorkerPool pool([] {
        PdfWorkerOptions options;
        const std::size_t configured = configuredSize.load();
        options.size = positiveFromEnvironment("CASEFLOW_PDF_WORKERS", configured ? configured : 1, 64);
        options.deadline = std::chrono::seconds(positiveFromEnvironment("CASEFLOW_PDF_DEADLINE_SECONDS", 120, 3600));
        return options;
    }());
    return pool;
}

} // namespace caseflow::render
