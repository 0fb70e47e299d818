// Access log lines (see AccessLog.h).
#include "service/AccessLog.h"

#include "core/Errors.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <iostream>
#include <sstream>

namespace caseflow::service {

AccessLog::AccessLog(const std::string& file) {
    if (file.empty() || file == "-") {
        toStderr_ = true;
    } else if (file == "off") {
        off_ = true;
    } else {
        file_.open(file, std::ios::app);
        if (!file_) throw UsageError("cannot open the access log " + file);
    }
}

void AccessLog::write(const AccessRecord& record) {
    if (off_) return;
    Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
    line.set("time", record.time);
    line.set("requestId", record.requestId);
    line.set("remote", record.remote);
    line.set("method", record.method);
    line.set("path", record.path);
    line.set("route", record.route);
    line.set("status", record.status);
    line.set("bytes", record.bytes);
    line.set("durationMs", static_cast<double>(static_cast<std::int64_t>(record.durationMs * 1000)) / 1000.0);
    if (!record.user.empty()) {
        line.set("user", record.user);
        line.set("role", record.role);
    }
    std::ostringstream text;
    line.stringify(text);
    text << "\n";
    const std::string whole = text.str();
    std::lock_guard<std::mutex> lock(mutex_);
    std::ostream& out = toStderr_ ? std::cerr : file_;
    out.write(whole.data(), static_cast<std::streamsize>(whole.size()));
    out.flush();
}

} // namespace caseflow::service
