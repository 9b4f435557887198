#pragma once
// Imports from CSV: every row or none, in one transaction. The front end
// reads the file; the use case gets its name (for messages) and its text.
#include "trial/catalog.hpp"
#include "trial/env.hpp"
#include "trial/progress.hpp"
#include "trial/recording.hpp"

#include <string>

namespace trialcal::trial {

struct ImportFile {
    std::string name;  // as the user gave it: errors say name:line: column …
    std::string text;
};

// patient,protocol,site,day0[,arm,randomization_number,cohort,weight_kg,tz].
// Every row is checked before the store is opened: a bad file leaves no
// database behind.
[[nodiscard]] std::string import_patients(const Env& env, const std::string& by, const Catalog& catalog,
                                          const ImportFile& csv, Progress& progress);
// patient,protocol,site,on, then a column per criterion id (of any protocol
// in the catalog; a row's cells for another protocol's criteria stay empty).
// Every row checked first; all screenings or none, failed ones kept too.
[[nodiscard]] std::string import_screenings(const Env& env, const std::string& by, const Catalog& catalog,
                                            const ImportFile& csv);
// patient,at,drug[,amount,unit,event,kit,note]: one audit row per patient,
// sealing the records it wrote by their digest. The file's text is let go
// once its cells are read: a million rows are not held twice.
[[nodiscard]] std::string import_doses(const Env& env, const std::string& by, ImportFile csv, Progress& progress);
// randomization_number,arm for `protocol`: sealed, the arms never shown.
[[nodiscard]] std::string import_randomization(const Env& env, const std::string& by, const Catalog& catalog,
                                               const std::string& protocol, const ImportFile& csv);

}  // namespace trialcal::trial
