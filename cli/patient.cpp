#include "cli/patient.hpp"

#include "cli/clock.hpp"
#include "cli/error.hpp"
#include "cli/recording.hpp"
#include "core/protocol_parser.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

namespace trialcal::cli {

Protocol stored_protocol(store::Store& s, const store::Patient& p) {
    const std::string text = s.protocol_text(p.protocol_sha256);
    // The text was checked in full when first stored; its hash proves it is
    // that text still, so the costly checks need not run again.
    if (store::sha256_hex(text) != p.protocol_sha256)
        throw Error(Exit::internal, fmt::format("patient {}: the stored protocol text no longer matches its SHA-256 {}",
                                                p.id, p.protocol_sha256));
    auto parsed = parse_protocol(text, Checks::accepted_text);
    if (!parsed.protocol)
        throw Error(Exit::internal, fmt::format("patient {}: the stored protocol text no longer parses", p.id));
    return std::move(*parsed.protocol);
}

PatientPlan load_patient(store::Store& s, const std::string& id, PlanDetail detail) {
    auto p = s.patient(id);
    if (!p) throw Error(Exit::bad_data, fmt::format("unknown patient '{}'", id));
    Protocol protocol = stored_protocol(s, *p);
    PatientPlan out{*p, std::move(protocol), {}};
    out.plan = detail == PlanDetail::full ? s.plan(out.patient) : s.plan_for_judging(out.patient);
    return out;
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
                             product.blinded_label ? *product.blinded_label : product.drug);
    throw Error(Exit::bad_data, fmt::format("{}: '{}' is not a product of {} (products: {})", field, drug, p.id, known));
}

void with_store(const std::function<void()>& f) {
    try {
        f();
    } catch (const store::Error& e) {
        Exit code = Exit::internal;
        switch (e.code()) {
        case store::Errc::no_database: code = Exit::no_input; break;
        case store::Errc::not_trialcal:
        case store::Errc::newer_schema:
        case store::Errc::not_found: code = Exit::bad_data; break;
        case store::Errc::busy: code = Exit::busy; break;
        case store::Errc::refused: code = Exit::refused; break;
        case store::Errc::read_only:
        case store::Errc::io: code = Exit::internal; break;
        }
        throw Error(code, e.what());
    } catch (const SQLite::Exception& e) {
        try {
            store::rethrow_sqlite(e, "database");
        } catch (const store::Error& se) {
            with_store([&] { throw se; });
        }
    }
}

void audit_unblinding(store::Database& db, const Globals& g, const std::string& patient, const std::string& what,
                      const std::string& reason) {
    if (reason.empty()) throw Error(Exit::usage, "--unblinded needs --reason TEXT: unblinding is audited");
    check_text("--reason", reason, 2000);
    const std::string by = g.user();
    db.write([&] { store::append_audit(db, {by, "unblind", patient, what, "", "", "", reason}, utc_text(now_utc())); });
}

}  // namespace trialcal::cli
