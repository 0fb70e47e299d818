// The network's clock: Europe/Brussels offsets from ICU's time-zone database, kept apart
// from Date.cpp because ICU's headers clash with std::chrono's short names.
#include "model/Date.h"

#include <unicode/timezone.h>

#include <memory>

namespace caseflow {
using std::chrono::duration_cast;
using std::chrono::milliseconds;

long brusselsUtcOffsetSeconds(std::chrono::system_clock::time_point instant) {
    // ICU carries the tz database with its DST rules; libstdc++ 12 has no zoned_time yet.
    static const std::unique_ptr<icu::TimeZone> brussels(icu::TimeZone::createTimeZone("Europe/Brussels"));
    const UDate millis = static_cast<UDate>(duration_cast<milliseconds>(instant.time_since_epoch()).count());
    int32_t rawOffset = 0, dstOffset = 0;
    UErrorCode status = U_ZERO_ERROR;
    brussels->getOffset(millis, false, rawOffset, dstOffset, status);
    if (U_FAILURE(status)) return 3600; // CET is the safest guess for a Belgian network
    return (rawOffset + dstOffset) / 1000;
}

} // namespace caseflow
