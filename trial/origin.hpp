#pragma once
// Where a value came from, so an error names it the way the user typed it:
// a flag on the command line (--weight) or a cell of an imported CSV file
// (patients.csv:12: column weight_kg).
#include "trial/error.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace trialcal::trial {

struct Origin {
    std::string_view file;  // empty: the command line; else a file name that outlives the Origin
    int line = 0;

    // The name of one value: the flag, or file:line: column NAME.
    [[nodiscard]] std::string operator()(std::string_view flag, std::string_view column) const {
        if (file.empty()) return std::string(flag);
        return fmt::format("{}:{}: column {}", file, line, column);
    }
    // The same name inside a message that starts with row(): the flag, or column NAME.
    [[nodiscard]] std::string in_row(std::string_view flag, std::string_view column) const {
        if (file.empty()) return std::string(flag);
        return fmt::format("column {}", column);
    }
    // What is missing is missing input when typed (a flag not given), but
    // bad data in a file (an empty cell).
    [[nodiscard]] Kind missing() const noexcept { return file.empty() ? Kind::missing_input : Kind::bad_data; }
    // A prefix for messages about the whole row ("" on the command line).
    [[nodiscard]] std::string row() const { return file.empty() ? std::string() : fmt::format("{}:{}: ", file, line); }
};

}  // namespace trialcal::trial
