#pragma once
// `report screening`: every screening with its verdict, what failed, and
// whether the patient went on to be enrolled; screen failures stand out.
#include <date/date.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace trialcal {

struct ScreeningLine {
    std::int64_t id = 0;
    std::string patient, site, protocol, version;
    date::sys_days on;
    std::vector<std::pair<std::string, double>> values;  // criterion id, value, as typed
    bool eligible = false;
    std::vector<std::string> failures;  // each failed criterion with its value and bound
    bool enrolled = false;
};

[[nodiscard]] std::string screening_table(const std::vector<ScreeningLine>& lines);
[[nodiscard]] std::string screening_json(const std::vector<ScreeningLine>& lines);
[[nodiscard]] std::string screening_csv(const std::vector<ScreeningLine>& lines);

}  // namespace trialcal
