#include "output/screening_view.hpp"

#include "output/csv.hpp"
#include "output/formatters.hpp"
#include "output/json.hpp"
#include "output/table.hpp"

#include <fmt/format.h>

namespace trialcal {

namespace {

std::string values_text(const ScreeningLine& s) {
    std::string out;
    for (const auto& [id, v] : s.values) out += fmt::format("{}{}={}", out.empty() ? "" : " ", id, v);
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : "; ") + x;
    return out;
}

}  // namespace

std::string screening_table(const std::vector<ScreeningLine>& lines) {
    std::size_t failures = 0;
    for (const auto& l : lines) failures += !l.eligible;
    std::string out = fmt::format("Screenings · {} · {} screen failure{}\n\n", lines.size(), failures,
                                  failures == 1 ? "" : "s");
    TextTable t({{"Screening"}, {"Patient"}, {"Site"}, {"Protocol"}, {"On"}, {"Verdict"}, {"Enrolled"}, {"Values"},
                 {"Failed"}});
    for (const auto& l : lines) {
        const auto& s = l;
        t.row({fmt::format("S{}", s.id), s.patient, s.site, s.protocol + "@" + s.version, fmt::format("{}", IsoDate{s.on}),
               s.eligible ? "eligible" : "SCREEN FAILURE", l.enrolled ? "yes" : "no", values_text(s), joined(l.failures)});
    }
    return out + t.str();
}

std::string screening_json(const std::vector<ScreeningLine>& lines) {
    JsonWriter j;
    j.begin_object();
    j.key("screenings").begin_array();
    for (const auto& l : lines) {
        const auto& s = l;
        j.begin_object();
        j.key("screening").value(fmt::format("S{}", s.id));
        j.key("patient").value(s.patient);
        j.key("site").value(s.site);
        j.key("protocol").value(s.protocol);
        j.key("version").value(s.version);
        j.key("on").value(fmt::format("{}", IsoDate{s.on}));
        j.key("eligible").value(s.eligible);
        j.key("enrolled").value(l.enrolled);
        j.key("values").begin_object();
        for (const auto& [id, v] : s.values) j.key(id).value(v);
        j.end_object();
        j.key("failed").begin_array();
        for (const auto& f : l.failures) j.value(f);
        j.end_array();
        j.end_object();
    }
    j.end_array();
    j.end_object();
    return j.str();
}

std::string screening_csv(const std::vector<ScreeningLine>& lines) {
    CsvWriter w({"screening", "patient", "site", "protocol", "version", "on", "eligible", "enrolled", "values", "failed"});
    for (const auto& l : lines) {
        const auto& s = l;
        w.row({fmt::format("S{}", s.id), s.patient, s.site, s.protocol, s.version, fmt::format("{}", IsoDate{s.on}),
               s.eligible ? "true" : "false", l.enrolled ? "true" : "false", values_text(s), joined(l.failures)});
    }
    return w.str();
}

}  // namespace trialcal
