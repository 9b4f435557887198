#pragma once
// CDISC SDTM datasets for the sponsor (docs/sdtm.md): TV, TA, TE from the
// trial design, SV, EX, DV from the subjects. Streamed subject by subject;
// writing the files is the front end's.
#include "output/sdtm.hpp"
#include "trial/sealing.hpp"
#include "trial/catalog.hpp"
#include "trial/env.hpp"
#include "trial/patient.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace trialcal::trial {

struct SdtmQuery {
    std::vector<std::string> domains;
    std::string protocol;  // one study (ID@VERSION: its subjects on that version); empty: every study in the store
    std::string out;       // the folder, for the front end
    std::string as_of;     // YYYY-MM-DD; empty: today at each site
    std::string format = "csv";  // csv | dataset-json: the rows are the same, only the container differs
    bool unblinded = false;  // EX names the real drug and amount: audited, needs a reason and the key
    std::string reason;
    std::optional<KeyFile> key;
};

// The query checked before anything is read.
struct SdtmRequest {
    std::vector<sdtm::Domain> domains;  // without repeats, in the order asked
    std::optional<date::sys_days> as_of;
    sdtm::Container container = sdtm::Container::csv;
};
[[nodiscard]] SdtmRequest prepare_sdtm(const SdtmQuery& q);

// Receives the bytes of dataset `r.domains[i]` in order: a CSV's header
// first; Dataset-JSON's rows only (output/dataset_json.hpp: the head, which
// counts them, and the tail are the front end's).
using SdtmSink = std::function<void(std::size_t i, const std::string& bytes)>;

// Writes every dataset asked for through `to`, study by study and subject by
// subject: a network's subjects are never all in memory. Returns each
// dataset's rows (not counting the header). An unblinded export is in the
// audit trail before its first byte is handed on. `catalog` is read only when
// a study's design is needed.
[[nodiscard]] std::vector<std::size_t> stream_sdtm(const Env& env, const Actor& by,
                                                   const std::function<Catalog()>& catalog, const SdtmQuery& q,
                                                   const SdtmRequest& r, const SdtmSink& to);

}  // namespace trialcal::trial
