// R2's attention ages for `caseflow due` and the coordinator's lists, found through the index of
// migration 11 (the youth's birth date, generated from the stored document) instead of parsing
// every open situation's document. What must stay true: the result is exactly what
// NetworkSettings::attentionFlags gives over every open situation's document (redirected and
// closed situations carry none), in situation order, flags in band order; the index only
// narrows which rows are looked at, the flags themselves come from attentionFlags.
#pragma once

#include "model/Date.h"
#include "model/NetworkSettings.h"
#include "store/Database.h"

#include <cstdint>
#include <string>
#include <vector>

namespace caseflow {

struct AttentionFlag;

// The attention flags of the open situations on `at`.
std::vector<AttentionFlag> attentionFlagsOn(store::Database& db, const NetworkSettings& network, const Date& at);

} // namespace caseflow
