// Detection of text that needs bidirectional isolation. What must stay true: any explicit
// embedding, override or isolate control is caught, whatever surrounds it.
#include "render/HtmlWriter.h"

namespace caseflow::render {

bool needsBidiIsolation(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        // U+0590..U+08FF (Hebrew, Arabic, Syriac, Thaana, N'Ko...): lead bytes D6..DF, E0 A0..A3.
        if (byte >= 0xD6 && byte <= 0xDF) return true;
        if (i + 2 < text.size()) {
            const auto second = static_cast<unsigned char>(text[i + 1]);
            const auto third = static_cast<unsigned char>(text[i + 2]);
            if (byte == 0xE0 && second >= 0xA0 && second <= 0xA3) return true;
            // U+200E, U+200F (LRM, RLM), U+202A..U+202E (embeddings, overrides).
            if (byte == 0xE2 && second == 0x80 && (third == 0x8E || third == 0x8F || (third >= 0xAA && third <= 0xAE)))
                return true;
            // U+2066..U+2069 (isolates).
            if (byte == 0xE2 && second == 0x81 && third >= 0xA6 && third <= 0xA9) return true;
            // U+FB1D..U+FDFF and U+FE70..U+FEFF: Hebrew and Arabic presentation forms.
            if (byte == 0xEF && ((second == 0xAC && third >= 0x9D) || (second >= 0xAD && second <= 0xB7) ||
                                 (second >= 0xB9 && second <= 0xBB)))
                return true;
        }
    }
    return false;
}

} // namespace caseflow::render
