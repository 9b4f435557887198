// The stored values' text forms, the same for every engine: ISO dates, and
// the canonical form of a record that an import's audit row seals.
#include "store/store.hpp"

#include <fmt/format.h>

#include <charconv>

namespace trialcal::store {

const char* kind_name(RecordKind k) noexcept {
    switch (k) {
    case RecordKind::dose: return "dose";
    case RecordKind::visit: return "visit";
    case RecordKind::skip: return "skip";
    }
    return "dose";
}

IsoDateText::IsoDateText(date::sys_days d) noexcept {
    const date::year_month_day ymd{d};
    const int y = static_cast<int>(ymd.year());
    const unsigned m = static_cast<unsigned>(ymd.month()), dd = static_cast<unsigned>(ymd.day());
    const auto digit = [](unsigned v) { return static_cast<char>('0' + v % 10); };
    const unsigned uy = y < 0 ? 0u : static_cast<unsigned>(y);
    text_ = {digit(uy / 1000), digit(uy / 100), digit(uy / 10), digit(uy), '-', digit(m / 10), digit(m), '-',
             digit(dd / 10),   digit(dd),       '\0'};
}

std::string iso(date::sys_days d) { return std::string(IsoDateText(d).view()); }

date::sys_days from_iso(std::string_view s) noexcept {
    const auto number = [&](std::size_t at, std::size_t n) {
        unsigned v = 0;
        for (std::size_t i = at; i < at + n && i < s.size(); ++i) v = v * 10 + static_cast<unsigned>(s[i] - '0');
        return v;
    };
    return date::sys_days{date::year{static_cast<int>(number(0, 4))} / date::month{number(5, 2)} /
                          date::day{number(8, 2)}};
}

void append_canonical(std::string& out, const StoredRecord& r) {
    char digits[32];
    const auto field = [&](std::string_view v) {
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v.size());
        out.append(digits, end);
        out += ':';
        out += v;
        out += ';';
    };
    const auto [id_end, ec] = std::to_chars(digits, digits + sizeof digits, r.id);
    field(std::string_view(digits, static_cast<std::size_t>(id_end - digits)));
    field(r.patient);
    field(kind_name(r.kind));
    field(r.event ? std::string_view(*r.event) : std::string_view{});
    field(r.at_local);
    field(r.at_utc);
    field(r.tz);
    field(r.date ? IsoDateText(*r.date).view() : std::string_view{});
    field(r.product);
    // Shortest round-trip text of the double SQLite stores.
    field(r.amount ? fmt::format("{}", *r.amount) : std::string{});
    field(r.unit);
    field(r.kit);
    field(r.note);
    field(r.reason);
    field(r.recorded_at);
    field(r.recorded_by);
}

}  // namespace trialcal::store
