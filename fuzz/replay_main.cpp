// Replays fuzz inputs without libFuzzer, so that the normal (gcc, unsanitized) build runs the
// seed corpora and every kept regression through the same target code: each file named, or
// each file under each directory named, is given once to LLVMFuzzerTestOneInput. Options
// (arguments starting with '-', as libFuzzer's -runs=0) are ignored, so ctest calls both
// builds' binaries the same way. A broken property aborts, and the test fails.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<char> content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(content.data()), content.size());
}

} // namespace

int main(int argc, char** argv) {
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument.rfind('-', 0) == 0) continue;
        if (std::filesystem::is_directory(argument)) {
            std::vector<std::filesystem::path> files;
            for (const auto& entry : std::filesystem::recursive_directory_iterator(argument))
                if (entry.is_regular_file()) files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& file : files) replay(file), ++replayed;
        } else if (std::filesystem::is_regular_file(argument)) {
            replay(argument), ++replayed;
        } else {
            std::cerr << argv[0] << ": no input at " << argument << "\n";
            return 2;
        }
    }
    std::cout << "replayed " << replayed << " inputs\n";
    return 0;
}
