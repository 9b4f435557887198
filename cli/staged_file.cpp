#include "cli/staged_file.hpp"

#include "cli/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trialcal::cli {

namespace fs = std::filesystem;

void refuse_existing(const fs::path& p, const std::string& what) {
    throw Error(Exit::refused, fmt::format("{} exists: {} is never overwritten; choose another --out", p.string(), what));
}

StagedFile::StagedFile(const fs::path& final_path, const std::string& text, mode_t mode, std::string what)
    : final_(final_path), what_(std::move(what)) {
    const fs::path dir = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
    for (int n = 0; fd_ < 0; ++n) {
        temp_ = dir / fmt::format(".{}.{}-{}.tmp", final_path.filename().string(), ::getpid(), n);
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd_ < 0 && (errno != EEXIST || n > 100)) fail("cannot be created");
    }
    if (::fchmod(fd_, mode) != 0) fail("cannot be given its mode");  // whatever the umask
    for (std::size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot be written");
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd_) != 0) fail("cannot be written");
}

StagedFile::~StagedFile() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(temp_.c_str());
    if (!kept_ && placed_) ::unlink(final_.c_str());
}

void StagedFile::place() {
    if (::link(temp_.c_str(), final_.c_str()) != 0) {
        if (errno == EEXIST) refuse_existing(final_, what_);
        fail("cannot be written");
    }
    placed_ = true;
}

void StagedFile::fail(const char* what) const {
    throw Error(Exit::internal,
                fmt::format("{} {} ({}): nothing was written", final_.string(), what, std::strerror(errno)));
}

void sync_folder_of(const fs::path& p) {
    const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
    if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        ::fsync(d);
        ::close(d);
    }
}

}  // namespace trialcal::cli
