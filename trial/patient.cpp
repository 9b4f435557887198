#include "trial/patient.hpp"

#include "trial/time.hpp"
#include "trial/error.hpp"
#include "trial/recording.hpp"
#include "core/anchors.hpp"
#include "core/course.hpp"
#include "core/protocol_parser.hpp"

#include <fmt/format.h>

namespace trialcal::trial {

Protocol stored_protocol(store::Store& s, const store::Patient& p) {
    const std::string text = s.protocol_text(p.protocol_sha256);
    // The text was checked in full when first stored; its hash proves it is
    // that text still, so the costly checks need not run again.
    if (store::sha256_hex(text) != p.protocol_sha256)
        throw Error(Kind::internal, fmt::format("patient {}: the stored protocol text no longer matches its SHA-256 {}",
                                                p.id, p.protocol_sha256));
    auto parsed = parse_protocol(text, Checks::accepted_text);
    if (!parsed.protocol)
        throw Error(Kind::internal, fmt::format("patient {}: the stored protocol text no longer parses", p.id));
    return std::move(*parsed.protocol);
}

PatientPlan load_patient(store::Store& s, const std::string& id, PlanDetail detail) {
    auto p = s.patient(id);
    if (!p) throw Error(Kind::bad_data, fmt::format("unknown patient '{}'", id));
    refuse_voided_enrollment(*p);
    Protocol protocol = stored_protocol(s, *p);
    PatientPlan out{*p, std::move(protocol), {}, {}};
    out.plan = stored_plan(s, out.patient, out.protocol, detail);
    out.live = follow_course(s, out.patient, out.protocol, out.plan);
    return out;
}

void refuse_voided_enrollment(const store::Patient& p, const std::string& row) {
    if (p.enrollment_voided)
        throw Error(Kind::rule, fmt::format("{}patient {}: the enrollment was voided ({}); it stays in the audit trail "
                                            "and nothing more is recorded for it",
                                            row, p.id, *p.enrollment_voided));
}

Records follow_course(store::Store& s, const store::Patient& p, const Protocol& protocol, Calendar& plan,
                      std::optional<date::sys_days> as_of) {
    Records live = s.live_records(p.id);
    if (as_of) std::erase_if(live.status, [&](const StatusRecord& r) { return r.on > *as_of; });
    trialcal::follow_course(protocol, plan, live);
    return live;
}

Calendar PatientPlan::blinded_plan() const {
    Calendar c = blind(plan, protocol);
    apply_dose_changes(protocol, c, live);
    return c;
}

Calendar stored_plan(store::Store& s, const store::Patient& p, const Protocol& protocol, PlanDetail detail) {
    Calendar plan = detail == PlanDetail::full ? s.plan(p) : s.plan_for_judging(p);
    attach_regimens(plan, protocol);
    attach_anchors(plan, protocol);
    return plan;
}

const Product* find_product(const Protocol& p, std::string_view drug) noexcept {
    for (const auto& product : p.products)
        if (iequals(drug, product.id) || iequals(drug, product.drug) ||
            (product.blinded_label && iequals(drug, *product.blinded_label)))
            return &product;
    return nullptr;
}

const Product& resolve_drug(const Protocol& p, const std::string& drug, const std::string& field) {
    if (const Product* found = find_product(p, drug)) return *found;
    std::string known;
    for (const auto& product : p.products)
        known += fmt::format("{}{} ({})", known.empty() ? "" : ", ", product.id,
                             product.shown_name());
    throw Error(Kind::bad_data, fmt::format("{}: '{}' is not a product of {} (products: {})", field, drug, p.id, known));
}

void with_store(const std::function<void()>& f) {
    try {
        store::translate_engine_errors(f);
    } catch (const store::Error& e) {
        Kind code = Kind::internal;
        switch (e.code()) {
        case store::Errc::no_database: code = Kind::not_found; break;
        case store::Errc::not_trialcal:
        case store::Errc::newer_schema:
        case store::Errc::old_schema:
        case store::Errc::before_sites:
        case store::Errc::before_course:
        case store::Errc::not_found: code = Kind::bad_data; break;
        case store::Errc::busy: code = Kind::busy; break;
        case store::Errc::refused: code = Kind::rule; break;
        case store::Errc::not_permitted: code = Kind::not_permitted; break;
        case store::Errc::read_only:
        case store::Errc::io:
        case store::Errc::internal: code = Kind::internal; break;
        }
        if (e.code() == store::Errc::old_schema)
            throw Error(code, fmt::format("{}: run `trialcal db migrate --public-key FILE.pub` first, FILE.pub being "
                                          "the trial's unblinding public key (`trialcal keys new --unblinding --out "
                                          "FILE` makes the pair)",
                                          e.what()));
        if (e.code() == store::Errc::before_course)
            throw Error(code, fmt::format("{}: run `trialcal db migrate` first (it carries every row over as it is)",
                                          e.what()));
        if (e.code() == store::Errc::before_sites)
            throw Error(code, fmt::format("{}: run `trialcal db migrate` first (it registers one site per site code "
                                          "its patients have, with their time zone)",
                                          e.what()));
        throw Error(code, e.what());
    }
}

void audit_unblinding(const Env& env, store::Store& s, const Actor& by, const std::string& patient,
                      const std::string& what, const std::string& reason) {
    if (reason.empty()) throw Error(Kind::missing_input, "--unblinded needs --reason TEXT: unblinding is audited");
    check_text("--reason", reason, 2000);
    const std::string who = by();
    s.write([&] { s.append_audit({who, "unblind", patient, what, "", "", "", reason}, now_text(env)); });
}

}  // namespace trialcal::trial
