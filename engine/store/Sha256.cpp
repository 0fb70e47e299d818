// SHA-256 as lowercase hexadecimal (see Sha256.h), computed by Poco rather than by hand.
#include "store/Sha256.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace caseflow::store {

std::string sha256Hex(std::string_view data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data.data(), data.size());
    return Poco::DigestEngine::digestToHex(engine.digest());
}

} // namespace caseflow::store
