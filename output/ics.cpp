#include "output/ics.hpp"

#include "output/calendar_view.hpp"
#include "output/formatters.hpp"
#include "output/text.hpp"

#include <fmt/format.h>

namespace trialcal {

namespace {

std::string basic_date(date::sys_days d) {  // 20270301
    const date::year_month_day ymd{d};
    return fmt::format("{:04}{:02}{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
}

std::string utc_stamp(date::sys_seconds t) {  // 20270301T120000Z
    const auto day = date::floor<date::days>(t);
    const date::hh_mm_ss hms{t - day};
    return fmt::format("{}T{:02}{:02}{:02}Z", basic_date(day), hms.hours().count(), hms.minutes().count(),
                       hms.seconds().count());
}

// A UID is stable across exports: study, patient (or the preview's day 0 and
// arm) and event id; characters outside [A-Za-z0-9-.] become '_'.
std::string uid(const Calendar& c, const IcsPatient& p, const Event& e) {
    std::string who = p.patient ? *p.patient : "preview-" + basic_date(c.day0) + "-" + c.arm.value_or("blinded");
    std::string raw = fmt::format("{}-{}-{}", c.protocol, who, e.id);
    for (char& ch : raw)
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
            ch = '_';
    return raw + "@trialcal";
}

std::string summary(const Calendar& c, const IcsPatient& p, const Event& e, bool with_patient) {
    std::string s = with_patient && p.patient ? *p.patient + " · " : "";
    s += c.protocol + " · ";
    if (e.kind == EventKind::visit) {
        s += fmt::format("visit {} · {}", e.day, e.name);
    } else {
        s += fmt::format("{} {}", e.drug, e.route);
        if (!e.intake.empty()) s += " " + e.intake;
        s += fmt::format(" · {}", e.day);
    }
    return s;
}

std::string description(const Event& e, const std::string& cancelled_because) {
    std::string d;
    if (!cancelled_because.empty()) d += "Cancelled: " + cancelled_because + "\n";
    d += e.window.from == e.window.to
             ? fmt::format("On the day: {}", IsoDate{e.date})
             : fmt::format("On time from {} to {}", IsoDate{e.window.from}, IsoDate{e.window.to});
    if (e.placed) d += fmt::format("\nPlanned for {}, a day the site is closed: moved to {}", IsoDate{e.date}, IsoDate{*e.placed});
    if (e.closed_day) d += "\nThe site is closed on this day and its window holds no open day";
    if (e.kind == EventKind::visit) {
        if (!e.procedures.empty()) d += "\nProcedures: " + join(e.procedures, ", ");
    } else {
        d += "\nGive: " + event_summary(e);
    }
    d += "\nEvent " + e.id;
    return d;
}

void vevent(std::string& out, const Calendar& c, const IcsPatient& p, const Event& e, int sequence, const IcsHeader& h,
            const std::string& cancelled_because) {
    // The day it takes place on: the placed one when the site is closed on the planned date.
    const date::sys_days on = e.on();
    if (h.from && on < *h.from) return;
    if (h.to && on > *h.to) return;
    const bool cancelled = !cancelled_because.empty();
    out += ics_line("BEGIN:VEVENT");
    out += ics_line("UID:" + uid(c, p, e));
    out += ics_line("DTSTAMP:" + utc_stamp(h.stamp));
    out += ics_line("DTSTART;VALUE=DATE:" + basic_date(on));
    out += ics_line("DTEND;VALUE=DATE:" + basic_date(on + date::days{1}));
    out += ics_line(fmt::format("SEQUENCE:{}", sequence));
    out += ics_line(std::string("STATUS:") + (cancelled ? "CANCELLED" : "CONFIRMED"));
    out += ics_line("SUMMARY:" + ics_escape(summary(c, p, e, h.patient_in_summary)));
    out += ics_line("DESCRIPTION:" + ics_escape(description(e, cancelled_because)));
    if (!p.site.empty()) out += ics_line("LOCATION:" + ics_escape(p.site));
    out += ics_line(std::string("CATEGORIES:") + (e.kind == EventKind::visit ? "VISIT" : "DOSE"));
    out += ics_line("TRANSP:TRANSPARENT");
    out += ics_line("END:VEVENT");
}

}  // namespace

std::string ics_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case ';': out += "\\;"; break;
        case ',': out += "\\,"; break;
        case '\n': out += "\\n"; break;
        case '\r': break;
        default: out += c;
        }
    }
    return out;
}

std::string ics_line(std::string_view line) {
    // RFC 5545 3.1: lines longer than 75 octets are folded with CRLF and a
    // space; a fold never splits a UTF-8 character.
    std::string out;
    std::size_t limit = 75, used = 0;
    for (std::size_t i = 0; i < line.size();) {
        std::size_t len = 1;
        const auto c = static_cast<unsigned char>(line[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (used + len > limit) {
            out += "\r\n ";
            used = 1;  // the leading space counts
        }
        out.append(line.substr(i, len));
        used += len;
        i += len;
    }
    out += "\r\n";
    return out;
}

std::string ics_begin(const IcsHeader& h) {
    std::string out;
    out += ics_line("BEGIN:VCALENDAR");
    out += ics_line("VERSION:2.0");
    out += ics_line("PRODID:-//trialcal//trialcal calendar//EN");
    out += ics_line("CALSCALE:GREGORIAN");
    out += ics_line("METHOD:PUBLISH");
    if (!h.name.empty()) out += ics_line("X-WR-CALNAME:" + ics_escape(h.name));
    return out;
}

std::string ics_patient(const IcsPatient& p, const IcsHeader& h) {
    std::string out;
    const Calendar& c = *p.calendar;
    for (const auto& e : c.events) {
        std::string because;
        for (const auto& [id, reason] : p.skipped)
            if (id == e.id) because = reason;
        const auto changed = p.changes.find(e.id);
        vevent(out, c, p, e, e.sequence + (changed == p.changes.end() ? 0 : changed->second), h, because);
    }
    // Taking an event out is one change more than its stored revisions.
    for (const auto& e : p.replaced) vevent(out, c, p, e, e.sequence + 1, h, "replaced by a protocol amendment");
    for (const auto& e : p.voided_withdrawal_visits) vevent(out, c, p, e, e.sequence, h, "the withdrawal was voided");
    return out;
}

std::string ics_end() { return ics_line("END:VCALENDAR"); }

std::string calendar_ics(const std::vector<IcsPatient>& patients, const IcsHeader& h) {
    std::string out = ics_begin(h);
    for (const auto& p : patients) out += ics_patient(p, h);
    out += ics_end();
    return out;
}

}  // namespace trialcal
