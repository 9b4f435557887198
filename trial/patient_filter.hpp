#pragma once
// Which patients a report, the worklist or an export is about: --patient,
// --site and --protocol ID[@VERSION], each checked against what exists so
// that a typo is refused rather than answered with an empty report.
#include "trial/catalog.hpp"
#include "store/store.hpp"

#include <functional>
#include <optional>
#include <string>

namespace trialcal::trial {

// The filters as typed; empty: any.
struct PatientFilter {
    std::string patient;
    std::string site;
    std::string protocol;  // ID, ID@VERSION or an NCT number
};

class PatientSelection {
public:
    // Checks every value given, before anything is read or written:
    // Kind::bad_data naming it for a patient not enrolled, a site not
    // registered (the message lists those that are), a protocol the catalog
    // does not know, or a version it has no file for. `catalog` is read only
    // when a protocol is named.
    [[nodiscard]] static PatientSelection resolve(store::Store& s, const std::function<Catalog()>& catalog,
                                                  const PatientFilter& f);

    // ID@VERSION selects the patients currently on that version only; ID
    // every version.
    [[nodiscard]] bool admits(const store::Patient& p) const noexcept;
    [[nodiscard]] const std::string& patient() const noexcept { return patient_; }
    [[nodiscard]] const std::string& site() const noexcept { return site_; }
    // The canonical protocol id (an NCT number resolved); empty: any.
    [[nodiscard]] const std::string& protocol() const noexcept { return protocol_; }
    [[nodiscard]] const std::optional<std::string>& version() const noexcept { return version_; }

private:
    std::string patient_, site_, protocol_;
    std::optional<std::string> version_;
};

}  // namespace trialcal::trial
