// Binary values as text: standard base64 with padding, and lower-case hex.
#include "crypto/crypto.hpp"
#include "crypto/detail.hpp"

#include <sodium.h>

namespace trialcal::crypto {

namespace {
constexpr int variant = sodium_base64_VARIANT_ORIGINAL;
}

std::string to_base64(std::string_view bytes) {
    start();
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    ::sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                        bytes.size(), variant);
    text.pop_back();  // the terminating NUL
    return text;
}

std::optional<std::string> from_base64(std::string_view text) {
    start();
    std::string bytes(text.size() / 4 * 3 + 3, '\0');
    std::size_t length = 0;
    // No characters ignored, and all of `text` must be read (no end pointer).
    if (::sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(),
                            nullptr, &length, nullptr, variant) != 0)
        return std::nullopt;
    bytes.resize(length);
    return bytes;
}

std::string to_hex(std::string_view bytes) {
    std::string text(bytes.size() * 2 + 1, '\0');
    ::sodium_bin2hex(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    text.pop_back();
    return text;
}

}  // namespace trialcal::crypto
