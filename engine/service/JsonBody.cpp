// Strict JSON bodies (see JsonBody.h). What must stay true: no input, however malformed,
// escapes as anything but a ProblemException with a 4xx kind.
#include "service/JsonBody.h"

#include "model/Date.h"
#include "service/Problem.h"

#include <Poco/Exception.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace caseflow::service {
namespace {

constexpr Cents kMaximumCents = 100000000000; // as schemas/situation.xsd's "cents" type

[[noreturn]] void fail(ProblemKind kind, const std::string& detail, const std::string& field) {
    throw ProblemException(Problem(kind, detail).arg("field", field).extension("field", field));
}

std::size_t codePoints(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

// Poco's parser quotes the byte it stopped at, even past the end of the body ("byte '\xff'"):
// its message goes into a problem body, which must stay valid UTF-8 (fuzz/regressions/json_body).
std::string asciiOnly(std::string text) {
    for (char& ch : text)
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) > 0x7e) ch = '?';
    return text;
}

std::string typeName(const Poco::Dynamic::Var& value) {
    if (value.isEmpty()) return "null";
    if (value.type() == typeid(bool)) return "boolean";
    if (value.isString()) return "string";
    if (value.isNumeric()) return "number";
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) return "object";
    if (value.type() == typeid(Poco::JSON::Array::Ptr)) return "array";
    return "value";
}

} // namespace

namespace {

// The length of the valid UTF-8 sequence starting at bytes[i], or 0 when there is none.
// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t utf8SequenceAt(const unsigned char* bytes, std::size_t size, std::size_t i) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned char min = 0x80, max = 0xBF; // bounds of the second byte
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead == 0xE0)
        length = 3, min = 0xA0;
    else if (lead >= 0xE1 && lead <= 0xEC)
        length = 3;
    else if (lead == 0xED)
        length = 3, max = 0x9F;
    else if (lead >= 0xEE && lead <= 0xEF)
        length = 3;
    else if (lead == 0xF0)
        length = 4, min = 0x90;
    else if (lead >= 0xF1 && lead <= 0xF3)
        length = 4;
    else if (lead == 0xF4)
        length = 4, max = 0x8F;
    else
        return 0;
    if (i + length > size) return 0;
    if (bytes[i + 1] < min || bytes[i + 1] > max) return 0;
    for (std::size_t k = 2; k < length; ++k)
        if ((bytes[i + k] & 0xC0) != 0x80) return 0;
    return length;
}

} // namespace

bool isValidUtf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t i = 0, length = 0; i < text.size(); i += length)
        if ((length = utf8SequenceAt(bytes, text.size(), i)) == 0) return false;
    return true;
}

std::string toValidUtf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    std::string valid;
    valid.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (const std::size_t length = utf8SequenceAt(bytes, text.size(), i)) {
            valid.append(text.substr(i, length));
            i += length;
        } else {
            valid += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER, one per refused byte
            ++i;
        }
    }
    return valid;
}

bool isIdentifier(std::string_view text) {
    if (text.empty() || text.size() > 64) return false;
    const auto isStart = [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_'; };
    if (!isStart(text.front())) return false;
    return std::all_of(text.begin(), text.end(),
                       [&](char ch) { return isStart(ch) || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'; });
}

JsonBody JsonBody::parse(const std::string& body, const std::vector<std::string>& knownFields) {
    if (!isValidUtf8(body))
        throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request body is not valid UTF-8."));
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parser.setAllowComments(false);
        parser.setAllowNullByte(false);
        parser.setDepth(16); // our bodies are flat; a deep nest is an attack, not a request
        parsed = parser.parse(body);
    } catch (const Poco::Exception& error) {
        throw ProblemException(
            Problem(ProblemKind::MalformedJson, "The request body is not valid JSON: {reason}")
                .arg("reason", asciiOnly(error.message().empty() ? error.displayText() : error.message())));
    } catch (const std::exception& error) {
        throw ProblemException(Problem(ProblemKind::MalformedJson, "The request body is not valid JSON: {reason}")
                                   .arg("reason", asciiOnly(error.what())));
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw ProblemException(Problem(ProblemKind::MalformedJson, "The request body must be a JSON object."));
    return checked(parsed.extract<Poco::JSON::Object::Ptr>(), knownFields);
}

JsonBody JsonBody::checked(Poco::JSON::Object::Ptr object, const std::vector<std::string>& knownFields) {
    for (const auto& [name, value] : *object) {
        if (!isValidUtf8(name))
            throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request body is not valid UTF-8."));
        if (std::find(knownFields.begin(), knownFields.end(), name) == knownFields.end()) {
            std::string known;
            for (const auto& field : knownFields) known += (known.empty() ? "" : ", ") + field;
            throw ProblemException(
                Problem(ProblemKind::UnknownField, "Unknown field '{field}'; this endpoint takes: {known}.")
                    .arg("field", name)
                    .arg("known", known)
                    .extension("field", name));
        }
        if (value.isString() && !isValidUtf8(value.extract<std::string>()))
            throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request body is not valid UTF-8."));
    }
    return JsonBody(object);
}

bool JsonBody::has(const std::string& field) const {
    return object_->has(field) && !object_->isNull(field);
}

std::optional<std::string> JsonBody::text(const std::string& field, bool required, std::size_t maxLength) const {
    if (!has(field)) {
        if (required) fail(ProblemKind::MissingField, "The field '{field}' is required.", field);
        return std::nullopt;
    }
    const auto value = object_->get(field);
    if (!value.isString())
        throw ProblemException(Problem(ProblemKind::WrongType, "The field '{field}' must be a string, not {type}.")
                                   .arg("field", field)
                                   .arg("type", typeName(value))
                                   .extension("field", field));
    std::string text = value.extract<std::string>();
    const std::size_t length = codePoints(text);
    if (length == 0 || length > maxLength)
        throw ProblemException(
            Problem(ProblemKind::InvalidValue, "The field '{field}' must have 1 to {max} characters.")
                .arg("field", field)
                .arg("max", std::to_string(maxLength))
                .extension("field", field));
    if (text.find('\0') != std::string::npos)
        fail(ProblemKind::InvalidValue, "The field '{field}' cannot contain a NUL character.", field);
    return text;
}

std::optional<Cents> JsonBody::cents(const std::string& field, bool required, bool positive) const {
    if (!has(field)) {
        if (required) fail(ProblemKind::MissingField, "The field '{field}' is required.", field);
        return std::nullopt;
    }
    const auto value = object_->get(field);
    if (!value.isNumeric() || value.type() == typeid(bool))
        throw ProblemException(
            Problem(ProblemKind::WrongType, "The field '{field}' must be an integer number of cents, not {type}.")
                .arg("field", field)
                .arg("type", typeName(value))
                .extension("field", field));
    if (!value.isInteger())
        fail(ProblemKind::InvalidValue,
             "The field '{field}' must be a whole number of cents: fractions of a cent are not money.", field);
    Poco::Int64 amount = 0;
    try {
        amount = value.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        fail(ProblemKind::InvalidValue, "The field '{field}' is out of range.", field);
    }
    if (amount < 0) fail(ProblemKind::InvalidValue, "The field '{field}' cannot be negative.", field);
    if (positive && amount == 0) fail(ProblemKind::InvalidValue, "The field '{field}' must be more than 0.", field);
    if (amount > kMaximumCents) fail(ProblemKind::InvalidValue, "The field '{field}' is out of range.", field);
    return amount;
}

std::optional<std::int64_t> JsonBody::integer(const std::string& field, bool required, std::int64_t min,
                                              std::int64_t max) const {
    if (!has(field)) {
        if (required) fail(ProblemKind::MissingField, "The field '{field}' is required.", field);
        return std::nullopt;
    }
    const auto value = object_->get(field);
    if (!value.isNumeric() || value.type() == typeid(bool) || !value.isInteger())
        throw ProblemException(Problem(ProblemKind::WrongType, "The field '{field}' must be an integer, not {type}.")
                                   .arg("field", field)
                                   .arg("type", value.isNumeric() ? std::string("a fraction") : typeName(value))
                                   .extension("field", field));
    Poco::Int64 number = 0;
    try {
        number = value.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
        fail(ProblemKind::InvalidValue, "The field '{field}' is out of range.", field);
    }
    if (number < min || number > max) fail(ProblemKind::InvalidValue, "The field '{field}' is out of range.", field);
    return number;
}

std::optional<std::string> JsonBody::date(const std::string& field, bool required) const {
    auto value = text(field, required, 10);
    if (value && !Date::parse(*value))
        fail(ProblemKind::InvalidValue, "The field '{field}' must be a date written YYYY-MM-DD.", field);
    return value;
}

std::optional<std::vector<std::string>> JsonBody::textList(const std::string& field, bool required,
                                                           std::size_t maxItems, std::size_t maxLength) const {
    if (!has(field)) {
        if (required) fail(ProblemKind::MissingField, "The field '{field}' is required.", field);
        return std::nullopt;
    }
    const auto value = object_->get(field);
    if (value.type() != typeid(Poco::JSON::Array::Ptr))
        throw ProblemException(
            Problem(ProblemKind::WrongType, "The field '{field}' must be an array of strings, not {type}.")
                .arg("field", field)
                .arg("type", typeName(value))
                .extension("field", field));
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    if (array->size() > maxItems)
        throw ProblemException(Problem(ProblemKind::InvalidValue, "The field '{field}' has more than {max} items.")
                                   .arg("field", field)
                                   .arg("max", std::to_string(maxItems))
                                   .extension("field", field));
    std::vector<std::string> items;
    for (const auto& item : *array) {
        if (!item.isString())
            throw ProblemException(
                Problem(ProblemKind::WrongType, "The field '{field}' must be an array of strings, not {type}.")
                    .arg("field", field)
                    .arg("type", "an array of " + typeName(item) + "s")
                    .extension("field", field));
        std::string text = item.extract<std::string>();
        if (!isValidUtf8(text))
            throw ProblemException(Problem(ProblemKind::InvalidEncoding, "The request body is not valid UTF-8."));
        if (codePoints(text) == 0 || codePoints(text) > maxLength)
            throw ProblemException(
                Problem(ProblemKind::InvalidValue, "Each item of '{field}' must have 1 to {max} characters.")
                    .arg("field", field)
                    .arg("max", std::to_string(maxLength))
                    .extension("field", field));
        items.push_back(std::move(text));
    }
    return items;
}

std::vector<JsonBody> JsonBody::objectList(const std::string& field, std::size_t maxItems,
                                           const std::vector<std::string>& knownFields) const {
    if (!has(field)) return {};
    const auto value = object_->get(field);
    const auto wrongType = [&](const std::string& type) {
        return ProblemException(
            Problem(ProblemKind::WrongType, "The field '{field}' must be an array of objects, not {type}.")
                .arg("field", field)
                .arg("type", type)
                .extension("field", field));
    };
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) throw wrongType(typeName(value));
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    if (array->size() > maxItems)
        throw ProblemException(Problem(ProblemKind::InvalidValue, "The field '{field}' has more than {max} items.")
                                   .arg("field", field)
                                   .arg("max", std::to_string(maxItems))
                                   .extension("field", field));
    std::vector<JsonBody> items;
    for (const auto& item : *array) {
        if (item.type() != typeid(Poco::JSON::Object::Ptr)) throw wrongType("an array of " + typeName(item) + "s");
        items.push_back(checked(item.extract<Poco::JSON::Object::Ptr>(), knownFields));
    }
    return items;
}

} // namespace caseflow::service
