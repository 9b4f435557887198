// libFuzzer harness: any text into the date and date-time parsers; what they
// accept must be a real calendar date and time of day.
#include "core/datetime.hpp"

#include <date/date.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto d = trialcal::parse_date(text)) {
        if (!date::year_month_day{*d}.ok() || text.size() != 10) std::abort();
    }
    if (auto t = trialcal::parse_datetime(text)) {
        const auto day = date::floor<date::days>(t->local);
        const auto time = t->local - day;
        if (time < std::chrono::seconds{0} || time >= date::days{1}) std::abort();
        if (t->offset && (*t->offset > std::chrono::hours{18} || *t->offset < -std::chrono::hours{18})) std::abort();
    }
    return 0;
}
