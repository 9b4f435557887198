#include "trial/input_file.hpp"

#include "trial/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace trialcal::trial {

namespace {

std::string_view type_of(mode_t mode) noexcept {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a file";
}

// Closes the descriptor however the read ends.
class Descriptor {
public:
    explicit Descriptor(int fd) noexcept : fd_(fd) {}
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    ~Descriptor() { ::close(fd_); }
    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    int fd_;
};

[[noreturn]] void too_large(const std::filesystem::path& p, FileLimit limit, const std::string& size) {
    throw Error(Kind::bad_data, fmt::format("{}: {} bytes, more than {} bytes ({}), the most trialcal reads from {}",
                                            p.string(), size, limit.bytes, limit.size, limit.of));
}

}  // namespace

InputText read_input(const std::filesystem::path& p, FileLimit limit) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        // A socket cannot be opened at all: it is a type problem, not a missing file.
        if (err == ENXIO) return {{}, "a socket or a device without a driver"};
        throw Error(Kind::not_found, fmt::format("{}: cannot be read: {}", p.string(), std::strerror(err)));
    }
    const Descriptor file(fd);
    struct stat st {};
    if (::fstat(file.get(), &st) != 0)
        throw Error(Kind::not_found, fmt::format("{}: cannot be read: {}", p.string(), std::strerror(errno)));
    if (!S_ISREG(st.st_mode)) return {{}, std::string(type_of(st.st_mode))};
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > limit.bytes) too_large(p, limit, std::to_string(size));
    // The file may grow after fstat: read one byte past the limit at most,
    // enough to know it is over.
    InputText out;
    out.text.resize(static_cast<std::size_t>(size) + 1);
    std::size_t got = 0;
    while (true) {
        if (got == out.text.size()) {
            if (got > limit.bytes) too_large(p, limit, fmt::format("more than {}", limit.bytes));
            out.text.resize(std::min<std::uint64_t>(limit.bytes + 1, got * 2 + 4096));
        }
        const ssize_t n = ::read(file.get(), out.text.data() + got, out.text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Error(Kind::not_found, fmt::format("{}: read error: {}", p.string(), std::strerror(errno)));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > limit.bytes) too_large(p, limit, fmt::format("more than {}", limit.bytes));
    out.text.resize(got);
    return out;
}

std::string read_regular_file(const std::filesystem::path& p, FileLimit limit) {
    InputText in = read_input(p, limit);
    if (!in.not_regular.empty())
        throw Error(Kind::bad_data, fmt::format("{}: not a regular file but {}: trialcal reads input only from regular files",
                                                p.string(), in.not_regular));
    return std::move(in.text);
}

std::string read_file(const std::filesystem::path& p) { return read_regular_file(p, text_file_limit); }

}  // namespace trialcal::trial
