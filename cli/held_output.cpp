#include "cli/held_output.hpp"

#include "cli/error.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace trialcal::cli {

namespace {

[[noreturn]] void fail(const char* what) {
    throw Error(Exit::internal, fmt::format("the report could not be held back before it is signed: {} ({})", what,
                                            std::strerror(errno)));
}

}  // namespace

HeldOutput::HeldOutput() : file_(std::tmpfile()) {
    if (!file_) fail("no temporary file");
}

HeldOutput::~HeldOutput() { std::fclose(file_); }

void HeldOutput::write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("the temporary file cannot be written");
}

void HeldOutput::release() {
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) fail("the temporary file cannot be read");
    std::array<char, 1 << 16> buf{};
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), file_)) > 0;)
        if (std::fwrite(buf.data(), 1, n, stdout) != n) break;  // a closed pipe: the reader left
    std::fflush(stdout);
}

}  // namespace trialcal::cli
