// libFuzzer harness: any bytes into the CSV reader behind the imports.
#include "trial/csv_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto t = trialcal::trial::CsvTable::parse(text, {"patient", "at"}, {"drug", "amount", "unit", "event", "note"});
    if (!t) {
        if (t.error().line < 1 || t.error().column < 1 || t.error().message.empty()) std::abort();
        return 0;
    }
    for (std::size_t r = 0; r < t->size(); ++r) {
        if (!t->get(r, "patient") && !t->get(r, "at") && t->line(r) < 2) std::abort();
        (void)t->get(r, "note");
        (void)t->get(r, "no such column");
    }
    return 0;
}
