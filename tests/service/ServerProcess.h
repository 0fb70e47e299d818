// A real `caseflow serve` child process on a loopback port the system chooses, for the
// specifications that must kill a server (SIGKILL) or run several at once on one database
// (tests/service_crash_test.cpp, tests/postgres_servers_test.cpp). What must stay true: the port
// is known before the constructor returns (read from the server's first line of output, which it
// prints once it listens), and a child still running when the object goes is stopped with
// SIGTERM and waited for, so no test leaves a server behind. No Catch2 here: the benchmarks
// start servers with it too (bench/bench_pg_transitions.cpp), naming the binary themselves.
#pragma once

#include "support/TestSupport.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace caseflow::test::http {

class ServerProcess {
public:
    // `database`: a SQLite file or a postgresql:// address (the application role's, in production).
    explicit ServerProcess(const std::string& database, int threads = 8,
                           const std::filesystem::path& binary = caseflow::test::cliPath()) {
        Poco::Process::Args args = {"serve",  "--db",        database,
                                    "--bind", "127.0.0.1:0", "--access-log",
                                    "off",    "--threads",   std::to_string(threads)};
        handle_ = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch(binary.string(), args, nullptr, &output_, nullptr));
        Poco::PipeInputStream out(output_);
        std::string line;
        std::getline(out, line); // "caseflow: listening on http://127.0.0.1:PORT (...)"
        const auto colon = line.find(':', line.find("127.0.0.1"));
        if (colon == std::string::npos) {
            if (Poco::Process::isRunning(*handle_)) Poco::Process::requestTermination(handle_->id());
            handle_->wait();
            throw std::runtime_error("caseflow serve did not start; it said: " + line);
        }
        port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
    }
    ~ServerProcess() {
        if (handle_ && Poco::Process::isRunning(*handle_)) {
            Poco::Process::requestTermination(handle_->id());
            handle_->wait();
        }
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::uint16_t port() const { return port_; }
    bool running() const { return handle_ && Poco::Process::isRunning(*handle_); }
    void kill() {
        ::kill(handle_->id(), SIGKILL);
        handle_->wait();
        handle_.reset();
    }
    int terminate() {
        Poco::Process::requestTermination(handle_->id());
        const int code = handle_->wait();
        handle_.reset();
        return code;
    }

private:
    Poco::Pipe output_;
    std::unique_ptr<Poco::ProcessHandle> handle_;
    std::uint16_t port_ = 0;
};

} // namespace caseflow::test::http
