#pragma once
// RFC 4180 CSV: CRLF-free (\n) rows, fields quoted only when they must be.
#include <string>
#include <utility>
#include <string_view>
#include <vector>

namespace trialcal {

class CsvWriter {
public:
    explicit CsvWriter(std::vector<std::string> header);
    void row(const std::vector<std::string>& fields);
    [[nodiscard]] const std::string& str() const noexcept { return out_; }
    // What was written since the last take(), for files streamed in parts.
    [[nodiscard]] std::string take() { return std::exchange(out_, {}); }

private:
    void write(const std::vector<std::string>& fields);
    std::string out_;
    std::size_t columns_;
};

[[nodiscard]] std::string csv_field(std::string_view s);

}  // namespace trialcal
