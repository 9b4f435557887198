#include "trial/zone_file.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>

namespace trialcal::trial {

namespace {

// Big-endian fields of a TZif file, read with bounds checks.
class Reader {
public:
    explicit Reader(std::string_view b) : b_(b) {}
    [[nodiscard]] bool has(std::size_t n) const noexcept { return pos_ <= b_.size() && b_.size() - pos_ >= n; }
    bool skip(std::size_t n) noexcept {
        if (!has(n)) return false;
        pos_ += n;
        return true;
    }
    [[nodiscard]] std::uint64_t be(std::size_t n) noexcept {  // caller checked has(n)
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(b_[pos_ + i]);
        pos_ += n;
        return v;
    }
    [[nodiscard]] std::string_view peek(std::size_t n) const noexcept { return b_.substr(pos_, n); }

private:
    std::string_view b_;
    std::size_t pos_ = 0;
};

struct Counts {
    std::uint64_t isut, isstd, leap, time, type, chars;
};

std::optional<Counts> header(Reader& r) {
    if (!r.has(44) || r.peek(4) != "TZif") return std::nullopt;
    (void)r.skip(4);
    const char version = r.peek(1)[0];
    if (version != '2' && version != '3' && version != '4') return std::nullopt;
    (void)r.skip(16);
    Counts c{r.be(4), r.be(4), r.be(4), r.be(4), r.be(4), r.be(4)};
    if (c.type == 0 || c.type > 256 || c.time > 100000) return std::nullopt;
    return c;
}

}  // namespace

std::optional<ZoneFile> ZoneFile::parse(std::string_view bytes) {
    Reader r(bytes);
    const auto v1 = header(r);
    if (!v1) return std::nullopt;
    // Skip the 32-bit block: its counts are the first header's.
    if (!r.skip(v1->time * 5 + v1->type * 6 + v1->chars + v1->leap * 8 + v1->isstd + v1->isut)) return std::nullopt;
    const auto c = header(r);
    if (!c || !r.has(c->time * 9 + c->type * 6)) return std::nullopt;
    ZoneFile z;
    z.at_.reserve(c->time);
    for (std::uint64_t i = 0; i < c->time; ++i) z.at_.push_back(static_cast<std::int64_t>(r.be(8)));
    std::vector<std::uint8_t> type_of(c->time);
    for (auto& t : type_of) t = static_cast<std::uint8_t>(r.be(1));
    std::vector<std::int32_t> utoff(c->type);
    for (auto& o : utoff) {
        o = static_cast<std::int32_t>(static_cast<std::uint32_t>(r.be(4)));
        (void)r.be(2);  // isdst, abbreviation index: not needed
    }
    if (!std::is_sorted(z.at_.begin(), z.at_.end())) return std::nullopt;
    z.offset_.reserve(c->time);
    for (const auto t : type_of) {
        if (t >= c->type) return std::nullopt;
        z.offset_.push_back(utoff[t]);
    }
    z.before_first_ = utoff[0];
    // The footer: a POSIX TZ string for instants past the last transition.
    // Without a rule (no ',': "IST-5:30", "UTC0") the last offset holds for
    // good; with one, this reader leaves those instants to date-tz.
    if (r.skip(c->chars + c->leap * 12 + c->isstd + c->isut) && r.has(2) && r.peek(1) == "\n") {
        (void)r.skip(1);
        std::size_t n = 0;
        while (r.has(n + 1) && r.peek(n + 1).back() != '\n') ++n;
        const std::string_view footer = r.peek(n);
        if (r.has(n + 1) && !footer.empty() && footer.find(',') == std::string_view::npos)
            z.fixed_after_ = z.offset_.empty() ? z.before_first_ : z.offset_.back();
    }
    return z;
}

std::optional<ZoneFile> ZoneFile::load(const std::string& name) {
    const bool plain_name = !name.empty() && name.front() != '/' && name.find("..") == std::string::npos &&
                            name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") ==
                                std::string::npos;
    if (!plain_name) return std::nullopt;
    std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
    if (!in) return std::nullopt;
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return parse(bytes);
}

std::optional<std::chrono::seconds> ZoneFile::offset_at(date::sys_seconds t) const noexcept {
    const std::int64_t s = t.time_since_epoch().count();
    if (at_.empty() || s >= at_.back()) {
        if (fixed_after_) return std::chrono::seconds{*fixed_after_};
        return std::nullopt;
    }
    const auto next = std::upper_bound(at_.begin(), at_.end(), s);
    if (next == at_.begin()) return std::chrono::seconds{before_first_};
    return std::chrono::seconds{offset_[static_cast<std::size_t>(next - at_.begin() - 1)]};
}

std::optional<ZoneFile::Instants> ZoneFile::instants_at(date::local_seconds local) const noexcept {
    // Zones change offset at most once within a day of any wall time: the
    // offsets a day either side are the only candidates.
    const date::sys_seconds naive{local.time_since_epoch()};
    const auto before = offset_at(naive - date::days{1});
    const auto after = offset_at(naive + date::days{1});
    if (!before || !after) return std::nullopt;
    const std::array candidates{*before, *after};
    const std::size_t distinct = *before == *after ? 1 : 2;
    Instants out;
    for (std::size_t i = 0; i < distinct; ++i) {
        const auto offset = candidates[i];
        const date::sys_seconds t = naive - offset;
        const auto actual = offset_at(t);
        if (!actual) return std::nullopt;
        if (*actual != offset) continue;
        if (out.count == 0 || t < out.earliest) out.earliest = t;
        if (out.count == 0 || t > out.latest) out.latest = t;
        ++out.count;
    }
    return out;
}

}  // namespace trialcal::trial
