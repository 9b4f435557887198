#include "output/patient_calendar_html.hpp"

#include "output/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

namespace trialcal {

namespace {

// ------------------------------------------------------------------ words

// Every fixed text of the pages, in one language. The check box glyph is in
// none of them: the diary's boxes are the only ones on a page, so a reader
// of the printed page (and its tests) can count the intakes by them.
struct Words {
    std::string_view lang;                     // the <html lang> attribute
    std::array<std::string_view, 12> months;   // as in running text: "mars", "March"
    std::array<std::string_view, 7> weekdays;  // Monday first: French calendars start the week on Monday
    std::string_view title;
    std::string_view patient;
    std::string_view preview_from;
    std::string_view study;
    std::string_view site;
    std::string_view diary;
    std::string_view instruction;
    std::string_view day;
    std::string_view intakes;
    std::string_view notes;
    std::string_view month_notes;
    std::string_view per_intake;
    std::string_view legend;         // what the grid shows
    std::string_view legend_window;  // what "± n d" means, on pages that show one
    std::string_view legend_home;    // the tinted days, on pages with a diary card
    std::string_view day_unit;       // after a window's days: "j", "d"
    std::string_view next;           // before the next appointment after a gap
    std::string_view nothing_until;  // after it
    std::string_view printed;
    std::string_view page_of;        // between the page number and the count
    std::string_view unblinded;      // says "UNBLINDED" in every language: staff grep for it
};

constexpr Words french{
    .lang = "fr",
    .months = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"},
    .weekdays = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."},
    .title = "Mon calendrier d'étude",
    .patient = "Patient",
    .preview_from = "Aperçu à partir du",
    .study = "Étude",
    .site = "Centre",
    .diary = "Carnet de prises à domicile",
    .instruction = "Cochez la case après chaque prise, à l'heure indiquée. Si une prise est oubliée ou prise à "
                   "une autre heure, notez-le avec l'heure dans la colonne Remarques. Apportez ce carnet à chaque "
                   "visite.",
    .day = "Jour",
    .intakes = "Prises",
    .notes = "Remarques",
    .month_notes = "Remarques du mois :",
    .per_intake = "par prise",
    .legend = "En gras : visites au centre. En bleu : traitements donnés au centre.",
    .legend_window = "« ± n j » : la visite peut avoir lieu jusqu'à n jours avant ou après cette date ; le centre "
                     "vous confirmera le jour.",
    .legend_home = "Jours teintés : prises à domicile, à cocher dans le carnet ci-dessous.",
    .day_unit = "j",
    .next = "Prochain rendez-vous :",
    .nothing_until = "Rien n'est prévu d'ici là.",
    .printed = "imprimé le",
    .page_of = "sur",
    .unblinded = "UNBLINDED (levée d'aveugle) : les traitements et doses réels sont indiqués ; pas pour le "
                 "personnel en aveugle",
};

constexpr Words english{
    .lang = "en",
    .months = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"},
    .weekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
    .title = "My study calendar",
    .patient = "Patient",
    .preview_from = "Preview from",
    .study = "Study",
    .site = "Site",
    .diary = "Home-dose diary",
    .instruction = "Tick the box after each intake, at the time shown. If an intake is missed or taken at another "
                   "time, write it down with the time in the Notes column. Bring this diary to every visit.",
    .day = "Day",
    .intakes = "Intakes",
    .notes = "Notes",
    .month_notes = "Notes for the month:",
    .per_intake = "per intake",
    .legend = "In bold: visits at the site. In blue: treatments given at the site.",
    .legend_window = "\u201c± n d\u201d: the visit may take place up to n days before or after that date; the site "
                     "will confirm the day.",
    .legend_home = "Tinted days: doses taken at home, to tick in the diary below.",
    .day_unit = "d",
    .next = "Next appointment:",
    .nothing_until = "Nothing is planned until then.",
    .printed = "printed",
    .page_of = "of",
    .unblinded = "UNBLINDED: real drugs and amounts are shown; not for blinded staff",
};

const Words& words(Language l) { return l == Language::fr ? french : english; }

std::string esc(std::string_view s) { return html_escape(s); }

std::string_view month_name(const Words& w, date::month m) { return w.months[static_cast<unsigned>(m) - 1]; }

// "Mars 2027": a heading starts with a capital (French months are lower case
// in running text; each starts with an ASCII letter).
std::string month_heading(const Words& w, date::year_month ym) {
    std::string name(month_name(w, ym.month()));
    if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
    return fmt::format("{} {}", name, static_cast<int>(ym.year()));
}

// "1er mars 2027", "18 août 2028"; "1 March 2027".
std::string long_date(const Words& w, date::sys_days d) {
    const date::year_month_day ymd{d};
    const unsigned day = static_cast<unsigned>(ymd.day());
    const bool first_fr = w.lang == "fr" && day == 1;
    return fmt::format("{}{} {} {}", day, first_fr ? "er" : "", month_name(w, ymd.month()),
                       static_cast<int>(ymd.year()));
}

// Monday 0 .. Sunday 6.
unsigned weekday_index(date::sys_days d) { return date::weekday{d}.iso_encoding() - 1; }

std::string time_text(TimeOfDay t) { return fmt::format("{:02}:{:02}", t.count() / 60, t.count() % 60); }

// ------------------------------------------------------------------ labels

const std::string& name_in(const PatientName& n, Language l) { return l == Language::fr ? n.fr : n.en; }

// The regimen a dose comes from, as attach_regimens finds it: none for a dose
// kept from an earlier protocol version.
const Regimen* regimen_of(const Protocol& p, const Calendar& c, const Event& e) {
    const std::string_view cohort = c.cohort ? std::string_view{*c.cohort} : std::string_view{};
    for (const Regimen& r : p.regimens) {
        if (r.product != e.product || !r.applies_to(cohort) || !r.doses_on(e.day)) continue;
        if (r.intakes.empty() ? e.intake.empty()
                              : std::find(r.intakes.begin(), r.intakes.end(), e.intake) != r.intakes.end())
            return &r;
    }
    return nullptr;
}

struct Labels {
    const Protocol& p;
    const Calendar& c;
    Language lang;
    const Words& w;

    std::string visit(const Event& e) const {
        for (const Visit& v : p.visits)
            if (v.id == e.id && !name_in(v.patient_name, lang).empty()) return name_in(v.patient_name, lang);
        return e.name;
    }

    // The regimen's patient name, else the drug (its blinded label when
    // blinded): a regimen's own name ("induction") is for staff. Unblinded,
    // a blinded product's patient name (written for both arms) gives way to
    // the real drug.
    std::string dose(const Event& e) const {
        const Product* product = p.product(e.product);
        const bool unblinded_drug = product && product->blinded() && !e.blinded;
        if (const Regimen* r = regimen_of(p, c, e); r && !unblinded_drug && !name_in(r->patient_name, lang).empty())
            return name_in(r->patient_name, lang);
        return e.drug;
    }

    // "300 mg", "0,5 ml" in French; "" when the amount is not shown.
    std::string amount(const Event& e) const {
        if (!e.amount) return "";
        std::string n = fmt::format("{}", *e.amount);
        if (lang == Language::fr) std::replace(n.begin(), n.end(), '.', ',');
        return e.unit.empty() ? n : fmt::format("{} {}", n, e.unit);
    }

    // The intake's time when the protocol gives one; a dose without
    // intake_times has no time the patient should keep to.
    std::optional<std::string> time(const Event& e) const {
        const Regimen* r = regimen_of(p, c, e);
        if (!r || r->intake_times.empty()) return std::nullopt;
        return time_text(e.time);
    }

    // "± 7 j", "-3/+7 j"; "" on the day.
    std::string window(const Event& e) const {
        // Around the day it takes place (placed off a closed day, or nominal).
        const auto before = (e.on() - e.window.from).count();
        const auto after = (e.window.to - e.on()).count();
        if (before == 0 && after == 0) return "";
        if (before == after) return fmt::format("± {} {}", before, w.day_unit);
        return fmt::format("-{}/+{} {}", before, after, w.day_unit);
    }

    std::string any(const Event& e) const { return e.kind == EventKind::visit ? visit(e) : dose(e); }
};

// ------------------------------------------------------------------ months

struct MonthPage {
    date::year_month ym;
    std::vector<const Event*> site;  // visits and the doses given at the site
    std::vector<const Event*> home;  // doses the patient takes at home
};

bool at_home(const Event& e) { return e.kind == EventKind::dose && e.setting == Setting::home; }

// The months that hold an event, in order. A month with none is not printed:
// the page before the gap names the next appointment instead.
std::vector<MonthPage> month_pages(const Calendar& c) {
    std::map<date::year_month, MonthPage> months;
    for (const Event& e : c.events) {
        const date::year_month_day ymd{e.on()};
        const date::year_month ym{ymd.year(), ymd.month()};
        MonthPage& m = months.try_emplace(ym, MonthPage{ym, {}, {}}).first->second;
        (at_home(e) ? m.home : m.site).push_back(&e);
    }
    std::vector<MonthPage> out;
    out.reserve(months.size());
    for (auto& [ym, m] : months) out.push_back(std::move(m));
    return out;
}

void grid(std::string& out, const MonthPage& m, const Labels& l) {
    const date::sys_days first{m.ym / 1};
    const date::sys_days last{m.ym / date::last};
    out += "<table class=\"grid\">\n<thead><tr>";
    for (const auto d : l.w.weekdays) out += "<th>" + esc(d) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (date::sys_days week = first - date::days{weekday_index(first)}; week <= last; week += date::days{7}) {
        out += "<tr>";
        for (int i = 0; i < 7; ++i) {
            const date::sys_days d = week + date::days{i};
            if (d < first || d > last) {
                out += "<td class=\"out\"></td>";
                continue;
            }
            const bool home = std::any_of(m.home.begin(), m.home.end(), [&](const Event* e) { return e->date == d; });
            out += fmt::format("<td class=\"day{}{}\"><span class=\"n\">{}</span>", home ? " home" : "",
                               i >= 5 ? " we" : "", static_cast<unsigned>(date::year_month_day{d}.day()));
            for (const Event* e : m.site) {
                if (e->on() != d) continue;
                const auto time = l.time(*e);
                const std::string t = time ? "<span class=\"t\">" + *time + "</span> " : std::string();
                if (e->kind == EventKind::visit) {
                    const std::string win = l.window(*e);
                    out += "<p class=\"visit\">" + t + esc(l.visit(*e)) +
                           (win.empty() ? std::string() : " <span class=\"win\">" + esc(win) + "</span>") + "</p>";
                } else {
                    const std::string amount = l.amount(*e);
                    // The amount on one line: "1" above "ml" reads as two things.
                    out += "<p class=\"dose\">" + t + esc(l.dose(*e)) +
                           (amount.empty() ? "" : " · <span class=\"amount\">" + esc(amount) + "</span>") + "</p>";
                }
            }
            out += "</td>";
        }
        out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
}

// ------------------------------------------------------------------ diary

// One regimen's home doses in a month, a row per day.
struct DiaryGroup {
    const Regimen* regimen;  // none: a dose kept from an earlier version
    std::string product;
    std::vector<std::vector<const Event*>> days;  // each day's intakes, in time order
};

std::vector<DiaryGroup> diary_groups(const MonthPage& m, const Labels& l) {
    std::vector<DiaryGroup> groups;
    for (const Event* e : m.home) {
        const Regimen* r = regimen_of(l.p, l.c, *e);
        auto g = std::find_if(groups.begin(), groups.end(),
                              [&](const DiaryGroup& x) { return x.regimen == r && x.product == e->product; });
        if (g == groups.end()) g = groups.insert(groups.end(), DiaryGroup{r, e->product, {}});
        if (g->days.empty() || g->days.back().front()->date != e->date) g->days.emplace_back();
        g->days.back().push_back(e);
    }
    for (auto& g : groups)
        for (auto& day : g.days)
            std::stable_sort(day.begin(), day.end(), [](const Event* a, const Event* b) { return a->time < b->time; });
    return groups;
}

void diary_table(std::string& out, const DiaryGroup& g, std::size_t from, std::size_t to, bool amount_per_box,
                 const Labels& l) {
    out += fmt::format("<table class=\"diary\">\n<thead><tr><th class=\"d\">{}</th><th>{}</th><th>{}</th></tr></thead>\n"
                       "<tbody>\n",
                       esc(l.w.day), esc(l.w.intakes), esc(l.w.notes));
    for (std::size_t i = from; i < to; ++i) {
        const auto& intakes = g.days[i];
        const date::sys_days d = intakes.front()->date;
        out += fmt::format("<tr><th scope=\"row\">{} {}</th><td class=\"boxes\">", esc(l.w.weekdays[weekday_index(d)]),
                           static_cast<unsigned>(date::year_month_day{d}.day()));
        for (std::size_t k = 0; k < intakes.size(); ++k) {
            const Event& e = *intakes[k];
            out += k ? " <span class=\"intake\">" : "<span class=\"intake\">";
            out += "<span class=\"box\">\u2610</span>";
            if (const auto t = l.time(e)) out += " " + *t;
            if (amount_per_box) out += " " + esc(l.amount(e));
            out += "</span>";
        }
        out += "</td><td class=\"note\"></td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
}

void diary(std::string& out, const MonthPage& m, const Labels& l) {
    out += "<section class=\"diary\">\n";
    out += fmt::format("<h2>{} · {}</h2>\n", esc(l.w.diary), esc(month_heading(l.w, m.ym)));
    out += "<p class=\"instruction\">" + esc(l.w.instruction) + "</p>\n";
    for (const DiaryGroup& g : diary_groups(m, l)) {
        const Event& e = *g.days.front().front();
        // One amount for the month goes in the heading; after a dose change
        // each box says its own.
        const std::string amount = l.amount(e);
        bool same = true;
        for (const auto& day : g.days)
            for (const Event* x : day) same = same && l.amount(*x) == amount;
        out += "<h3>" + esc(l.dose(e));
        if (same && !amount.empty()) out += " · " + esc(amount) + " " + esc(l.w.per_intake);
        out += "</h3>\n";
        // Two columns of days side by side: a month of days fits under the grid.
        const std::size_t n = g.days.size();
        const std::size_t half = n > 8 ? (n + 1) / 2 : n;
        out += "<div class=\"cols\">\n";
        diary_table(out, g, 0, half, !same, l);
        if (half < n) diary_table(out, g, half, n, !same, l);
        out += "</div>\n";
    }
    out += "<p class=\"month-notes\">" + esc(l.w.month_notes) + "</p>";
    out += "<div class=\"line\"></div><div class=\"line\"></div>\n";
    out += "</section>\n";
}

// ------------------------------------------------------------------ page

constexpr const char* stylesheet = R"(
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #111;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
@media screen { body { max-width: 188mm; margin: 8mm auto; padding: 0 6mm; }
                section.month { border-bottom: 2px solid #888; padding-bottom: 6mm; margin-bottom: 6mm; } }
section.month { break-inside: avoid; }
section.month + section.month { break-before: page; }
header.head { display: flex; justify-content: space-between; align-items: flex-end; gap: 6mm;
              border-bottom: 1.2pt solid #222; padding-bottom: 1.5mm; margin-bottom: 2.5mm; }
h1 { font-size: 22pt; margin: 0; line-height: 1.1; }
p.title { margin: 0 0 0.5mm; font-size: 9pt; color: #444; }
p.who { margin: 0; text-align: right; font-size: 9.5pt; line-height: 1.35; }
table { border-collapse: collapse; width: 100%; }
table.grid { table-layout: fixed; }
table.grid th { font-size: 9pt; padding: 0.8mm; background: #e4e4e4; border: 0.6pt solid #777; }
table.grid td { border: 0.6pt solid #777; vertical-align: top; height: 33mm; padding: 0.6mm 1mm; overflow-wrap: anywhere; }
section.with-diary table.grid td { height: 12.5mm; }
td.out { background: #f2f2f2; }
td.we { background: #f8f8f8; }
td.home { background: #e3eefa; }
span.n { font-weight: bold; font-size: 10pt; }
table.grid p { margin: 0.6mm 0 0; font-size: 8.5pt; line-height: 1.2; }
section.with-diary table.grid p { font-size: 7.5pt; }
p.visit { font-weight: bold; }
p.dose { color: #0b4f8a; }
span.t { font-weight: bold; }
span.win { font-weight: normal; color: #333; white-space: nowrap; }
span.amount { white-space: nowrap; }
p.legend { font-size: 8pt; color: #333; margin: 1.2mm 0 0; }
p.next { font-size: 10pt; margin: 4mm 0 0; padding: 2mm 3mm; border: 1pt solid #0b4f8a; }
section.diary { margin-top: 3.5mm; }
h2 { font-size: 13pt; margin: 0 0 1mm; }
h3 { font-size: 10.5pt; margin: 1.5mm 0 1mm; }
p.instruction { font-size: 8.5pt; margin: 0 0 1mm; }
div.cols { display: flex; gap: 4mm; align-items: flex-start; }
div.cols table { flex: 1 1 0; }
table.diary th, table.diary td { border: 0.6pt solid #777; padding: 0.2mm 1.2mm; font-size: 9pt; height: 6mm;
                                 text-align: left; vertical-align: middle; }
table.diary thead th { background: #e4e4e4; font-size: 8pt; height: auto; }
table.diary th[scope=row], table.diary th.d { white-space: nowrap; width: 14mm; }
table.diary th[scope=row] { font-weight: normal; }
td.boxes { white-space: nowrap; width: 1%; }
span.intake + span.intake { margin-left: 2.5mm; }
span.box { font-size: 14pt; line-height: 1; vertical-align: -1.5pt; }
p.month-notes { font-size: 9pt; margin: 2mm 0 0; }
div.line { border-bottom: 0.6pt solid #777; height: 6.5mm; }
.unblinded-banner { background: #b71c1c; color: #fff; font-weight: bold; font-size: 9pt; text-align: center;
                    padding: 1mm 2mm; margin: 0 0 2mm; }
)";

}  // namespace

std::optional<Language> language_named(std::string_view code) noexcept {
    if (code == "fr") return Language::fr;
    if (code == "en") return Language::en;
    return std::nullopt;
}

std::string patient_calendar_html(const Calendar& c, const Protocol& p, const PatientCalendarHeader& h, Language lang) {
    const Words& w = words(lang);
    const Labels l{p, c, lang, w};
    const std::vector<MonthPage> pages = month_pages(c);

    const std::string study = fmt::format("{} {} version {}", w.study, c.protocol, c.version);
    const std::string who = h.patient ? fmt::format("{} {}", w.patient, *h.patient)
                                      : fmt::format("{} {}", w.preview_from, long_date(w, c.day0));
    const std::string footer = fmt::format("trialcal · {} · {} · {} {}", who, study, w.printed, long_date(w, h.printed));

    std::string out = fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n", w.lang);
    out += "<title>" + esc(fmt::format("{} · {} · {}", w.title, who, study)) + "</title>\n";
    out += "<style>\n@page { size: A4; margin: 10mm 11mm 12mm 11mm;\n  @bottom-left { content: " + css_string(footer) +
           "; font-size: 7pt; color: #444; font-family: \"DejaVu Sans\", sans-serif; }\n"
           "  @bottom-right { content: \"page \" counter(page) " + css_string(fmt::format(" {} ", w.page_of)) +
           " counter(pages); font-size: 7pt; color: #444; font-family: \"DejaVu Sans\", sans-serif; } }";
    out += stylesheet;
    out += "</style>\n</head>\n<body>\n";

    for (std::size_t i = 0; i < pages.size(); ++i) {
        const MonthPage& m = pages[i];
        const bool with_diary = !m.home.empty();
        out += fmt::format("<section class=\"month{}\" id=\"m-{}-{:02}\">\n", with_diary ? " with-diary" : "",
                           static_cast<int>(m.ym.year()), static_cast<unsigned>(m.ym.month()));
        // Each month is a page of its own: each says it is unblinded.
        if (h.unblinded) out += "<div class=\"unblinded-banner\" role=\"note\">" + esc(w.unblinded) + "</div>\n";
        out += "<header class=\"head\">\n<div><p class=\"title\">" + esc(w.title) + "</p><h1>" +
               esc(month_heading(w, m.ym)) + "</h1></div>\n";
        out += "<p class=\"who\"><b>" + esc(who) + "</b><br>" + esc(study);
        if (h.site) out += "<br>" + esc(fmt::format("{} {}", w.site, *h.site));
        out += "</p>\n</header>\n";

        grid(out, m, l);
        std::string legend(w.legend);
        if (std::any_of(m.site.begin(), m.site.end(),
                        [&](const Event* e) { return e->kind == EventKind::visit && !l.window(*e).empty(); }))
            legend += fmt::format(" {}", w.legend_window);
        if (with_diary) legend += fmt::format(" {}", w.legend_home);
        out += "<p class=\"legend\">" + esc(legend) + "</p>\n";
        if (with_diary) diary(out, m, l);

        // Before a gap of months without events, the patient learns what comes next.
        if (i + 1 < pages.size() && pages[i + 1].ym != m.ym + date::months{1}) {
            const MonthPage& next = pages[i + 1];
            const Event& e = next.site.empty() ? *next.home.front() : *next.site.front();
            out += "<p class=\"next\"><b>" + esc(w.next) + "</b> " +
                   esc(fmt::format("{}, {}. {}", long_date(w, e.on()), l.any(e), w.nothing_until)) + "</p>\n";
        }
        out += "</section>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

}  // namespace trialcal
