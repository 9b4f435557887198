#include "output/site_view.hpp"

#include "output/csv.hpp"
#include "output/json.hpp"
#include "output/table.hpp"

#include <fmt/format.h>

namespace trialcal {

std::string closed_weekdays(const Site& s) {
    std::string text = weekdays_text(s.closed);
    if (text.empty()) return "none";
    // "sat,sun" -> "Sat, Sun"
    std::string out;
    bool start = true;
    for (const char c : text) {
        if (c == ',') {
            out += ", ";
            start = true;
            continue;
        }
        out += start ? static_cast<char>(c - 'a' + 'A') : c;
        start = false;
    }
    return out;
}

std::string sites_table(const std::vector<SiteLine>& sites) {
    if (sites.empty()) return "No site is registered: `trialcal site add CODE --name TEXT --tz ZONE` registers one.\n";
    TextTable t({{"Site"}, {"Name"}, {"Time zone"}, {"Country"}, {"Closed"}, {"Holidays"},
                 {"Patients", TextTable::Align::right}});
    for (const auto& [s, patients] : sites)
        t.row({s.code, s.name, s.tz, s.country.value_or("-"), closed_weekdays(s), s.holidays.value_or("none"),
               std::to_string(patients)});
    return t.str();
}

std::string sites_json(const std::vector<SiteLine>& sites) {
    JsonWriter j;
    j.begin_object();
    j.key("sites").begin_array();
    for (const auto& [s, patients] : sites) {
        j.begin_object();
        j.key("code").value(s.code);
        j.key("name").value(s.name);
        j.key("tz").value(s.tz);
        if (s.country) j.key("country").value(*s.country);
        else j.key("country").null();
        j.key("closed").begin_array();
        const std::string days = weekdays_text(s.closed);
        for (std::size_t at = 0; at < days.size(); at += 4) j.value(days.substr(at, 3));
        j.end_array();
        if (s.holidays) j.key("holidays").value(*s.holidays);
        else j.key("holidays").null();
        j.key("patients").value(static_cast<long long>(patients));
        j.end_object();
    }
    j.end_array();
    j.end_object();
    return j.str();
}

std::string sites_csv(const std::vector<SiteLine>& sites) {
    CsvWriter w({"code", "name", "tz", "country", "closed", "holidays", "patients"});
    for (const auto& [s, patients] : sites)
        w.row({s.code, s.name, s.tz, s.country.value_or(""), weekdays_text(s.closed), s.holidays.value_or(""),
               std::to_string(patients)});
    return w.str();
}

}  // namespace trialcal
