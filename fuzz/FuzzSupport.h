// What the fuzz targets share: the project's data files (found like the engine finds them),
// the Namur settings and the sample situation the targets build on, and the one way a target
// reports a broken property. What must stay true: a target calls `violated` (which aborts,
// so libFuzzer keeps the input) only for a property the engine promises, never for an input
// the engine refused with one of its own errors; nothing here caches state that one input
// could leave behind for the next.
#pragma once

#include "model/NetworkSettings.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace caseflow::fuzz {

inline std::string_view bytes(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

std::string readFile(const std::filesystem::path& file);

// samples/namur/network.xml, loaded once.
const NetworkSettings& namurNetwork();

// tests/render/situation.xml: a situation that went through every phase (the render
// specifications' fixture), so templates and event data meet every part of the schema.
const std::string& sampleSituationXml();

// Prints what broke and aborts: libFuzzer records the input as a crash.
[[noreturn]] void violated(std::string_view property, std::string_view detail);

} // namespace caseflow::fuzz
