// Access log lines and their writer thread (see AccessLog.h).
#include "service/AccessLog.h"

#include "core/Errors.h"

#include <chrono>
#include <cstdio>
#include <iostream>

namespace caseflow::service {
namespace {

constexpr std::size_t kWriteAtBytes = 64 * 1024;
constexpr auto kWriteEvery = std::chrono::milliseconds(100);

// A JSON string, as Poco's stringifier writes it: quotes, backslash and control characters
// escaped; everything else (UTF-8 included) as it is.
void appendString(std::string& out, const std::string& text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (byte < 0x20) {
                out += "\\u00";
                out += hex[byte >> 4];
                out += hex[byte & 0xf];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

void appendField(std::string& out, const char* name, const std::string& text) {
    out += out.size() > 1 ? ",\"" : "\"";
    out += name;
    out += "\":";
    appendString(out, text);
}

void appendNumber(std::string& out, const char* name, const std::string& number) {
    out += ",\"";
    out += name;
    out += "\":";
    out += number;
}

} // namespace

std::string accessLine(const AccessRecord& record) {
    std::string line;
    line.reserve(256);
    line += '{';
    appendField(line, "time", record.time);
    appendNumber(line, "requestId", std::to_string(record.requestId));
    appendField(line, "remote", record.remote);
    appendField(line, "method", record.method);
    appendField(line, "path", record.path);
    appendField(line, "route", record.route);
    appendNumber(line, "status", std::to_string(record.status));
    appendNumber(line, "bytes", std::to_string(record.bytes));
    // Milliseconds to the microsecond, without a locale or exponent.
    const auto micros = static_cast<std::int64_t>(record.durationMs * 1000);
    char duration[32];
    std::snprintf(duration, sizeof duration, "%lld.%03lld", static_cast<long long>(micros / 1000),
                  static_cast<long long>(micros % 1000));
    appendNumber(line, "durationMs", duration);
    if (!record.user.empty()) {
        appendField(line, "user", record.user);
        appendField(line, "role", record.role);
    }
    line += "}\n";
    return line;
}

AccessLog::AccessLog(const std::string& file) {
    if (file.empty() || file == "-") {
        toStderr_ = true;
    } else if (file == "off") {
        off_ = true;
        return;
    } else {
        file_.open(file, std::ios::app);
        if (!file_) throw UsageError("cannot open the access log " + file);
    }
    writer_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
    if (!writer_.joinable()) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    writer_.join(); // it writes what is buffered on its way out
}

void AccessLog::write(const AccessRecord& record) {
    if (off_) return;
    const std::string line = accessLine(record);
    bool full = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        buffer_ += line;
        ++appended_;
        full = buffer_.size() >= kWriteAtBytes;
    }
    if (full) wake_.notify_one();
}

void AccessLog::flush() {
    if (off_) return;
    std::unique_lock<std::mutex> lock(mutex_);
    const std::uint64_t target = appended_;
    flushWanted_ = true;
    wake_.notify_one();
    written_.wait(lock, [&] { return writtenUpTo_ >= target || !writer_.joinable(); });
}

void AccessLog::writeOut(const std::string& lines) {
    if (lines.empty()) return;
    std::lock_guard<std::mutex> lock(outputMutex_);
    std::ostream& out = toStderr_ ? std::cerr : file_;
    try {
        out.write(lines.data(), static_cast<std::streamsize>(lines.size()));
        out.flush();
    } catch (...) {
        // A full disk must not take the service down with it.
    }
}

void AccessLog::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait_for(lock, kWriteEvery,
                       [this] { return stopping_ || flushWanted_ || buffer_.size() >= kWriteAtBytes; });
        std::string lines;
        lines.swap(buffer_);
        const std::uint64_t upTo = appended_;
        flushWanted_ = false;
        const bool last = stopping_;
        lock.unlock();
        writeOut(lines);
        lock.lock();
        writtenUpTo_ = upTo;
        written_.notify_all();
        if (last && buffer_.empty()) return;
    }
}

} // namespace caseflow::service
