// The structured access log: one JSON object per line per request (time, remote address,
// method, path, route, status, bytes, duration, user, role, request id), to standard error or
// to a file. Lines are appended to a buffer in memory and written out by the log's one writer
// thread (every 100 ms, or sooner when the buffer passes 64 KiB), so a request never waits
// for a write system call or for another request's write. What must stay true: a line is
// appended whole under a lock, so lines from concurrent requests never interleave; every
// line appended is written before flush() returns and before the log is destroyed (a clean
// stop loses none); no token, body or query value that could hold personal data is ever
// logged (the path is logged without its query string).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

namespace caseflow::service {

struct AccessRecord {
    std::string time; // UTC ISO instant
    std::string remote;
    std::string method;
    std::string path;
    std::string route; // operation name, or "unmatched"
    int status = 0;
    std::uint64_t bytes = 0;
    double durationMs = 0;
    std::string user; // empty when not authenticated
    std::string role;
    std::uint64_t requestId = 0;
};

// The record as one JSON line (with its newline), keys in the order above.
std::string accessLine(const AccessRecord& record);

class AccessLog {
public:
    // `file` empty or "-": standard error; "off": nothing; otherwise appended to that file.
    explicit AccessLog(const std::string& file);
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    void write(const AccessRecord& record);
    // Writes out every line appended so far; returns once they are written.
    void flush();

private:
    void run();
    void writeOut(const std::string& lines);

    std::ofstream file_;
    bool toStderr_ = false;
    bool off_ = false;

    std::mutex mutex_;
    std::condition_variable wake_;    // the writer: lines to write, a flush, or the stop
    std::condition_variable written_; // flush(): the writer has written up to a generation
    std::string buffer_;              // appended lines not yet handed to the writer
    std::uint64_t appended_ = 0;      // lines appended so far
    std::uint64_t writtenUpTo_ = 0;   // lines written out so far
    bool flushWanted_ = false;
    bool stopping_ = false;
    std::mutex outputMutex_; // the stream, for the writer and the final drain
    std::thread writer_;
};

} // namespace caseflow::service
