#pragma once
// A patient's calendar feed: their plan as the viewer may see it, what they
// skipped, and what an amendment took out, ready for output/ics.
#include "trial/patient.hpp"
#include "trial/sealing.hpp"
#include "output/ics.hpp"

#include <deque>
#include <memory>

namespace trialcal::trial {

class Feeds {
public:
    // Adds one patient; the calendars stay alive as long as this object.
    // Blinded unless `unblinding` is given.
    void add(store::Store& s, const PatientPlan& pp, const Unblinding* unblinding);
    [[nodiscard]] const std::vector<IcsPatient>& entries() const noexcept { return entries_; }

private:
    std::deque<Calendar> calendars_;  // stable addresses for IcsPatient::calendar
    std::vector<IcsPatient> entries_;
};

}  // namespace trialcal::trial
