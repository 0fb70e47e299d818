// Shared pieces of the fuzz targets (see FuzzSupport.h).
#include "FuzzSupport.h"

#include "model/Paths.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace caseflow::fuzz {

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

const NetworkSettings& namurNetwork() {
    static const auto network = NetworkSettings::fromFile(dataDir() / "samples" / "namur" / "network.xml");
    return *network;
}

const std::string& sampleSituationXml() {
    static const std::string text = readFile(dataDir() / "tests" / "render" / "situation.xml");
    return text;
}

void violated(std::string_view property, std::string_view detail) {
    std::cerr << "caseflow fuzz: property broken: " << property << "\n" << detail << "\n";
    std::abort();
}

} // namespace caseflow::fuzz
