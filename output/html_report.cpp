#include "output/html_report.hpp"

#include "output/calendar_view.hpp"
#include "output/formatters.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <optional>

namespace trialcal {

namespace {

// ------------------------------------------------------------------ text

std::string esc(std::string_view s) { return html_escape(s); }

std::string iso(date::sys_days d) { return iso_date(d); }

std::string month_day(date::sys_days d) {
    const date::year_month_day ymd{d};
    return fmt::format("{:02}-{:02}", static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string pct(std::optional<double> v) { return v ? fmt::format("{:.1f}", *v) : std::string("—"); }

std::string plural(long long n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string shorten(const std::string& s, std::size_t max) {
    // Counted in bytes but cut on a character boundary.
    if (s.size() <= max) return s;
    std::size_t cut = max - 1;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "…";
}

// ------------------------------------------------------------------ marks

// What the timeline shows for one planned event or administration. Each has
// a colour and a shape of its own, so that a black-and-white copy still reads.
enum class Mark : unsigned char { on_time, early, late, missed, skipped, due, upcoming, extra, held, cancelled };

struct MarkStyle {
    const char* label;
    const char* colour;
};

constexpr MarkStyle mark_styles[] = {
    {"on time", "#1a7f37"},  // filled circle, green
    {"early", "#1f5fbf"},    // filled triangle pointing left, blue
    {"late", "#d46b08"},     // filled triangle pointing right, orange
    {"missed", "#c62828"},   // bold cross, red
    {"skipped", "#7b3294"},  // open square struck through, purple
    {"due", "#00838f"},      // open diamond, teal
    {"upcoming", "#757575"}, // open circle, grey
    {"extra", "#6d4c1f"},    // plus, brown
    {"held", "#9e7c00"},     // open square, ochre
    {"cancelled", "#424242"},  // open circle struck through, dark grey
};

const MarkStyle& style(Mark m) { return mark_styles[static_cast<int>(m)]; }

Mark mark_of(const Outcome& o) {
    if (o.skipped) return Mark::skipped;
    switch (o.status) {
    case Status::on_time: return Mark::on_time;
    case Status::early: return Mark::early;
    case Status::late: return Mark::late;
    case Status::missed: return Mark::missed;
    case Status::due: return Mark::due;
    case Status::upcoming: return Mark::upcoming;
    case Status::held: return Mark::held;
    case Status::cancelled: return Mark::cancelled;
    }
    return Mark::upcoming;
}

// One decimal (fixed1_chars below): the timelines print millions of these,
// written without a format string parsed nor any allocation.
struct Fixed1 {
    double v;
};
constexpr Fixed1 num(double v) noexcept { return {v}; }

// `v` with one decimal into `buf` (24 chars at least); returns the end.
// Rounded half away from zero from the value times ten: a page's coordinates
// are far inside what a double holds exactly, and std::to_chars with a
// precision, which is exact for every double, cost a fifth of the report.
char* fixed1_chars(double v, char* buf) noexcept {
    long long t = std::llround(v * 10);
    char* p = buf;
    if (t < 0) {
        *p++ = '-';
        t = -t;
    }
    char digits[24];
    char* d = digits + sizeof digits;
    *--d = static_cast<char>('0' + t % 10);
    *--d = '.';
    t /= 10;
    do {
        *--d = static_cast<char>('0' + t % 10);
        t /= 10;
    } while (t > 0);
    return std::copy(d, digits + sizeof digits, p);
}

}  // namespace
}  // namespace trialcal

template <>
struct fmt::formatter<trialcal::Fixed1> {
    constexpr auto parse(format_parse_context& ctx) { return ctx.begin(); }
    template <class Context>
    auto format(trialcal::Fixed1 f, Context& ctx) const {
        char buf[32];
        return std::copy(buf, trialcal::fixed1_chars(f.v, buf), ctx.out());
    }
};

namespace trialcal {
namespace {

// The strokes of one kind in a strip (its day ticks, its windows, its planned
// dates) as the subpaths of one <path>: one element instead of one each,
// a fifth of the bytes for the printer to parse and for us to write. The
// numbers keep one decimal, without a trailing ".0".
class PathData {
public:
    PathData& move(double x, double y) { return put('M', x).put(' ', y); }
    PathData& vertical(double dy) { return put('v', dy); }
    PathData& horizontal(double dx) { return put('h', dx); }
    PathData& horizontal_to(double x) { return put('H', x); }
    PathData& close() {
        d_ += 'z';
        return *this;
    }
    // Nothing when there is no stroke: an empty path would be an SVG error.
    void element_to(std::string& out, std::string_view cls) const {
        if (d_.empty()) return;
        out += R"(<path class=")";
        out += cls;
        out += R"(" d=")";
        out += d_;
        out += R"("/>)";
    }

private:
    PathData& put(char command, double v) {
        d_ += command;
        char buf[32];
        const char* end = fixed1_chars(v, buf);
        if (end - buf >= 2 && end[-1] == '0' && end[-2] == '.') end -= 2;
        d_.append(buf, static_cast<std::size_t>(end - buf));
        return *this;
    }
    std::string d_;
};

// The shape of `m` centred on (x, y), `r` its half size.
std::string shape(Mark m, double x, double y, double r) {
    const char* c = style(m).colour;
    switch (m) {
    case Mark::on_time:
        return fmt::format(FMT_COMPILE(R"(<circle cx="{}" cy="{}" r="{}" fill="{}"/>)"), num(x), num(y), num(r), c);
    case Mark::early:
        return fmt::format(FMT_COMPILE(R"(<polygon points="{},{} {},{} {},{}" fill="{}"/>)"), num(x - r), num(y), num(x + r),
                           num(y - r), num(x + r), num(y + r), c);
    case Mark::late:
        return fmt::format(FMT_COMPILE(R"(<polygon points="{},{} {},{} {},{}" fill="{}"/>)"), num(x + r), num(y), num(x - r),
                           num(y - r), num(x - r), num(y + r), c);
    case Mark::missed:
        return fmt::format(FMT_COMPILE(R"(<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{}" stroke-width="2.2" fill="none"/>)"),
                           num(x - r), num(y - r), num(x + r), num(y + r), num(x - r), num(y + r), num(x + r),
                           num(y - r), c);
    case Mark::skipped:
        return fmt::format(FMT_COMPILE(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#fff" stroke="{}" stroke-width="1.4"/>)"
                           R"(<path d="M{} {}L{} {}" stroke="{}" stroke-width="1.4"/>)"),
                           num(x - r + 0.6), num(y - r + 0.6), num(2 * r - 1.2), num(2 * r - 1.2), c, num(x - r + 0.6),
                           num(y + r - 0.6), num(x + r - 0.6), num(y - r + 0.6), c);
    case Mark::due:
        return fmt::format(FMT_COMPILE(R"(<polygon points="{},{} {},{} {},{} {},{}" fill="#fff" stroke="{}" stroke-width="1.8"/>)"),
                           num(x), num(y - r - 0.4), num(x + r + 0.4), num(y), num(x), num(y + r + 0.4), num(x - r - 0.4),
                           num(y), c);
    case Mark::upcoming:
        return fmt::format(FMT_COMPILE(R"(<circle cx="{}" cy="{}" r="{}" fill="#fff" stroke="{}" stroke-width="1.1"/>)"), num(x),
                           num(y), num(r - 0.6), c);
    case Mark::extra:
        return fmt::format(FMT_COMPILE(R"(<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{}" stroke-width="2.2" fill="none"/>)"),
                           num(x - r), num(y), num(x + r), num(y), num(x), num(y - r), num(x), num(y + r), c);
    case Mark::held:
        return fmt::format(FMT_COMPILE(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#fff" stroke="{}" stroke-width="1.8"/>)"),
                           num(x - r + 0.6), num(y - r + 0.6), num(2 * r - 1.2), num(2 * r - 1.2), c);
    case Mark::cancelled:
        return fmt::format(FMT_COMPILE(R"(<circle cx="{}" cy="{}" r="{}" fill="#fff" stroke="{}" stroke-width="1.1"/>)"
                           R"(<path d="M{} {}L{} {}" stroke="{}" stroke-width="1.4"/>)"),
                           num(x), num(y), num(r - 0.6), c, num(x - r), num(y + r), num(x + r), num(y - r), c);
    }
    return {};
}

// ------------------------------------------------------------------ timeline

constexpr double svg_width = 720;
constexpr double label_width = 134;
constexpr int strip_days = 28;  // four weeks a strip (twice that for a long plan)
constexpr double axis_height = 22;
constexpr double lane_height = 20;   // one mark a day
constexpr double slot_height = 12;   // each further mark on the same day in the same lane
constexpr double marker_r = 5.2;
constexpr double tick_width = 0.6;   // a day's tick on the axis, 3 high

struct Lane {
    std::string label;
    EventKind kind;
    std::string product;
    std::string intake;
};

struct Marker {
    std::size_t lane = 0;
    date::sys_days at;                    // where the mark is drawn
    Mark mark = Mark::upcoming;
    std::optional<date::sys_days> nominal;  // planned date (none: extra)
    std::optional<DateWindow> window;
    bool wrong_dose = false;
    std::string title;
    int slot = 0;  // marks on the same day in the same lane stack up
};

std::vector<Lane> lanes_of(const PatientReport& p, const Calendar& c) {
    std::vector<Lane> lanes;
    if (std::any_of(c.events.begin(), c.events.end(), [](const Event& e) { return e.kind == EventKind::visit; }))
        lanes.push_back({"Visits", EventKind::visit, "", ""});
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
        const std::string& product = p.compliance.doses[i].product;
        const std::string& label = i < p.drugs.size() ? p.drugs[i] : product;
        std::vector<std::string> intakes;
        for (const auto& e : c.events)
            if (e.kind == EventKind::dose && e.product == product &&
                std::find(intakes.begin(), intakes.end(), e.intake) == intakes.end())
                intakes.push_back(e.intake);
        if (intakes.empty()) intakes.emplace_back();  // only extra administrations
        for (const auto& in : intakes) lanes.push_back({in.empty() ? label : label + " " + in, EventKind::dose, product, in});
    }
    return lanes;
}

std::size_t lane_of(const std::vector<Lane>& lanes, EventKind kind, const std::string& product, const std::string& intake) {
    for (std::size_t i = 0; i < lanes.size(); ++i)
        if (lanes[i].kind == kind && (kind == EventKind::visit || (lanes[i].product == product && lanes[i].intake == intake)))
            return i;
    for (std::size_t i = 0; i < lanes.size(); ++i)
        if (lanes[i].kind == kind && lanes[i].product == product) return i;
    return 0;
}


std::string outcome_text(const Outcome& o) {
    const Event& e = *o.event;
    const char* verb = e.kind == EventKind::visit ? "done" : "given";
    std::string s;
    if (o.skipped) s = "skipped: " + o.skip_reason;
    else if (o.date) s = fmt::format(FMT_COMPILE("{} {}, {}"), verb, iso(*o.date), style(mark_of(o)).label);
    else s = style(mark_of(o)).label;
    if (!o.reason.empty()) s += ": " + o.reason;  // held or cancelled, and why
    if (o.wrong_dose) s += ", wrong dose";
    return s;
}

std::vector<Marker> markers_of(const PatientReport& p, const std::vector<Lane>& lanes) {
    std::vector<Marker> out;
    auto add = [&](const Outcome& o) {
        if (!o.event) return;
        const Event& e = *o.event;
        Marker m;
        m.lane = lane_of(lanes, e.kind, e.product, e.intake);
        m.at = o.date ? *o.date : e.date;
        m.mark = mark_of(o);
        m.nominal = e.date;
        m.window = e.window;
        m.wrong_dose = o.wrong_dose;
        m.title = fmt::format(FMT_COMPILE("{} (D{}), planned {}{}: {}"), e.id, e.day.count(), iso(e.date),
                              e.window.from == e.window.to ? std::string()
                                                           : " window " + iso(e.window.from) + ".." + iso(e.window.to),
                              outcome_text(o));
        out.push_back(std::move(m));
    };
    for (const auto& o : p.compliance.visit_events) add(o);
    for (const auto& pc : p.compliance.doses) {
        for (const auto& o : pc.events) add(o);
        for (const Extra& x : pc.extra) {
            Marker m;
            m.lane = lane_of(lanes, EventKind::dose, pc.product, x.near ? x.near->intake : "");
            m.at = x.date;
            m.mark = Mark::extra;
            m.title = fmt::format("R{}: administration on {} matched to no planned dose (extra: {})", x.record,
                                  iso(x.date), x);
            out.push_back(std::move(m));
        }
    }
    return out;
}

long long floor_div(long long a, long long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

std::string timeline_svg(const PatientReport& p, date::sys_days as_of) {
    if (!p.plan) return "<p class=\"none\">No calendar to draw.</p>\n";
    const Calendar& c = *p.plan;
    const std::vector<Lane> lanes = lanes_of(p, c);
    std::vector<Marker> markers = markers_of(p, lanes);
    if (markers.empty() || lanes.empty()) return "<p class=\"none\">Nothing planned.</p>\n";

    // Two marks on one day in one lane (a late dose given the day of the
    // next one) stack up; the lane grows to hold them.
    // Counted by lane and day: linear in the marks, however many.
    std::vector<int> slots(lanes.size(), 1);
    std::map<std::pair<std::size_t, date::sys_days>, int> taken;
    for (auto& m : markers) {
        m.slot = taken[{m.lane, m.at}]++;
        slots[m.lane] = std::max(slots[m.lane], m.slot + 1);
    }
    std::vector<double> lane_top(lanes.size() + 1, axis_height);
    for (std::size_t i = 0; i < lanes.size(); ++i)
        lane_top[i + 1] = lane_top[i] + lane_height + slot_height * (slots[i] - 1);
    auto y_of = [&](const Marker& m) { return lane_top[m.lane] + lane_height / 2 + slot_height * m.slot; };
    auto lane_mid = [&](std::size_t lane) { return (lane_top[lane] + lane_top[lane + 1]) / 2; };

    // Strips from day 0, four weeks each, eight for a plan longer than four
    // months; only the strips where something lies are drawn.
    date::sys_days lo = markers.front().at, hi = lo;
    for (const auto& m : markers) {
        lo = std::min({lo, m.at, m.window ? m.window->from : m.at});
        hi = std::max({hi, m.at, m.window ? m.window->to : m.at});
    }
    const int sdays = (hi - lo).count() > 4 * 28 ? 2 * strip_days : strip_days;
    const double dw = (svg_width - label_width - 4) / sdays;
    const double mr = std::min(marker_r, dw * 0.45);
    auto strip_of = [&](date::sys_days d) { return floor_div((d - c.day0).count(), sdays); };
    // Each mark is listed under the strips it reaches, in the marks' order:
    // a strip draws its own marks, not every mark of the plan again.
    struct Strip {
        std::vector<std::size_t> windows, planned, happened;  // indexes into markers
    };
    std::map<long long, Strip> by_strip;
    auto under = [&](date::sys_days from, date::sys_days to, std::vector<std::size_t> Strip::*list, std::size_t i) {
        for (long long k = strip_of(from); k <= strip_of(to); ++k) {
            auto& l = by_strip[k].*list;
            if (l.empty() || l.back() != i) l.push_back(i);
        }
    };
    for (std::size_t i = 0; i < markers.size(); ++i) {
        const Marker& m = markers[i];
        under(m.at, m.at, &Strip::happened, i);
        if (m.window) under(m.window->from, m.window->to, &Strip::windows, i);
        if (m.nominal) under(std::min(m.at, *m.nominal), std::max(m.at, *m.nominal), &Strip::planned, i);
    }
    std::vector<long long> strips;
    for (const auto& [k, strip] : by_strip) strips.push_back(k);

    const double plot_bottom = lane_top.back();
    const double height = plot_bottom + 13;
    const double plot_right = svg_width - 4;
    std::string out = "<div class=\"timeline\">\n";
    for (std::size_t si = 0; si < strips.size(); ++si) {
        const long long k = strips[si];
        const date::sys_days first = c.day0 + date::days{k * sdays};
        const date::sys_days last = first + date::days{sdays - 1};
        auto x_of = [&](date::sys_days d) {
            return label_width + (static_cast<double>((d - first).count()) + 0.5) * dw;
        };
        auto clamp_x = [&](double x) { return std::clamp(x, label_width, plot_right); };
        const long long d_first = (first - c.day0).count(), d_last = (last - c.day0).count();
        if (si > 0 && strips[si - 1] != k - 1)
            out += fmt::format("<p class=\"gap\">nothing planned D{}–D{}</p>\n", (strips[si - 1] + 1) * sdays,
                               k * sdays - 1);
        out += fmt::format(FMT_COMPILE(R"(<svg class="strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" )"
                           R"(aria-label="Timeline D{} to D{}">)"
                           "\n"),
                           num(svg_width), num(height), d_first, d_last);
        out += fmt::format(FMT_COMPILE(R"(<text x="0" y="9" class="range">D{} – D{}</text>)"
                           R"(<text x="0" y="19" class="range">{} – {}</text>)"
                           "\n"),
                           d_first, d_last, month_day(first), month_day(last));
        // Lanes and their labels.
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            if (i % 2 == 0)
                out += fmt::format(FMT_COMPILE(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#f2f2f2"/>)"), num(label_width),
                                   num(lane_top[i]), num(plot_right - label_width), num(lane_top[i + 1] - lane_top[i]));
            out += fmt::format(FMT_COMPILE(R"(<text x="0" y="{}" class="lane">{}</text>)"), num(lane_mid(i) + 3.5),
                               esc(shorten(lanes[i].label, 26)));
        }
        out += "\n";
        // A tick a day: one dashed stroke, a dash as wide as a tick's line
        // every day's width (the weekly lines cover theirs); a line and the
        // study day and date every week from day 0.
        out += fmt::format(FMT_COMPILE(R"(<path class="days" d="M{} {}H{}" stroke-dasharray="{} {:.3f}"/>)"),
                           num(label_width - tick_width / 2), num(axis_height - 1.5), num(plot_right),
                           num(tick_width), dw - tick_width);
        PathData grid;
        for (int d = 0; d < sdays; d += 7) {
            const double x = label_width + d * dw;
            grid.move(x, 1).vertical(plot_bottom - 1);
            out += fmt::format(FMT_COMPILE(R"(<text x="{0}" y="9" class="tick">D{1}</text>)"
                                           R"(<text x="{0}" y="18" class="tick">{2}</text>)"),
                               num(x + 2), d_first + d, month_day(first + date::days{d}));
        }
        grid.move(plot_right, 1).vertical(plot_bottom - 1);
        grid.element_to(out, "grid");
        out += "\n";
        // Windows, then planned dates and shifts, then what happened.
        const Strip& here = by_strip.at(k);
        PathData windows;
        for (const std::size_t i : here.windows) {
            const Marker& m = markers[i];
            if (!m.window || m.window->to < first || m.window->from > last) continue;
            const double x1 = clamp_x(x_of(m.window->from) - dw / 2 + 1);
            const double x2 = clamp_x(x_of(m.window->to) + dw / 2 - 1);
            windows.move(x1, lane_top[m.lane] + 3)
                .horizontal(std::max(x2 - x1, 0.5))
                .vertical(lane_top[m.lane + 1] - lane_top[m.lane] - 6)
                .horizontal_to(x1)
                .close();
        }
        windows.element_to(out, "window");
        PathData nominal;
        for (const std::size_t i : here.planned) {
            const Marker& m = markers[i];
            if (m.nominal && *m.nominal >= first && *m.nominal <= last)
                nominal.move(x_of(*m.nominal), lane_top[m.lane] + 1.5)
                    .vertical(lane_top[m.lane + 1] - lane_top[m.lane] - 3);
        }
        nominal.element_to(out, "nominal");
        for (const std::size_t i : here.planned) {
            const Marker& m = markers[i];
            if (!m.nominal) continue;
            const double y = y_of(m);
            if (m.at != *m.nominal) {
                const date::sys_days a = std::min(m.at, *m.nominal), b = std::max(m.at, *m.nominal);
                if (b < first || a > last) continue;
                out += fmt::format(FMT_COMPILE(R"(<line x1="{0}" y1="{2}" x2="{1}" y2="{2}" stroke="{3}" class="shift"/>)"),
                                   num(clamp_x(x_of(a))), num(clamp_x(x_of(b))), num(y), style(m.mark).colour);
            }
        }
        for (const std::size_t i : here.happened) {
            const Marker& m = markers[i];
            if (m.at < first || m.at > last) continue;
            const double x = x_of(m.at), y = y_of(m);
            out += "<g><title>" + esc(m.title) + "</title>" + shape(m.mark, x, y, mr);
            if (m.wrong_dose)
                out += fmt::format(FMT_COMPILE(R"(<text x="{}" y="{}" class="wrong">!</text>)"), num(x + mr + 0.8),
                                   num(y - 1.5));
            out += "</g>\n";
        }
        // The as-of date: the end of that day.
        if (as_of >= first && as_of <= last) {
            const double x = x_of(as_of) + dw / 2;
            const bool right = x > svg_width - 90;
            out += fmt::format(FMT_COMPILE(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" class="asof"/>)"
                               R"(<text x="{3}" y="{4}" class="asof" text-anchor="{5}">as of {6}</text>)"
                               "\n"),
                               num(x), num(axis_height - 4), num(plot_bottom + 3), num(x + (right ? -2 : 2)),
                               num(height - 2), right ? "end" : "start", iso(as_of));
        }
        out += "</svg>\n";
    }
    return out + "</div>\n";
}

std::string legend_svg() {
    constexpr Mark order[] = {Mark::on_time, Mark::early, Mark::late, Mark::missed,
                              Mark::skipped, Mark::due, Mark::upcoming, Mark::extra, Mark::held, Mark::cancelled};
    std::string out = R"(<svg class="legend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 36" role="img" )"
                      R"(aria-label="Legend">)"
                      "\n";
    double x = 7;
    for (Mark m : order) {
        out += shape(m, x, 8, marker_r);
        out += fmt::format(R"(<text x="{}" y="11.5" class="key">{}</text>)", num(x + 10), style(m).label);
        x += 71;  // ten marks across the 720 wide legend
    }
    out += "\n";
    out += R"(<rect x="1" y="22" width="20" height="12" class="window"/>)"
           R"(<text x="27" y="31.5" class="key">window</text>)"
           R"(<line x1="97" y1="21" x2="97" y2="35" class="nominal"/>)"
           R"(<text x="104" y="31.5" class="key">planned date</text>)"
           R"(<line x1="187" y1="28" x2="217" y2="28" stroke="#d46b08" class="shift"/>)"
           R"(<text x="224" y="31.5" class="key">moved from the planned date</text>)"
           R"(<line x1="397" y1="21" x2="397" y2="35" class="asof"/>)"
           R"(<text x="404" y="31.5" class="key">end of the as-of date</text>)"
           R"(<text x="547" y="32" class="wrong">!</text>)"
           R"(<text x="557" y="31.5" class="key">wrong dose</text>)"
           "\n</svg>\n";
    return out;
}

// ------------------------------------------------------------------ tables

std::string figures_row(const std::string& what, const Figures& f, bool visits, bool low) {
    auto n = [](int v) { return fmt::format("<td class=\"n\">{}</td>", v); };
    std::string out = low ? "<tr class=\"low\">" : "<tr>";
    out += "<th scope=\"row\">" + esc(what) + (low ? " <span class=\"flag\">below threshold</span>" : "") + "</th>";
    out += n(f.planned) + n(f.expected) + n(f.given) + n(f.on_time) + n(f.early) + n(f.late) + n(f.missed) +
           n(f.skipped);
    out += visits ? std::string("<td class=\"n\"></td><td class=\"n\"></td><td class=\"n\"></td>")
                  : n(f.extra) + n(f.wrong_dose) + n(f.held);
    out += n(f.cancelled);
    out += "<td class=\"n\">" + pct(f.compliance_pct()) + "</td><td class=\"n\">" + pct(f.on_time_pct()) + "</td></tr>\n";
    return out;
}

constexpr const char* figures_head =
    "<thead><tr><th>Drug / visits</th><th>Planned</th><th>Expected</th><th>Given / done</th><th>On time</th>"
    "<th>Early</th><th>Late</th><th>Missed</th><th>of which skipped</th><th>Extra</th><th>Wrong dose</th><th>Held</th>"
    "<th>Can&shy;celled</th>"
    "<th>Compliance %</th><th>On time %</th></tr></thead>\n";

bool below(const ReportHeader& h, const Figures& f) {
    return h.below && f.compliance_pct() && *f.compliance_pct() < *h.below;
}

std::string figures_table(const PatientReport& p, const ReportHeader& h) {
    std::string out = "<table class=\"figures\">\n";
    out += figures_head;
    out += "<tbody>\n";
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
        const Figures& f = p.compliance.doses[i].figures;
        out += figures_row(i < p.drugs.size() ? p.drugs[i] : p.compliance.doses[i].product, f, false, below(h, f));
    }
    out += figures_row("visits", p.compliance.visits, true, below(h, p.compliance.visits));
    return out + "</tbody></table>\n";
}

std::string days_text(long long n) { return plural(n, "day", "days"); }

// `unblinded`: dose rows name the product by its unblinded label (real drug
// and amount), as the figures above them do.
std::string deviations(const PatientReport& p, bool unblinded) {
    struct Row {
        date::sys_days when;
        std::string event, what, planned, deviation, detail, record;
    };
    std::vector<Row> rows;
    auto planned_text = [](const Event& e) {
        const long long before = (e.date - e.window.from).count(), after = (e.window.to - e.date).count();
        if (before == 0 && after == 0) return iso(e.date);
        if (before == after) return fmt::format("{} ±{} d", iso(e.date), before);
        return fmt::format("{} −{}/+{} d", iso(e.date), before, after);
    };
    // The administrations by record, looked up for wrong doses: one pass, not one per row.
    std::unordered_map<std::int64_t, const Administration*> admin;
    for (const auto& a : p.records.doses) admin.try_emplace(a.record, &a);
    const std::string* label = nullptr;  // the unblinded label of the product being listed
    auto what_text = [&](const Event& e) {
        if (e.kind == EventKind::visit) return "visit " + e.name;
        std::string s = e.drug;
        if (label) s = *label;
        else if (const auto a = amount_text(e); !a.empty()) s += " " + a;
        if (!e.intake.empty()) s += " " + e.intake;
        return s;
    };
    auto add = [&](const Outcome& o) {
        if (!o.event) return;
        const Event& e = *o.event;
        const char* verb = e.kind == EventKind::visit ? "Done" : "Given";
        const std::string rec = o.record ? fmt::format("R{}", *o.record) : "";
        Row r{e.date, e.id, what_text(e), planned_text(e), "", "", rec};
        if (o.skipped) {
            r.deviation = "skipped";
            r.detail = "Reason: " + o.skip_reason;
        } else if (o.status == Status::missed) {
            r.deviation = "missed";
            r.detail = e.reach() == e.window ? "Nothing recorded by the end of its window."
                                           : "Nothing recorded by the end of its reach (" + iso(e.reach().to) + ").";
        } else if (o.status == Status::held || o.status == Status::cancelled) {
            r.deviation = o.status == Status::held ? "held" : "cancelled";
            r.detail = "Reason: " + o.reason;
        } else if (o.status == Status::early && o.date) {
            r.deviation = "early";
            r.detail = fmt::format("{} {}, {} before the window.", verb, iso(*o.date),
                                   days_text((e.window.from - *o.date).count()));
        } else if (o.status == Status::late && o.date) {
            r.deviation = "late";
            r.detail = fmt::format("{} {}, {} after the window.", verb, iso(*o.date),
                                   days_text((*o.date - e.window.to).count()));
        }
        if (!r.deviation.empty()) rows.push_back(r);
        if (o.wrong_dose) {
            const auto found = o.record ? admin.find(*o.record) : admin.end();
            const Administration* a = found == admin.end() ? nullptr : found->second;
            const std::string given = a && a->amount ? fmt::format("{} {}", *a->amount, e.unit) : std::string("?");
            rows.push_back({e.date, e.id, what_text(e), planned_text(e), "wrong dose",
                            fmt::format("Recorded {}, planned {}: more than 1 % apart.", given, amount_text(e)), rec});
        }
    };
    for (const auto& o : p.compliance.visit_events) add(o);
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
        const auto& pc = p.compliance.doses[i];
        label = unblinded && i < p.drugs.size() ? &p.drugs[i] : nullptr;
        for (const auto& o : pc.events) add(o);
        for (const Extra& x : pc.extra)
            rows.push_back({x.date, "—", i < p.drugs.size() ? p.drugs[i] : pc.product, "—", "extra",
                            fmt::format("Given {}, matched to no planned dose: {}.", iso(x.date), x),
                            fmt::format("R{}", x.record)});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.when < b.when; });
    if (rows.empty()) return "<p class=\"none\">No deviations.</p>\n";
    std::string out = "<table class=\"deviations\">\n<thead><tr><th>Event</th><th>What</th><th>Planned</th>"
                      "<th>Deviation</th><th>What happened / reason</th><th>Record</th></tr></thead>\n<tbody>\n";
    for (const auto& r : rows)
        out += "<tr><td class=\"nw\">" + esc(r.event) + "</td><td>" + esc(r.what) + "</td><td class=\"nw\">" +
               esc(r.planned) + "</td><td class=\"dev\">" + esc(r.deviation) + "</td><td>" + esc(r.detail) +
               "</td><td class=\"nw\">" + esc(r.record) + "</td></tr>\n";
    return out + "</tbody></table>\n";
}

// One row of the summary table: a patient's drug or visits, or a total.
std::string summary_row(const ReportHeader& h, const std::string& patient, const std::string& site,
                        const std::string& protocol, const std::string& what, const Figures& f, bool first,
                        bool total = false) {
    const bool low = !total && below(h, f);
    std::string r = std::string(first ? "<tr class=\"first" : "<tr class=\"") + (low ? " low\">" : "\">");
    r += "<td>" + esc(patient) + "</td><td>" + esc(site) + "</td><td>" + esc(protocol) + "</td><td>" + esc(what) +
         (low ? " <span class=\"flag\">below threshold</span>" : "") + "</td>";
    r += fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                     "<td class=\"n\">{}</td>",
                     f.expected, f.given, f.missed, f.skipped, f.early + f.late);
    r += "<td class=\"n\">" + pct(f.compliance_pct()) + "</td><td class=\"n\">" + pct(f.on_time_pct()) + "</td></tr>\n";
    return r;
}

constexpr const char* summary_head =
    "<table class=\"summary\">\n<thead><tr><th>Patient</th><th>Site</th><th>Protocol</th>"
    "<th>Drug / visits</th><th>Expected</th><th>Given / done</th><th>Missed</th>"
    "<th>of which skipped</th><th>Out of window</th><th>Compliance %</th><th>On time %</th></tr>"
    "</thead>\n<tbody>\n";

// ------------------------------------------------------------------ page

constexpr const char* unblinded_margin_style =
    "font: bold 10pt \"DejaVu Sans\", sans-serif; color: #b71c1c; border: 1.5pt solid #b71c1c; padding: 1mm 4mm;";

constexpr const char* stylesheet = R"(
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 9pt; color: #111;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; }
@media screen { body { max-width: 186mm; margin: 8mm auto; padding: 0 6mm; } .patient { border-top: 2px solid #888; margin-top: 10mm; padding-top: 4mm; } }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 0 0 1mm; }
h3 { font-size: 10pt; margin: 4mm 0 1.5mm; }
dl.head { display: grid; grid-template-columns: max-content auto; gap: 0.8mm 4mm; margin: 0 0 3mm; }
dl.head dt { font-weight: bold; }
dl.head dd { margin: 0; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
p.note { font-size: 8pt; color: #333; margin: 1mm 0 3mm; }
p.meta { margin: 0 0 2mm; color: #222; }
p.course { margin: 0 0 2mm; }
p.none { font-style: italic; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 0 0 2mm; }
th, td { border: 0.5pt solid #999; padding: 0.5mm 1.2mm; vertical-align: top; text-align: left; font-size: 8pt; }
thead th { background: #e8e8e8; font-size: 7.5pt; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.figures th[scope=row] { font-weight: normal; }
table.summary tr.first td { border-top: 1pt solid #555; }
tbody.totals td { font-weight: bold; background: #f0f0f0; }
tr.low td, tr.low th { font-weight: bold; background: #fde7e7; }
.flag { font-size: 7pt; border: 0.7pt solid #c62828; color: #c62828; padding: 0 0.8mm; white-space: nowrap; }
td.dev { white-space: nowrap; font-weight: bold; }
td.nw { white-space: nowrap; }
p.gap { font-size: 7.5pt; color: #444; margin: 0.5mm 0 0.5mm 35mm; font-style: italic; }
.timeline svg + svg { margin-top: 1.5mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.patient { break-before: page; }
.timeline svg, svg.legend { display: block; width: 100%; height: auto; break-inside: avoid; }
svg.legend { margin-bottom: 1mm; }
svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
svg .lane { font-size: 10px; }
svg .range { font-size: 8px; fill: #333; }
svg .tick { font-size: 8px; fill: #333; }
svg .days { stroke: #999; stroke-width: 3; fill: none; }
svg .key { font-size: 10px; }
svg .grid { stroke: #aaa; stroke-width: 0.6; fill: none; }
svg .window { fill: #dcdcdc; stroke: #9e9e9e; stroke-width: 0.5; }
svg .nominal { stroke: #333; stroke-width: 0.9; fill: none; }
svg .shift { stroke-width: 1.8; stroke-dasharray: 3 2; }
svg line.asof { stroke: #000; stroke-width: 0.9; stroke-dasharray: 3 2; }
svg text.asof { font-size: 8px; }
svg .wrong { font-size: 12px; font-weight: bold; fill: #c62828; }
.unblinded-banner { background: #b71c1c; color: #fff; font-weight: bold; font-size: 10pt; text-align: center;
                    padding: 1.2mm 2mm; margin: 0 0 3mm; }
@media screen { .unblinded-banner { position: sticky; top: 0; z-index: 1; } }
section.signature { break-inside: avoid; border: 1.2pt solid #222; padding: 3mm 5mm 2mm; margin: 8mm 0 0; }
section.signature h2 { font-size: 11pt; text-transform: uppercase; letter-spacing: 0.08em; }
section.signature p.signed-name { font: italic 17pt "DejaVu Serif", Georgia, serif; margin: 3mm 0 1mm;
                                  padding: 0 0 1mm 2mm; border-bottom: 0.8pt solid #222; max-width: 110mm; }
pre.signature-data { font: 6.5pt "DejaVu Sans Mono", monospace; color: #333; white-space: pre-wrap;
                     word-break: break-all; margin: 2mm 0 0; }
)";

}  // namespace

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    // Runs of plain text copied whole: most text has nothing to escape.
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char* entity = nullptr;
        switch (s[i]) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        out.append(s, from, i - from);
        out += entity;
        from = i + 1;
    }
    out.append(s, from);
    return out;
}

// '<' is escaped too, so no text can close the <style> element.
std::string css_string(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20 || c == 0x7f)
            out += fmt::format("\\{:X} ", c);
        else out += static_cast<char>(c);
    }
    return out + "\"";
}

std::optional<std::string> html_unescape(std::string_view s) {
    static constexpr std::pair<std::string_view, char> entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '&') {
            out += s[i++];
            continue;
        }
        bool known = false;
        for (const auto& [entity, c] : entities)
            if (s.substr(i, entity.size()) == entity) {
                out += c;
                i += entity.size();
                known = true;
                break;
            }
        if (!known) return std::nullopt;
    }
    return out;
}

void HtmlReportFacts::add(const std::string& site, bool blinded_plan) {
    ++patients;
    if (std::find(sites.begin(), sites.end(), site) == sites.end()) sites.push_back(site);
    blinded = blinded || blinded_plan;
}

ComplianceHtml::ComplianceHtml(HtmlReportHeader h, HtmlReportFacts facts)
    : h_(std::move(h)), facts_(std::move(facts)), as_of_(iso(h_.report.as_of)) {}

std::string ComplianceHtml::head() const {
    const ReportHeader& r = h_.report;
    std::string site_list;
    for (const auto& s : facts_.sites) site_list += (site_list.empty() ? "" : ", ") + s;

    const std::string footer = fmt::format("trialcal compliance report · {} · as of {} · printed by {} · audit head {}",
                                           h_.scope, as_of_, h_.printed_by, r.audit_head.substr(0, 16));
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<title>" + esc(fmt::format("Compliance report · {} · as of {}", h_.scope, as_of_)) + "</title>\n";
    out += "<style>\n@page { size: A4; margin: 13mm 12mm 15mm 12mm;\n  @bottom-left { content: " + css_string(footer) +
           "; font-size: 7pt; color: #444; font-family: \"DejaVu Sans\", sans-serif; }\n"
           "  @bottom-right { content: \"page \" counter(page) \" of \" counter(pages); font-size: 7pt; color: #444; "
           "font-family: \"DejaVu Sans\", sans-serif; }";
    // Unblinded, every printed page says so in its top margin: a page taken
    // out of the stack still does, and the banner hides no line of the report.
    if (r.unblinded)
        out += "\n  @top-center { content: " + css_string(unblinded_notice) + "; " + unblinded_margin_style + " }";
    out += " }";
    out += stylesheet;
    out += "</style>\n</head>\n<body>\n";
    // On screen the banner stays at the top while scrolling; printed it heads
    // the first page, and the @top-center box above repeats it on every page.
    if (r.unblinded) out += "<div class=\"unblinded-banner\" role=\"note\">" + esc(unblinded_notice) + "</div>\n";

    // Header
    out += "<header class=\"report-head\">\n<h1>Compliance report</h1>\n<dl class=\"head\">\n";
    out += "<dt>Study</dt><dd>";
    if (h_.studies.empty()) out += "—";
    for (std::size_t i = 0; i < h_.studies.size(); ++i) out += (i ? "<br>" : "") + esc(h_.studies[i]);
    out += "</dd>\n";
    out += "<dt>Report for</dt><dd>" + esc(h_.scope) + "</dd>\n";
    out += "<dt>Site" + std::string(facts_.sites.size() == 1 ? "" : "s") + "</dt><dd>" +
           (site_list.empty() ? std::string("—") : esc(site_list)) + "</dd>\n";
    out += "<dt>As of</dt><dd>" + esc(as_of_) + "</dd>\n";
    out += "<dt>Patients</dt><dd>" + fmt::format("{}", facts_.patients) + "</dd>\n";
    out += "<dt>Printed by</dt><dd>" + esc(h_.printed_by) + "</dd>\n";
    out += "<dt>Audit chain head</dt><dd><code>" + esc(r.audit_head) + "</code></dd>\n";
    if (r.below) out += "<dt>Threshold</dt><dd>" + esc(fmt::format("rows below {:.1f} % compliance are marked", *r.below)) + "</dd>\n";
    out += "</dl>\n";
    out += "<p class=\"note\">Figures as docs/compliance.md (version 2) defines them: records dated on or before the "
           "as-of date, voided records excluded; named records first, then the one best matching; compliance % = "
           "given / expected, on time % = on time / expected. ";
    if (r.unblinded)
        out += "Unblinded report: products are named by their real drug and amount. ";
    else if (facts_.blinded)
        out += "Blinded report: arms are not shown and blinded products appear under their blinded label only. ";
    out += "The audit chain head identifies the exact state of the records this report was computed from "
           "(<code>trialcal audit verify</code>).</p>\n";
    out += "</header>\n";

    out += "<section class=\"overview\">\n<h3>Summary</h3>\n";
    if (facts_.patients == 0) out += "<p class=\"none\">No patient matches.</p>\n";
    else out += summary_head;
    return out;
}

std::string ComplianceHtml::summary(const PatientReport& p) {
    totals_.add(p);
    std::string out;
    const std::string protocol = p.protocol + "@" + p.version;
    bool first = true;
    for (std::size_t i = 0; i < p.compliance.doses.size(); ++i) {
        const std::string& drug = i < p.drugs.size() ? p.drugs[i] : p.compliance.doses[i].product;
        out += summary_row(h_.report, first ? p.patient : "", first ? p.site : "", first ? protocol : "", drug,
                           p.compliance.doses[i].figures, first);
        first = false;
    }
    out += summary_row(h_.report, first ? p.patient : "", first ? p.site : "", first ? protocol : "", "visits",
                       p.compliance.visits, first);
    return out;
}

std::string ComplianceHtml::summary_end() const {
    if (facts_.patients == 0) return "</section>\n";
    std::string out = "</tbody>\n<tbody class=\"totals\">\n";
    bool first = true;
    for (const auto& t : totals_.doses) {
        out += summary_row(h_.report, first ? "Total" : "", "", "", t.drug, t.figures, first, true);
        first = false;
    }
    out += summary_row(h_.report, first ? "Total" : "", "", "", "visits", totals_.visits, first, true);
    return out + "</tbody></table>\n</section>\n";
}

std::string ComplianceHtml::page(const PatientReport& p) const {
    const ReportHeader& r = h_.report;
    std::string out = "<section class=\"patient\">\n";
    out += "<h2>Patient " + esc(p.patient) + "</h2>\n";
    std::string meta = fmt::format("{} version {} · site {}", p.protocol, p.version, p.site);
    if (p.plan) {
        meta += fmt::format(" · day 0 {}", iso(p.plan->day0));
        if (p.arm) meta += " · arm " + *p.arm;
        else if (p.plan->blinded) meta += " · arm blinded";
        else if (p.plan->arm) meta += " · arm " + *p.plan->arm;
        if (p.plan->cohort) meta += " · cohort " + *p.plan->cohort;
    }
    meta += " · as of " + as_of_;
    out += "<p class=\"meta\">" + esc(meta) + "</p>\n";
    out += "<p class=\"course\"><b>" + esc(status_name(p.status)) + "</b> · " + esc(course_text(p)) + "</p>\n";
    out += "<h3>Timeline: every planned visit and dose against what happened</h3>\n";
    out += legend_svg();
    out += timeline_svg(p, r.as_of);
    out += "<h3>Figures</h3>\n";
    out += figures_table(p, r);
    out += "<h3>Deviations</h3>\n";
    out += deviations(p, r.unblinded);
    if (!p.records.unscheduled.empty()) {
        // Listed, never counted (compliance.md).
        out += "<h3>Unscheduled visits</h3>\n<table class=\"unscheduled\"><thead><tr><th>Record</th><th>Date</th>"
               "<th>Visit</th><th>Reason</th></tr></thead><tbody>\n";
        for (const auto& u : p.records.unscheduled)
            out += fmt::format("<tr><td>R{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", u.record, iso(u.date),
                               esc(u.name), esc(u.reason));
        out += "</tbody></table>\n";
    }
    out += "</section>\n";
    return out;
}

std::string ComplianceHtml::end() { return "</body>\n</html>\n"; }

std::string compliance_html(const std::vector<PatientReport>& ps, const HtmlReportHeader& h) {
    HtmlReportFacts facts;
    for (const auto& p : ps) facts.add(p.site, p.plan && p.plan->blinded);
    ComplianceHtml html(h, std::move(facts));
    std::string out = html.head();
    for (const auto& p : ps) out += html.summary(p);
    out += html.summary_end();
    for (const auto& p : ps) out += html.page(p);
    return out + ComplianceHtml::end();
}

}  // namespace trialcal
