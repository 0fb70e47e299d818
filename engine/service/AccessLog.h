// The structured access log: one JSON object per line per request (time, remote address,
// method, path, route, status, bytes, duration, user, role, request id), to standard error or
// to a file. What must stay true: a line is written whole with one write under a lock, so
// lines from concurrent requests never interleave; no token, body or query value that could
// hold personal data is ever logged (the path is logged without its query string).
#pragma once

#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>

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

class AccessLog {
public:
    // `file` empty or "-": standard error; "off": nothing; otherwise appended to that file.
    explicit AccessLog(const std::string& file);
    void write(const AccessRecord& record);

private:
    std::mutex mutex_;
    std::ofstream file_;
    bool toStderr_ = false;
    bool off_ = false;
};

} // namespace caseflow::service
