// `?` parameters to `$N` (see PgPlaceholders.h): one pass over the text that knows PostgreSQL's
// lexical forms well enough to step over everything that is not SQL code: '...' (with '' inside),
// E'...' (with backslash escapes), "..." identifiers, $tag$...$tag$ bodies, -- and /* */ comments
// (which nest in PostgreSQL).
#include "store/postgres/PgPlaceholders.h"

#include "core/Errors.h"

#include <algorithm>
#include <cctype>

namespace caseflow::store::postgres {

namespace {

bool isIdentifierChar(char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_';
}

[[noreturn]] void unterminated(const char* what, std::string_view sql) {
    throw UsageError(std::string("unterminated ") + what + " in SQL [" + std::string(sql) + "]");
}

} // namespace

TranslatedSql toPostgresPlaceholders(std::string_view sql) {
    TranslatedSql out;
    out.sql.reserve(sql.size() + 16);
    std::size_t at = 0;
    const std::size_t size = sql.size();
    // Copies sql[at, end) and moves on.
    auto copyTo = [&](std::size_t end) {
        out.sql.append(sql.substr(at, end - at));
        at = end;
    };
    while (at < size) {
        const char ch = sql[at];
        if (ch == '\'') {
            // E'...' takes backslash escapes; the E was copied as code just before.
            const bool escapes =
                at > 0 && (sql[at - 1] == 'E' || sql[at - 1] == 'e') && (at < 2 || !isIdentifierChar(sql[at - 2]));
            std::size_t end = at + 1;
            for (;; ++end) {
                if (end >= size) unterminated("string literal", sql);
                if (escapes && sql[end] == '\\') {
                    ++end;
                    continue;
                }
                if (sql[end] == '\'') {
                    if (end + 1 < size && sql[end + 1] == '\'') {
                        ++end;
                        continue;
                    }
                    break;
                }
            }
            copyTo(end + 1);
        } else if (ch == '"') {
            std::size_t end = at + 1;
            for (;; ++end) {
                if (end >= size) unterminated("quoted identifier", sql);
                if (sql[end] == '"') {
                    if (end + 1 < size && sql[end + 1] == '"') {
                        ++end;
                        continue;
                    }
                    break;
                }
            }
            copyTo(end + 1);
        } else if (ch == '-' && at + 1 < size && sql[at + 1] == '-') {
            const std::size_t end = sql.find('\n', at);
            copyTo(end == std::string_view::npos ? size : end);
        } else if (ch == '/' && at + 1 < size && sql[at + 1] == '*') {
            int depth = 0;
            std::size_t end = at;
            do {
                if (end + 1 >= size) unterminated("comment", sql);
                if (sql[end] == '/' && sql[end + 1] == '*') {
                    ++depth;
                    end += 2;
                } else if (sql[end] == '*' && sql[end + 1] == '/') {
                    --depth;
                    end += 2;
                } else {
                    ++end;
                }
            } while (depth > 0);
            copyTo(end);
        } else if (ch == '$' && (at == 0 || !isIdentifierChar(sql[at - 1]))) {
            // $tag$ ... $tag$ (tag possibly empty); a $ followed by digits is already a parameter.
            std::size_t tagEnd = at + 1;
            while (tagEnd < size && isIdentifierChar(sql[tagEnd]) &&
                   std::isdigit(static_cast<unsigned char>(sql[at + 1])) == 0)
                ++tagEnd;
            if (tagEnd < size && sql[tagEnd] == '$') {
                const std::string_view tag = sql.substr(at, tagEnd - at + 1);
                const std::size_t close = sql.find(tag, tagEnd + 1);
                if (close == std::string_view::npos) unterminated("dollar-quoted string", sql);
                copyTo(close + tag.size());
            } else {
                copyTo(at + 1);
            }
        } else if (ch == '?') {
            std::size_t end = at + 1;
            while (end < size && std::isdigit(static_cast<unsigned char>(sql[end])) != 0) ++end;
            int number = out.parameterCount + 1;
            if (end > at + 1) {
                number = std::stoi(std::string(sql.substr(at + 1, end - at - 1)));
                if (number < 1) throw UsageError("SQL parameter ?0 does not exist [" + std::string(sql) + "]");
            }
            out.parameterCount = std::max(out.parameterCount, number);
            out.sql += '$' + std::to_string(number);
            at = end;
        } else {
            std::size_t end = at + 1;
            while (end < size && std::string_view("'\"-/$?").find(sql[end]) == std::string_view::npos) ++end;
            copyTo(end);
        }
    }
    return out;
}

} // namespace caseflow::store::postgres
