#include "store/postgresql/patient_batch.hpp"

namespace trialcal::store::postgresql {

void PatientBatch::start(std::span<const std::string> ids) {
    end();
    ids_.insert(ids.begin(), ids.end());
}

void PatientBatch::end() noexcept {
    ids_.clear();
    for (Rows& r : rows_) r = Rows{};
}

std::optional<ResultRows> PatientBatch::rows(Connection& c, Read what, const std::string& sql,
                                             const std::string& patient) {
    if (!ids_.contains(patient)) return std::nullopt;
    Rows& r = rows_[static_cast<std::size_t>(what)];
    if (!r.read) {
        const std::vector<std::string> ids(ids_.begin(), ids_.end());
        r.result = c.run(sql, Params().text_array(ids));
        const int key = r.result.columns() - 1;
        for (int first = 0, n = r.result.rows(); first < n;) {
            int end = first + 1;
            while (end < n && r.result.text(end, key) == r.result.text(first, key)) ++end;
            r.of.emplace(r.result.str(first, key), std::pair{first, end});
            first = end;
        }
        r.read = true;
    }
    const auto at = r.of.find(patient);
    if (at == r.of.end()) return ResultRows(r.result, 0, 0);  // none of this kind
    return ResultRows(r.result, at->second.first, at->second.second);
}

}  // namespace trialcal::store::postgresql
