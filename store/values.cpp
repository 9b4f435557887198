// The stored values' text forms, the same for every engine: ISO dates.
#include "store/store.hpp"

#include <fmt/format.h>

#include <charconv>

namespace trialcal::store {

const char* kind_name(RecordKind k) noexcept {
    switch (k) {
    case RecordKind::dose: return "dose";
    case RecordKind::visit: return "visit";
    case RecordKind::skip: return "skip";
    case RecordKind::discontinue: return "discontinue";
    case RecordKind::withdraw: return "withdraw";
    case RecordKind::hold: return "hold";
    case RecordKind::resume: return "resume";
    case RecordKind::weight: return "weight";
    case RecordKind::dose_change: return "dose_change";
    }
    return "dose";
}

RecordKind record_kind(std::string_view name) noexcept {
    for (RecordKind k : {RecordKind::dose, RecordKind::visit, RecordKind::skip, RecordKind::discontinue,
                         RecordKind::withdraw, RecordKind::hold, RecordKind::resume, RecordKind::weight,
                         RecordKind::dose_change})
        if (name == kind_name(k)) return k;
    return RecordKind::dose;
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

}  // namespace trialcal::store
