#pragma once
// The patients for_each_patient is walking, a batch at a time, and what has
// been read of them all at once. A report on a network reads patient by
// patient (streaming, memory one patient), but each read is a round trip to
// the server: 3 per patient made a 2 000-patient report 10x slower than on
// SQLite. While a batch is walked in a read-only snapshot, the first plan (or
// records) asked of one of its patients is read for the whole batch in one
// statement, and the others are served from it. Only in a snapshot: nothing
// the batch holds can change under it.
#include "store/postgresql/connection.hpp"
#include "store/postgresql/rows.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace trialcal::store::postgresql {

class PatientBatch {
public:
    static constexpr std::size_t patients_per_batch = 500;
    // What is read per patient: each kind one statement per batch.
    enum class Read { plan, judging_plan, live_records, records };

    // The batch being walked from now on, replacing any before.
    void start(std::span<const std::string> ids);
    void end() noexcept;
    // The rows `sql` gives of `patient` when the patient is in the batch, else
    // nothing (the caller reads that patient alone). `sql` selects the rows of
    // the patients in the text array $1 ordered by patient first, with the
    // patient as the last column.
    [[nodiscard]] std::optional<ResultRows> rows(Connection& c, Read what, const std::string& sql,
                                                 const std::string& patient);

private:
    struct Rows {
        Result result{nullptr};
        std::unordered_map<std::string, std::pair<int, int>> of;  // patient -> [first row, end)
        bool read = false;
    };
    std::unordered_set<std::string> ids_;
    std::array<Rows, 4> rows_;
};

}  // namespace trialcal::store::postgresql
