// Strict reading of a JSON request body. What must stay true: the body is valid UTF-8
// (checked before Poco's parser sees it, and again on every string it decoded, since "\ud800"
// escapes can smuggle in what UTF-8 forbids); the top level is one object; a field the
// endpoint did not declare is refused, by name; every field has the declared JSON type. Each
// refusal is a 400 problem naming the field, so a client never has to guess.
#pragma once

#include "model/Money.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caseflow::service {

bool isValidUtf8(std::string_view text);
// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, so
// that what a client sent can be quoted back without making the answer invalid UTF-8.
std::string toValidUtf8(std::string_view text);

class JsonBody {
public:
    // Throws ProblemException: InvalidEncoding, MalformedJson (also for a non-object),
    // UnknownField for a field not in `knownFields`.
    static JsonBody parse(const std::string& body, const std::vector<std::string>& knownFields);

    bool has(const std::string& field) const;
    // A string of 1..maxLength characters (code points); MissingField when required and absent.
    std::optional<std::string> text(const std::string& field, bool required, std::size_t maxLength) const;
    // An amount: a JSON integer of cents, 0 or more (more than 0 when `positive`), at most 10^11;
    // a fraction, a negative number or a string is refused with a message saying why.
    std::optional<Cents> cents(const std::string& field, bool required, bool positive) const;
    std::optional<std::int64_t> integer(const std::string& field, bool required, std::int64_t min,
                                        std::int64_t max) const;
    // An ISO date (YYYY-MM-DD, a real day).
    std::optional<std::string> date(const std::string& field, bool required) const;
    std::optional<std::vector<std::string>> textList(const std::string& field, bool required, std::size_t maxItems,
                                                     std::size_t maxLength) const;

    // An array of objects (none when absent), each read as strictly as a body: a field not in
    // `knownFields` is refused by name.
    std::vector<JsonBody> objectList(const std::string& field, std::size_t maxItems,
                                     const std::vector<std::string>& knownFields) const;

private:
    static JsonBody checked(Poco::JSON::Object::Ptr object, const std::vector<std::string>& knownFields);
    explicit JsonBody(Poco::JSON::Object::Ptr object) : object_(std::move(object)) {}
    Poco::JSON::Object::Ptr object_;
};

// An identifier as the situation schema allows (an XML NCName of at most 64 characters).
bool isIdentifier(std::string_view text);

} // namespace caseflow::service
