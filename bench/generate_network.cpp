// A synthetic trial network for the benchmarks of `import patients`,
// `import doses` and the reports: a patients file and a dosing log, in the
// formats `trialcal import` reads.
//
//   trialcal_bench_generate --calendars DIR --out DIR [--patients N=100000] [--doses M=1000000] [--seed S=1]
//
// The same arguments give byte-identical files: one local PRNG seeded by
// --seed and drawn in a fixed order; no clock, no std::random_device, no
// <random> distribution (their output differs between standard libraries).
//
// The patients mix the seed protocols so that the average calendar has about
// 60 events. The dosing log shares M doses among the patients in proportion
// to their planned doses; each patient takes its share in calendar order,
// mostly on time, some late, early or missed, and rarely one unscheduled dose
// after the end of treatment.
#include "core/calendar.hpp"
#include "core/eligibility.hpp"
#include "core/protocol_parser.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using namespace trialcal;
namespace fs = std::filesystem;

// Exit codes as trialcal's own (sysexits).
constexpr int exit_usage = 2;
constexpr int exit_bad_data = 65;
constexpr int exit_no_input = 66;
constexpr int exit_internal = 70;
constexpr int exit_cannot_create = 73;

struct Failure {
    int exit_code;
    std::string message;
};

// ---- Random numbers

// splitmix64 (Steele, Lea and Flood, 2014): a few lines, fast, and the same
// sequence on every platform.
class Random {
public:
    explicit Random(std::uint64_t seed) noexcept : state_(seed) {}

    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n), n > 0. The modulo bias (about n / 2^64) is far
    // below anything a benchmark could notice.
    unsigned below(unsigned n) noexcept { return static_cast<unsigned>(next() % n); }
    // Uniform in [lo, hi].
    int between(int lo, int hi) noexcept { return lo + static_cast<int>(below(static_cast<unsigned>(hi - lo + 1))); }
    bool chance_per_mille(unsigned k) noexcept { return below(1000) < k; }

private:
    std::uint64_t state_;
};

// ---- Command line

struct Options {
    fs::path calendars;
    fs::path out;
    std::uint64_t patients = 100'000;
    std::uint64_t doses = 1'000'000;
    std::uint64_t seed = 1;
};

constexpr std::string_view usage =
    "usage: trialcal_bench_generate --calendars DIR --out DIR [--patients N=100000] [--doses M=1000000] [--seed S=1]";

// Patient ids have 7 digits.
constexpr std::uint64_t max_patients = 9'999'999;
// Quotas are 32-bit, and M x planned doses must not overflow 64 bits.
constexpr std::uint64_t max_doses = 0xffff'ffffULL;

std::uint64_t parse_count(std::string_view flag, std::string_view text, std::uint64_t max) {
    std::uint64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v > max)
        throw Failure{exit_usage, fmt::format("{}: '{}' is not a whole number from 0 to {}", flag, text, max)};
    return v;
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (flag == "--help" || flag == "-h") throw Failure{0, std::string(usage)};
        if (i + 1 >= argc) throw Failure{exit_usage, fmt::format("{}: the value is missing\n{}", flag, usage)};
        const std::string_view value = argv[++i];
        if (flag == "--calendars") o.calendars = value;
        else if (flag == "--out") o.out = value;
        else if (flag == "--patients") o.patients = parse_count(flag, value, max_patients);
        else if (flag == "--doses") o.doses = parse_count(flag, value, max_doses);
        else if (flag == "--seed") o.seed = parse_count(flag, value, UINT64_MAX);
        else throw Failure{exit_usage, fmt::format("unknown option '{}'\n{}", flag, usage)};
    }
    if (o.calendars.empty() || o.out.empty()) throw Failure{exit_usage, std::string(usage)};
    return o;
}

// ---- The network: studies, sites, dates

// The network's mix, in thousandths of the patients. With these shares the
// average calendar has about 60 events (NCT05153070 v2 plans 175, v1 115,
// TRANSREG 28 or 41 for SLE, MS-IL2 22, DF-IL2 15); main() prints the total.
struct Study {
    std::string_view file;
    std::string_view spec;  // the protocol column: the id, with @version when there are several
    unsigned per_mille;
};
constexpr std::array<Study, 5> studies{{
    {"nct05153070-v1.toml", "NCT05153070@1", 150},
    {"nct05153070-v2.toml", "NCT05153070@2", 150},
    {"df-il2.toml", "DF-IL2", 200},
    {"transreg.toml", "TRANSREG", 300},
    {"ms-il2.toml", "MS-IL2", 200},
}};
static_assert(std::accumulate(studies.begin(), studies.end(), 0U,
                              [](unsigned sum, const Study& s) { return sum + s.per_mille; }) == 1000);

struct Site {
    std::string_view id;
    std::string_view tz;
    std::string_view country;  // its holidays: trialcal ships FR's; the others close at weekends only
};
// Mostly French hospitals, a few abroad: zones east and west of Paris, with
// and without daylight saving, so that site-local wall times really differ.
constexpr std::array<Site, 11> sites{{
    {"SITE01", "Europe/Paris", "FR"},
    {"SITE02", "Europe/Paris", "FR"},
    {"SITE03", "Europe/Paris", "FR"},
    {"SITE04", "Europe/Paris", "FR"},
    {"SITE05", "Europe/Paris", "FR"},
    {"SITE06", "Europe/Paris", "FR"},
    {"SITE07", "Europe/London", "GB"},
    {"SITE08", "Europe/Berlin", "DE"},
    {"SITE09", "Europe/Brussels", "BE"},
    {"SITE10", "America/New_York", "US"},
    {"SITE11", "Asia/Tokyo", "JP"},
}};

// Day 0s are spread over the enrollment period.
constexpr date::sys_days first_day0{date::year{2025} / date::January / 1};
constexpr date::sys_days last_day0{date::year{2026} / date::June / 30};
// The benchmark pins "now" to 2028-06-01; nothing is dosed from 2028 on, so
// every dose is in the past of every report.
constexpr date::sys_days dose_cutoff{date::year{2028} / date::January / 1};

// ---- Calendars, expanded once per variant

// A planned dose in days after day 0. Expansion only shifts with day 0
// (check_shift_invariant), so one expansion per variant serves every patient.
struct PlannedDose {
    std::int16_t nominal;
    std::int16_t from;  // window
    std::int16_t to;
    std::uint8_t product;  // index into Network::products
    bool evening;          // a "PM" intake
};

// One way to be enrolled in a study: its arm and cohort.
struct Variant {
    std::size_t study = 0;  // index into studies and Network::protocols
    std::string arm;        // empty: the protocol has no arms
    std::string cohort;     // empty: the protocol has no cohorts
    std::size_t events = 0;            // planned visits and doses
    std::vector<PlannedDose> doses;    // calendar order
};

struct VariantRange {
    std::size_t first = 0;
    std::size_t count = 0;
};

struct Network {
    std::vector<Protocol> protocols;  // one per study
    std::vector<std::string> products;  // product ids, as the drug column writes them
    std::vector<Variant> variants;
    std::array<VariantRange, studies.size()> variants_of{};  // by study
};

Protocol load_protocol(const fs::path& file, std::string_view spec) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Failure{exit_no_input, fmt::format("{}: cannot be read", file.string())};
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    ParsedProtocol parsed = parse_protocol(text);
    if (!parsed.protocol) {
        std::string why;
        for (const Diagnostic& d : parsed.diagnostics)
            why += fmt::format("\n{}:{}:{}: {}", file.string(), d.line, d.column, d.message);
        throw Failure{exit_bad_data, fmt::format("{}: does not parse{}", file.string(), why)};
    }
    // The patients file names the protocol by `spec`: it must be this file's.
    const Protocol& p = *parsed.protocol;
    if (spec != p.id && spec != p.id + "@" + p.version)
        throw Failure{exit_bad_data,
                      fmt::format("{}: is {} version {}, expected {}", file.string(), p.id, p.version, spec)};
    return std::move(*parsed.protocol);
}

std::uint8_t product_index(std::vector<std::string>& products, const std::string& id) {
    const auto it = std::find(products.begin(), products.end(), id);
    if (it != products.end()) return static_cast<std::uint8_t>(it - products.begin());
    products.push_back(id);
    return static_cast<std::uint8_t>(products.size() - 1);
}

CalendarRequest request_for(const Protocol& p, const Variant& v, date::sys_days day0) {
    CalendarRequest r;
    r.day0 = day0;
    if (!v.arm.empty()) r.arm = v.arm;
    if (!v.cohort.empty()) r.cohort = v.cohort;
    // The weight sets amounts, never dates: any accepted one will do here.
    if (p.needs_weight()) r.weight_kg = 70.0;
    return r;
}

// Unblinded and with the arm, so every dose carries its real product id.
Calendar expand_variant(const Protocol& p, const Variant& v, date::sys_days day0) {
    auto c = expand(p, request_for(p, v, day0));
    if (!c)
        throw Failure{exit_bad_data, fmt::format("{} (arm '{}', cohort '{}'): {}", p.id, v.arm, v.cohort,
                                                 c.error().message)};
    return std::move(c).value();
}

// One expansion per variant is right only if day 0 shifts every date and
// changes nothing else. A protocol rule that did (weekends, month ends)
// would silently break the cache, so both ends of the enrollment period are compared.
void check_shift_invariant(const Protocol& p, const Calendar& a, const Calendar& b) {
    bool same = a.events.size() == b.events.size();
    for (std::size_t i = 0; same && i < a.events.size(); ++i) {
        const Event& x = a.events[i];
        const Event& y = b.events[i];
        same = x.id == y.id && x.date - a.day0 == y.date - b.day0 && x.window.from - a.day0 == y.window.from - b.day0 &&
               x.window.to - a.day0 == y.window.to - b.day0;
    }
    if (!same)
        throw Failure{exit_internal, fmt::format("{}: the calendar changes with day 0 beyond a shift of dates; "
                                                 "this generator expands it once and cannot use it",
                                                 p.id)};
}

std::int16_t days_after(date::sys_days day0, date::sys_days d) {
    const int n = (d - day0).count();
    if (n < -30000 || n > 30000) throw Failure{exit_bad_data, fmt::format("a study day {} is out of range", n)};
    return static_cast<std::int16_t>(n);
}

void plan_variant(Network& net, Variant& v) {
    const Protocol& p = net.protocols[v.study];
    const Calendar c = expand_variant(p, v, first_day0);
    check_shift_invariant(p, c, expand_variant(p, v, last_day0));
    v.events = c.events.size();
    for (const Event& e : c.events) {
        if (e.kind != EventKind::dose) continue;
        v.doses.push_back({days_after(c.day0, e.date), days_after(c.day0, e.window.from),
                           days_after(c.day0, e.window.to), product_index(net.products, e.product),
                           e.intake == "PM"});
    }
}

// Every arm x cohort of the study.
void add_variants(Network& net, std::size_t study) {
    const Protocol& p = net.protocols[study];
    std::vector<std::string> arms{""}, cohorts{""};
    if (!p.arms.empty()) arms.clear();
    for (const Arm& a : p.arms) arms.push_back(a.id);
    if (!p.cohorts.empty()) cohorts.clear();
    for (const Cohort& c : p.cohorts) cohorts.push_back(c.id);
    net.variants_of[study] = {net.variants.size(), arms.size() * cohorts.size()};
    for (const auto& arm : arms)
        for (const auto& cohort : cohorts) {
            Variant v{study, arm, cohort, 0, {}};
            plan_variant(net, v);
            net.variants.push_back(std::move(v));
        }
}

Network load_network(const fs::path& dir) {
    Network net;
    for (const Study& s : studies) net.protocols.push_back(load_protocol(dir / s.file, s.spec));
    for (std::size_t i = 0; i < studies.size(); ++i) add_variants(net, i);
    return net;
}

// ---- Patients

struct Patient {
    date::sys_days day0;
    std::uint32_t quota = 0;     // dosing log rows for this patient
    std::uint16_t planned = 0;   // planned doses dated before the cut-off
    std::uint16_t weight_dg = 0; // body weight in tenths of a kg; 0: the protocol does not ask
    std::uint8_t variant = 0;
    std::uint8_t site = 0;
    bool unscheduled = false;    // one extra dose after the last planned one
};

std::size_t draw_study(Random& rng) {
    unsigned x = rng.below(1000);
    for (std::size_t i = 0; i < studies.size(); ++i) {
        if (x < studies[i].per_mille) return i;
        x -= studies[i].per_mille;
    }
    return studies.size() - 1;
}

std::uint16_t doses_before_cutoff(const Variant& v, date::sys_days day0) {
    const auto n = std::count_if(v.doses.begin(), v.doses.end(), [&](const PlannedDose& d) {
        return day0 + date::days{d.nominal} < dose_cutoff;
    });
    return static_cast<std::uint16_t>(n);
}

// The unscheduled dose comes up to a week after the last planned dose's
// window: it too must fall before the cut-off.
constexpr int max_days_unscheduled = 7;

bool room_for_unscheduled(const Variant& v, const Patient& pt) {
    if (pt.planned == 0) return false;
    const PlannedDose& last = v.doses[pt.planned - 1U];
    return pt.day0 + date::days{last.to + max_days_unscheduled} < dose_cutoff;
}

Patient enroll(const Network& net, Random& rng) {
    Patient pt;
    const VariantRange range = net.variants_of[draw_study(rng)];
    const auto variant = range.first + rng.below(static_cast<unsigned>(range.count));
    pt.variant = static_cast<std::uint8_t>(variant);
    pt.site = static_cast<std::uint8_t>(rng.below(static_cast<unsigned>(sites.size())));
    pt.day0 = first_day0 + date::days{rng.between(0, (last_day0 - first_day0).count())};
    const Variant& v = net.variants[variant];
    // Ciclosporin is dosed by weight: 45.0 to 95.0 kg.
    if (net.protocols[v.study].needs_weight()) pt.weight_dg = static_cast<std::uint16_t>(rng.between(450, 950));
    pt.planned = doses_before_cutoff(v, pt.day0);
    pt.unscheduled = rng.chance_per_mille(10) && room_for_unscheduled(v, pt);
    return pt;
}

std::vector<Patient> enroll_network(const Network& net, std::uint64_t count, Random& rng) {
    std::vector<Patient> patients;
    patients.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) patients.push_back(enroll(net, rng));
    return patients;
}

// ---- Quotas: who gets how many of the M doses

std::uint32_t capacity(const Patient& pt) { return pt.planned + (pt.unscheduled ? 1U : 0U); }

// Shares `total` in proportion to planned doses by largest remainder (ties
// to the lower patient number), so the shares add up to exactly `total`.
void share_by_planned(std::vector<Patient>& patients, std::uint64_t total, std::uint64_t planned) {
    std::vector<std::uint64_t> remainder(patients.size());
    std::uint64_t given = 0;
    for (std::size_t i = 0; i < patients.size(); ++i) {
        const std::uint64_t exact = total * patients[i].planned;  // < 2^48: max_doses x 2^16
        patients[i].quota = static_cast<std::uint32_t>(exact / planned);
        remainder[i] = exact % planned;
        given += patients[i].quota;
    }
    std::vector<std::uint32_t> order(patients.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
    });
    for (std::uint64_t k = 0; given < total; ++k, ++given) ++patients[order[k]].quota;
}

// A patient never takes more than its planned doses and its unscheduled one:
// what a share exceeds goes, in patient order, to those with room. Returns
// the doses allotted: `total`, unless the whole network has less room.
std::uint64_t allot_quotas(std::vector<Patient>& patients, std::uint64_t total) {
    const std::uint64_t planned = std::accumulate(patients.begin(), patients.end(), std::uint64_t{0},
                                                  [](std::uint64_t sum, const Patient& p) { return sum + p.planned; });
    if (planned == 0) return 0;
    share_by_planned(patients, total, planned);
    std::uint64_t excess = 0;
    for (Patient& pt : patients) {
        if (pt.quota <= capacity(pt)) continue;
        excess += pt.quota - capacity(pt);
        pt.quota = capacity(pt);
    }
    for (Patient& pt : patients) {
        const std::uint64_t more = std::min<std::uint64_t>(excess, capacity(pt) - pt.quota);
        pt.quota += static_cast<std::uint32_t>(more);
        excess -= more;
    }
    return total - excess;
}

// ---- The dosing log

using Minutes32 = std::chrono::duration<std::int32_t, std::ratio<60>>;
using LocalMinute = date::local_time<Minutes32>;  // site-local wall time

struct DoseRow {
    LocalMinute at;
    std::uint32_t patient;  // index: 0 is P0000001
    std::uint8_t product;   // index into Network::products
};

enum class Timing : unsigned char { on_time, late, early, missed };

// In thousandths: 5 % missed, 6 % late, 3 % early, the rest on time.
Timing draw_timing(Random& rng) {
    const unsigned x = rng.below(1000);
    if (x < 50) return Timing::missed;
    if (x < 110) return Timing::late;
    if (x < 140) return Timing::early;
    return Timing::on_time;
}

struct Tally {
    std::uint64_t on_time = 0;
    std::uint64_t late = 0;
    std::uint64_t early = 0;
    std::uint64_t missed = 0;  // planned doses passed over, no row
    std::uint64_t unscheduled = 0;
};

// A wall time on `day` in the intake's hours: 08:00-11:59, or 18:00-21:59 in
// the evening. No daylight-saving change of the network's zones falls in
// those hours, so every wall time exists, and exists once.
LocalMinute wall_time(date::sys_days day, bool evening, Random& rng) {
    const int hour = evening ? rng.between(18, 21) : rng.between(8, 11);
    const int minute = rng.between(0, 59);
    const date::local_days local{day.time_since_epoch()};
    return std::chrono::time_point_cast<Minutes32>(local + std::chrono::hours{hour} + std::chrono::minutes{minute});
}

// Late: 1 to 3 days after the window (kept before the cut-off). Early: 1 to
// 3 days before it, but never on day 0 or before, which the CLI would refuse
// or which would precede the inclusion visit.
date::sys_days dose_date(const PlannedDose& d, date::sys_days day0, Timing t, Random& rng) {
    const date::sys_days nominal = day0 + date::days{d.nominal};
    if (t == Timing::late) {
        const date::sys_days late = day0 + date::days{d.to + rng.between(1, 3)};
        return late < dose_cutoff ? late : nominal;
    }
    if (t == Timing::early) return std::max(day0 + date::days{d.from - rng.between(1, 3)}, day0 + date::days{1});
    return nominal;
}

// What the row turned out to be, against the window (an early dose held back
// to day 1 may land inside it).
void count(Tally& tally, const PlannedDose& d, date::sys_days day0, date::sys_days day) {
    if (day < day0 + date::days{d.from}) ++tally.early;
    else if (day > day0 + date::days{d.to}) ++tally.late;
    else ++tally.on_time;
}

// Logs one administration at `at`, a minute later while the patient already
// has one of the product at that minute: trialcal refuses a duplicate (same
// patient, product and local minute), and a late dose can land on the day and
// minute of another. Only this patient's rows, from `first`, are compared.
void log_dose(std::vector<DoseRow>& rows, std::size_t first, LocalMinute at, std::uint32_t patient,
              std::uint8_t product) {
    for (bool clash = true; clash;) {
        clash = std::any_of(rows.begin() + static_cast<std::ptrdiff_t>(first), rows.end(),
                            [&](const DoseRow& r) { return r.at == at && r.product == product; });
        if (clash) at += Minutes32{1};
    }
    rows.push_back({at, patient, product});
}

// Walks the patient's planned doses in calendar order and logs the first
// `quota` administrations (one of them the unscheduled dose, if any). A dose
// is missed only when enough planned doses remain to fill the quota.
void log_patient_doses(const Patient& pt, std::uint32_t patient, const Variant& v, Random& rng,
                       std::vector<DoseRow>& rows, Tally& tally) {
    if (pt.quota == 0) return;
    const bool unscheduled = pt.unscheduled;
    const std::size_t first = rows.size();
    std::uint32_t owed = pt.quota - (unscheduled ? 1U : 0U);
    for (std::size_t j = 0; j < pt.planned && owed > 0; ++j) {
        const PlannedDose& d = v.doses[j];
        Timing t = draw_timing(rng);
        if (t == Timing::missed) {
            const std::size_t left_after = pt.planned - j - 1;
            if (left_after >= owed) {
                ++tally.missed;
                continue;
            }
            t = Timing::on_time;  // none to spare: the quota must be met
        }
        const date::sys_days day = dose_date(d, pt.day0, t, rng);
        log_dose(rows, first, wall_time(day, d.evening, rng), patient, d.product);
        count(tally, d, pt.day0, day);
        --owed;
    }
    if (unscheduled) {
        // After the last planned dose's window, of the same product.
        const PlannedDose& last = v.doses[pt.planned - 1U];
        const date::sys_days day = pt.day0 + date::days{last.to + rng.between(1, max_days_unscheduled)};
        log_dose(rows, first, wall_time(day, false, rng), patient, last.product);
        ++tally.unscheduled;
    }
}

// ---- Output

// A CSV file written through a large stream buffer, rows formatted into
// memory first: a million rows cost a few hundred writes.
class CsvFile {
public:
    explicit CsvFile(fs::path path) : path_(std::move(path)), stream_buffer_(1U << 20) {
        out_.rdbuf()->pubsetbuf(stream_buffer_.data(), static_cast<std::streamsize>(stream_buffer_.size()));
        out_.open(path_, std::ios::binary | std::ios::trunc);
        if (!out_) throw Failure{exit_cannot_create, fmt::format("{}: cannot be written", path_.string())};
    }
    template <class... Args>
    void write(fmt::format_string<Args...> format, Args&&... args) {
        fmt::format_to(std::back_inserter(pending_), format, std::forward<Args>(args)...);
        if (pending_.size() >= (1U << 16)) flush();
    }
    void close() {
        flush();
        out_.close();
        if (!out_) throw Failure{exit_cannot_create, fmt::format("{}: write error", path_.string())};
    }

private:
    void flush() {
        out_.write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
        pending_.clear();
    }
    fs::path path_;
    std::vector<char> stream_buffer_;
    std::ofstream out_;
    fmt::memory_buffer pending_;
};

struct Civil {
    int year;
    unsigned month;
    unsigned day;
};

Civil civil(date::year_month_day ymd) {
    return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

void write_patients(const fs::path& file, const Network& net, const std::vector<Patient>& patients) {
    CsvFile out(file);
    out.write("patient,protocol,site,day0,arm,randomization_number,cohort,weight_kg,tz\n");
    for (std::size_t i = 0; i < patients.size(); ++i) {
        const Patient& pt = patients[i];
        const Variant& v = net.variants[pt.variant];
        const Site& site = sites[pt.site];
        const Civil d = civil(date::year_month_day{pt.day0});
        out.write("P{:07},{},{},{:04}-{:02}-{:02},{},,{},", i + 1, studies[v.study].spec, site.id, d.year, d.month,
                  d.day, v.arm, v.cohort);
        if (pt.weight_dg != 0) out.write("{}.{}", pt.weight_dg / 10, pt.weight_dg % 10);
        out.write(",{}\n", site.tz);
    }
    out.close();
}

// A passing screening of each patient on their day 0, as enrollment asks
// (course.md, Eligibility): each value inside its criterion's bounds, one
// column per criterion of any study (empty where the patient's has none).
void write_screenings(const fs::path& file, const Network& net, const std::vector<Patient>& patients) {
    std::vector<std::string> ids;
    for (const Protocol& p : net.protocols)
        for (const Criterion& c : p.eligibility)
            if (std::find(ids.begin(), ids.end(), c.id) == ids.end()) ids.push_back(c.id);
    CsvFile out(file);
    out.write("patient,protocol,site,on");
    for (const auto& id : ids) out.write(",{}", id);
    out.write("\n");
    for (std::size_t i = 0; i < patients.size(); ++i) {
        const Patient& pt = patients[i];
        const Variant& v = net.variants[pt.variant];
        const Protocol& p = net.protocols[v.study];
        const Civil d = civil(date::year_month_day{pt.day0});
        out.write("P{:07},{},{},{:04}-{:02}-{:02}", i + 1, studies[v.study].spec, sites[pt.site].id, d.year, d.month,
                  d.day);
        for (const auto& id : ids) {
            const Criterion* c = find_criterion(p, id);
            if (!c) {
                out.write(",");
                continue;
            }
            std::optional<double> low, high;
            for (const CriterionBound& b : bounds_of(*c)) (b.side == CriterionBound::Side::lower ? low : high) = b.value;
            out.write(",{}", low && high ? (*low + *high) / 2 : low ? *low + 1 : high ? *high - 1 : 0.0);
        }
        out.write("\n");
    }
    out.close();
}

// The sites to register before the import (`site add`): code, zone, country.
void write_sites(const fs::path& file) {
    CsvFile out(file);
    out.write("code,tz,country\n");
    for (const Site& site : sites) out.write("{},{},{}\n", site.id, site.tz, site.country);
    out.close();
}

void write_doses(const fs::path& file, const Network& net, const std::vector<DoseRow>& rows) {
    CsvFile out(file);
    out.write("patient,at,drug\n");
    for (const DoseRow& r : rows) {
        const auto day = date::floor<date::days>(r.at);
        const Civil d = civil(date::year_month_day{day});
        const date::hh_mm_ss time{r.at - day};
        out.write("P{:07},{:04}-{:02}-{:02}T{:02}:{:02},{}\n", r.patient + 1U, d.year, d.month, d.day,
                  time.hours().count(), time.minutes().count(), net.products[r.product]);
    }
    out.close();
}

// As a site's dosing log: by wall time, ties by patient.
void sort_log(std::vector<DoseRow>& rows) {
    std::sort(rows.begin(), rows.end(), [](const DoseRow& a, const DoseRow& b) {
        return std::tie(a.at, a.patient, a.product) < std::tie(b.at, b.patient, b.product);
    });
}

std::uint64_t planned_events(const Network& net, const std::vector<Patient>& patients) {
    std::uint64_t total = 0;
    for (const Patient& pt : patients) total += net.variants[pt.variant].events;
    return total;
}

void make_out_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Failure{exit_cannot_create, fmt::format("{}: {}", dir.string(), ec.message())};
}

int run(int argc, char** argv) {
    const Options o = parse_options(argc, argv);
    const Network net = load_network(o.calendars);
    Random rng(o.seed);
    // Patients are drawn first: patients.csv does not depend on --doses.
    std::vector<Patient> patients = enroll_network(net, o.patients, rng);
    const std::uint64_t allotted = allot_quotas(patients, o.doses);

    std::vector<DoseRow> rows;
    rows.reserve(allotted);
    Tally tally;
    for (std::size_t i = 0; i < patients.size(); ++i)
        log_patient_doses(patients[i], static_cast<std::uint32_t>(i), net.variants[patients[i].variant], rng, rows,
                          tally);
    sort_log(rows);

    make_out_dir(o.out);
    write_patients(o.out / "patients.csv", net, patients);
    write_sites(o.out / "sites.csv");
    write_screenings(o.out / "screenings.csv", net, patients);
    write_doses(o.out / "doses.csv", net, rows);

    const std::uint64_t events = planned_events(net, patients);
    if (rows.size() < o.doses)
        std::fprintf(stderr, "warning: only %zu doses fit the patients' calendars (asked for %llu)\n", rows.size(),
                     static_cast<unsigned long long>(o.doses));
    std::fputs(fmt::format("{} patients, {} planned events ({:.1f} per calendar), {} doses written: {} on time, {} "
                           "late, {} early, {} unscheduled; {} planned doses missed\n",
                           patients.size(), events,
                           patients.empty() ? 0.0 : static_cast<double>(events) / static_cast<double>(patients.size()),
                           rows.size(), tally.on_time, tally.late, tally.early, tally.unscheduled, tally.missed)
                   .c_str(),
               stderr);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const Failure& f) {
        std::fprintf(stderr, "%s\n", f.message.c_str());
        return f.exit_code;
    }
}
