// Puts a refusal into the user's language: each rule's message (a gettext msgid from the
// workflow) is translated and its {placeholders} filled from the network settings and the
// envelope, with amounts formatted for that language.
#pragma once

#include "core/Errors.h"
#include "model/NetworkSettings.h"

#include <string>
#include <vector>

namespace caseflow {

struct EnvelopeFigures;
struct UnderSpendingFigure;

std::vector<RuleViolation> localiseViolations(const std::vector<RuleViolation>& violations, const std::string& language,
                                              const NetworkSettings& network, const EnvelopeFigures& envelope);

// A state id in the user's language ("budget-check" -> "vérification budgétaire").
// The first line of a refusal in `language`: which event was refused, in which state, by
// which rules (or, with no violation, that no transition's condition held).
std::string refusalHeader(const std::string& event, const std::string& state,
                          const std::vector<RuleViolation>& violations, const std::string& language);

std::string localiseState(const std::string& state, const std::string& language);

// R18's under-spending figure in `language`: how much of the year has passed against how much
// of the envelope is committed and paid; "" when the year has no envelope.
std::string envelopeProgress(const UnderSpendingFigure& figure, const std::string& language);
// The warning when the commitments lag the year past the network's threshold, else "".
std::string underSpendingWarning(const UnderSpendingFigure& figure, const std::string& language);

} // namespace caseflow
