// The filters checked against the store and the catalog.
#include "trial/patient_filter.hpp"

#include "trial/error.hpp"
#include "trial/sites.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

PatientSelection PatientSelection::resolve(store::Store& s, const std::function<Catalog()>& catalog,
                                           const PatientFilter& f) {
    PatientSelection sel;
    if (!f.patient.empty()) {
        if (!s.patient(f.patient)) throw Error(Kind::bad_data, fmt::format("--patient: unknown patient '{}'", f.patient));
        sel.patient_ = f.patient;
    }
    if (!f.site.empty()) {
        // A registered site, as typed in any case; its patients carry its code.
        const SiteBook sites(s.sites());
        sel.site_ = sites.find(f.site, "--site").code;
        // Refused, not an empty report: a nurse asking for another site's
        // patients is told why there are none.
        if (auto why = s.outside_site(sel.site_)) throw Error(Kind::not_permitted, fmt::format("--site {}: {}", f.site, *why));
    }
    if (!f.protocol.empty()) {
        const Catalog c = catalog();
        try {
            const ProtocolFile& file = c.find(f.protocol);
            sel.protocol_ = file.protocol.id;
            if (f.protocol.find('@') != std::string::npos) sel.version_ = file.protocol.version;
        } catch (const Error& e) {
            // The catalog names what exists; the message leads with the value as typed.
            throw Error(e.kind(), fmt::format("--protocol '{}': {}", f.protocol, e.what()));
        }
    }
    return sel;
}

bool PatientSelection::admits(const store::Patient& p) const noexcept {
    if (!patient_.empty() && p.id != patient_) return false;
    if (!site_.empty() && p.site != site_) return false;
    if (!protocol_.empty() && p.protocol != protocol_) return false;
    return !version_ || p.version == *version_;
}

}  // namespace trialcal::trial
