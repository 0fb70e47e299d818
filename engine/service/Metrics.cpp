// Prometheus exposition (see Metrics.h). What must stay true: the output is valid text
// format: one HELP and TYPE per family, label values escaped, histogram buckets cumulative
// and ending with +Inf equal to _count.
#include "service/Metrics.h"

#include <sstream>

namespace caseflow::service {
namespace {

std::string escapeLabel(const std::string& value) {
    std::string escaped;
    for (char ch : value) {
        if (ch == '\\' || ch == '"') escaped += '\\';
        if (ch == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += ch;
    }
    return escaped;
}

std::string number(double value) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << value;
    return out.str();
}

} // namespace

void Metrics::observeRequest(const std::string& route, const std::string& method, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_[{route, method, status}];
    Histogram& histogram = latency_[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++histogram.buckets[i];
            break;
        }
    }
    ++histogram.count;
    histogram.sum += seconds;
}

void Metrics::eventAppended(const std::string& type) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++events_[type];
}

std::string Metrics::render(const std::vector<EnvelopeFigures>& envelopes) const {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    std::lock_guard<std::mutex> lock(mutex_);
    out << "# HELP caseflow_http_requests_total HTTP requests served, by route, method and status.\n"
        << "# TYPE caseflow_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        const auto& [route, method, status] = key;
        out << "caseflow_http_requests_total{route=\"" << escapeLabel(route) << "\",method=\"" << escapeLabel(method)
            << "\",status=\"" << status << "\"} " << count << "\n";
    }
    out << "# HELP caseflow_http_request_duration_seconds Time from request received to response sent.\n"
        << "# TYPE caseflow_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : latency_) {
        std::uint64_t cumulative = 0;
        const std::string label = "route=\"" + escapeLabel(route) + "\"";
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += histogram.buckets[i];
            out << "caseflow_http_request_duration_seconds_bucket{" << label << ",le=\"" << number(kBuckets[i])
                << "\"} " << cumulative << "\n";
        }
        out << "caseflow_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << histogram.count << "\n"
            << "caseflow_http_request_duration_seconds_sum{" << label << "} " << number(histogram.sum) << "\n"
            << "caseflow_http_request_duration_seconds_count{" << label << "} " << histogram.count << "\n";
    }
    out << "# HELP caseflow_events_appended_total Workflow events appended to the log through this server.\n"
        << "# TYPE caseflow_events_appended_total counter\n";
    for (const auto& [type, count] : events_)
        out << "caseflow_events_appended_total{type=\"" << escapeLabel(type) << "\"} " << count << "\n";
    // Amounts are published in cents, as stored: exact integers, no rounding by the scraper.
    const std::pair<const char*, const char*> gauges[] = {
        {"caseflow_envelope_amount_cents", "The yearly envelope (R18)."},
        {"caseflow_envelope_committed_cents", "Approved funding, paid or not."},
        {"caseflow_envelope_paid_cents", "Payments recorded."},
        {"caseflow_envelope_remaining_cents", "Envelope minus committed."},
    };
    for (const auto& [name, help] : gauges) {
        out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
        for (const auto& figures : envelopes) {
            const std::string family = name;
            const Cents value = family == "caseflow_envelope_amount_cents"      ? figures.amount
                                : family == "caseflow_envelope_committed_cents" ? figures.committed
                                : family == "caseflow_envelope_paid_cents"      ? figures.paid
                                                                                : figures.remaining();
            out << name << "{year=\"" << figures.year << "\"} " << value << "\n";
        }
    }
    return out.str();
}

} // namespace caseflow::service
