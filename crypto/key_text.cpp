// The text of key files: a magic first line, then one `key: value` a line.
#include "crypto/detail.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace trialcal::crypto::detail {

void add_line(std::string& out, std::string_view key, std::string_view value) {
    out.append(key).append(": ").append(value).push_back('\n');
}

void check_name(const std::string& name) {
    if (name.find_first_of("\r\n") != std::string::npos)
        throw std::invalid_argument("a key's name is one line: '" + name + "' holds a line break");
}

void add_public_lines(std::string& out, const PublicKey& k) {
    check_name(k.name);
    add_line(out, "kind", kind_name(k.kind));
    if (!k.name.empty()) add_line(out, "name", k.name);
    add_line(out, "public", to_base64(k.bytes));
}

KeyText::KeyText(std::string_view text, std::string_view magic, std::initializer_list<std::string_view> known,
                 std::string origin)
    : text_(text), origin_(std::move(origin)) {
    if (text.substr(0, magic.size()) != magic || (text.size() > magic.size() && text[magic.size()] != '\n'))
        damaged(std::string("not a trialcal key file of this kind (the first line is not '") + std::string(magic) +
                "')");
    if (text.empty() || text.back() != '\n') damaged("truncated: its last line has no end");
    std::size_t at = magic.size() + 1;
    for (int number = 2; at < text.size(); ++number) {
        const std::size_t end = text.find('\n', at);
        const std::string_view line = text.substr(at, end - at);
        const std::size_t colon = line.find(": ");
        if (colon == std::string_view::npos || colon == 0)
            damaged("line " + std::to_string(number) + " is not 'key: value'");
        const std::string_view key = line.substr(0, colon);
        if (std::find(known.begin(), known.end(), key) == known.end())
            damaged("line " + std::to_string(number) + ": unknown field '" + std::string(key) + "'");
        if (find(key)) damaged("line " + std::to_string(number) + ": a second '" + std::string(key) + ":' line");
        lines_.push_back({key, line.substr(colon + 2), at});
        at = end + 1;
    }
}

const KeyText::Line* KeyText::find(std::string_view key) const noexcept {
    const auto it = std::find_if(lines_.begin(), lines_.end(), [key](const Line& l) { return l.key == key; });
    return it == lines_.end() ? nullptr : &*it;
}

bool KeyText::has(std::string_view key) const noexcept { return find(key) != nullptr; }

std::string_view KeyText::get(std::string_view key) const {
    const Line* l = find(key);
    if (!l) damaged("no '" + std::string(key) + ":' line (truncated?)");
    return l->value;
}

std::string_view KeyText::text_before(std::string_view key) const {
    const Line* l = find(key);
    if (!l) damaged("no '" + std::string(key) + ":' line (truncated?)");
    return text_.substr(0, l->offset);
}

std::string KeyText::bytes(std::string_view key, std::size_t length) const {
    auto b = from_base64(get(key));
    if (!b) damaged("'" + std::string(key) + ":' is not base64");
    if (b->size() != length)
        damaged("'" + std::string(key) + ":' holds " + std::to_string(b->size()) + " bytes, not " +
                std::to_string(length));
    return std::move(*b);
}

unsigned long long KeyText::number(std::string_view key, unsigned long long min, unsigned long long max) const {
    const std::string_view v = get(key);
    unsigned long long n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{} || end != v.data() + v.size() || n < min || n > max)
        damaged("'" + std::string(key) + ":' is not a number from " + std::to_string(min) + " to " +
                std::to_string(max));
    return n;
}

PublicKey KeyText::public_key() const {
    PublicKey k;
    const std::string_view kind = get("kind");
    if (kind == kind_name(KeyKind::unblinding))
        k.kind = KeyKind::unblinding;
    else if (kind == kind_name(KeyKind::signing))
        k.kind = KeyKind::signing;
    else
        damaged("'kind:' is '" + std::string(kind) + "', not unblinding or signing");
    if (has("name")) k.name = get("name");
    k.bytes = bytes("public", public_key_bytes);
    return k;
}

void KeyText::damaged(const std::string& what) const { throw Error(Errc::damaged, origin_ + ": damaged key file: " + what); }

}  // namespace trialcal::crypto::detail
