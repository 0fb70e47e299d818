// Clients that send a request head one byte every two seconds and never finish it: the load
// the connection layer must hold without starving anyone (issue 11). A client the server cuts
// (head deadline) connects again and starts over, so the pressure never lets up. Shared by the
// raw-HTTP test and bench/bench_slow_clients, so both measure the same attack.
// What must stay true: traffic goes to loopback only, and the clients stop when destroyed or
// after `giveUp`, whichever comes first.
#pragma once

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace caseflow::test {

class SlowClients {
public:
    SlowClients(std::uint16_t port, int count, std::chrono::seconds giveUp = std::chrono::seconds(60))
        : port_(port), giveUp_(std::chrono::steady_clock::now() + giveUp) {
        for (int n = 0; n < count; ++n) clients_.push_back({connect(), 0});
        thread_ = std::thread([this] { run(); });
    }
    ~SlowClients() {
        stop_ = true;
        thread_.join();
    }
    SlowClients(const SlowClients&) = delete;
    SlowClients& operator=(const SlowClients&) = delete;

    int reconnections() const { return reconnections_; }

private:
    struct Client {
        Poco::Net::StreamSocket socket;
        std::size_t sent;
    };

    Poco::Net::StreamSocket connect() const {
        return Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", port_));
    }

    void run() {
        const std::string head = "GET /api/v1/situations HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " +
                                 std::string(400, 'z'); // never reaches its blank line
        while (!stop_ && std::chrono::steady_clock::now() < giveUp_) {
            for (auto& client : clients_) {
                try {
                    client.socket.sendBytes(head.data() + client.sent % head.size(), 1);
                    ++client.sent;
                } catch (const Poco::Exception&) {
                    try {
                        client = {connect(), 0};
                        ++reconnections_;
                    } catch (const Poco::Exception&) {
                    }
                }
            }
            for (int tick = 0; tick < 20 && !stop_; ++tick) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    std::uint16_t port_;
    std::chrono::steady_clock::time_point giveUp_;
    std::vector<Client> clients_;
    std::atomic<bool> stop_{false};
    std::atomic<int> reconnections_{0};
    std::thread thread_;
};

} // namespace caseflow::test
