// Secret files (see PrivateFile.h). What must stay true: the file descriptor is owned by an
// RAII holder on every path, and a partly written key file is removed, never left behind.
#include "signature/PrivateFile.h"

#include "core/Errors.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace caseflow::signature {
namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    // Closes now, so that a failed close (a full disk, say) is reported.
    bool close() {
        const int fd = fd_;
        fd_ = -1;
        return ::close(fd) == 0;
    }

private:
    int fd_;
};

} // namespace

void writePrivateFile(const std::filesystem::path& path, std::string_view bytes) {
    FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (file.get() < 0) {
        if (errno == EEXIST) throw UsageError(path.string() + " already exists; a key file is never overwritten");
        throw Error("cannot create " + path.string() + ": " + std::strerror(errno));
    }
    std::size_t written = 0;
    bool ok = true;
    while (ok && written < bytes.size()) {
        const ssize_t result = ::write(file.get(), bytes.data() + written, bytes.size() - written);
        if (result < 0 && errno == EINTR) continue;
        ok = result > 0;
        if (ok) written += static_cast<std::size_t>(result);
    }
    ok = ok && ::fsync(file.get()) == 0;
    const std::string reason = std::strerror(errno);
    if (!file.close() || !ok) {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
        throw Error("cannot write " + path.string() + ": " + reason);
    }
}

std::string readPassword(const std::optional<std::string>& file, const std::string& option, const char* variable,
                         const std::string& what) {
    if (file) {
        std::ifstream in(*file, std::ios::binary);
        if (!in) throw NotFound("cannot read the password file " + *file);
        std::string password;
        std::getline(in, password);
        if (!password.empty() && password.back() == '\r') password.pop_back();
        if (password.empty()) throw UsageError("the password file " + *file + " is empty");
        return password;
    }
    if (const char* value = std::getenv(variable); value && *value) return value;
    throw UsageError(what + " needs a password: give " + option + " FILE or set " + variable +
                     " (a password is never accepted on the command line)");
}

} // namespace caseflow::signature
