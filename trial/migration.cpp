#include "trial/migration.hpp"

#include "core/protocol_parser.hpp"
#include "store/schema_one.hpp"
#include "trial/error.hpp"
#include "trial/patient.hpp"
#include "trial/recording.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace trialcal::trial {

namespace {

// What the old tables hold that must be sealed: counted before anything is
// written, so that a refusal for want of a key changes nothing.
struct ToSeal {
    std::int64_t patient_arms = 0, numbers = 0, trail_values = 0;
    [[nodiscard]] std::int64_t total() const noexcept { return patient_arms + numbers + trail_values; }
};

struct Counts {
    std::int64_t patients = 0, sealed_arms = 0, plain_arms = 0, numbers = 0, planned = 0, blinded_doses = 0,
                 amendments = 0, records = 0, voids = 0, files = 0;
};

// "arm=X" in schema 1's sealed column: schema 2 seals X alone (its listing
// shows "arm=" and the opened box).
std::string sealed_value(const std::string& v1) { return v1.starts_with("arm=") ? v1.substr(4) : v1; }

// `key=VALUE` of a schema-1 row's text, up to the next space.
std::string field_of(const std::string& text, std::string_view key) {
    const std::string k = std::string(key) + "=";
    for (std::size_t at = text.find(k); at != std::string::npos; at = text.find(k, at + 1)) {
        if (at != 0 && text[at - 1] != ' ') continue;
        const std::size_t start = at + k.size();
        return text.substr(start, text.find(' ', start) - start);
    }
    return {};
}

// A planned dose as schema 2 stores it (core's stored_dose): for a blinded
// product of a blinded protocol, the label and handled volume, the same in
// every arm; schema 1 stored the arm's drug and amount.
bool blind_planned_dose(const Protocol& p, store::PlanRow& row) {
    if (row.kind != "dose" || !p.blinded) return false;
    const Product* product = p.product(row.product);
    if (!product || !product->blinded()) return false;
    const auto regimen = std::find_if(p.regimens.begin(), p.regimens.end(),
                                      [&](const Regimen& r) { return r.product == row.product; });
    if (regimen == p.regimens.end()) return false;
    Dose d = stored_dose(p, *regimen, Selection{});
    row.drug = std::move(d.drug);
    row.amount = d.amount;
    row.unit = std::move(d.unit);
    return true;
}

// Schema 3 registers sites; a database made before has site codes on its
// patients only: one site per code, in the zone of most of its patients
// (the first enrolled breaks a tie), named by its code until `site set`
// names it; closed on no day and with no holidays, as its plans were made
// (`site set --closed` then places the events to come). Each
// site is its own write with its own audit row. Returns "PSL (Europe/Paris,
// 3 patients), …".
std::string register_sites_of_patients(store::Store& s, const std::string& by, const std::string& now) {
    struct Seen {
        std::map<std::string, std::size_t> zones;
        std::vector<std::string> order;  // zones in enrollment order
        std::size_t patients = 0;
    };
    std::map<std::string, Seen> sites;
    s.for_each_patient([&](const store::Patient& p) {
        Seen& seen = sites[p.site];
        if (seen.zones[p.tz]++ == 0) seen.order.push_back(p.tz);
        ++seen.patients;
    });
    std::string out;
    for (const auto& [code, seen] : sites) {
        std::string zone = seen.order.front();
        for (const auto& z : seen.order)
            if (seen.zones.at(z) > seen.zones.at(zone)) zone = z;
        Site site;
        site.code = code;
        site.name = code;
        site.tz = zone;
        site.closed = Weekdays{};  // nothing was placed before sites existed
        s.insert_site({site, "", 0, now, by});
        std::string others;
        for (const auto& z : seen.order)
            if (z != zone) others += fmt::format(" {}={}", z, seen.zones.at(z));
        s.append_audit({by, "site add", "", code, "",
                        fmt::format("code={} name={} tz={} country= closed= holidays=none patients={} (by the "
                                    "schema-3 migration, from its patients{})",
                                    code, code, zone, seen.patients,
                                    others.empty() ? "" : "; patients kept in other zones:" + others),
                        "", ""},
                       now);
        out += fmt::format("{}{} ({}, {} patient{}{})", out.empty() ? "" : ", ", code, zone, seen.patients,
                           seen.patients == 1 ? "" : "s",
                           others.empty() ? "" : "; other zones kept by their patients:" + others);
    }
    return out.empty() ? "none (no patient is enrolled)" : out;
}

std::string migrate_from_three(store::Store& s, const std::string& db, const std::string& by, const std::string& now) {
    if (!s.migrate_schema_three([&] {
            s.append_audit({by, "db migrate", "", "schema 4", "schema 3",
                            "schema 4: records of the patient's course, screenings, voided enrollments; every row "
                            "carried as it was",
                            "", ""},
                           now);
        }))
        return fmt::format("{} was migrated by someone else meanwhile: nothing to do.\n", db);
    return fmt::format("Migrated {} from schema 3 to schema 4: every row carried as it was.\nhead {}\n", db,
                       s.audit_head().text());
}

std::string migrate_from_two(store::Store& s, const std::string& db, const std::string& by, const std::string& now) {
    std::string registered;
    if (!s.migrate_schema_two([&] { registered = register_sites_of_patients(s, by, now); }))
        return fmt::format("{} was migrated by someone else meanwhile: nothing to do.\n", db);
    return fmt::format("Migrated {} from schema 2 to schema 4.\n"
                       "  sites registered from the patients' site codes: {}\n"
                       "  name them and set their closed days (events to come are then placed off them):\n"
                       "    trialcal site set CODE --name TEXT --country CC --closed sat,sun\n"
                       "head {}\n",
                       db, registered, s.audit_head().text());
}

}  // namespace

std::string migrate_database(const Env& env, const std::string& by, const std::optional<KeyFile>& public_file) {
    std::optional<crypto::PublicKey> key;
    if (public_file) {
        try {
            key = crypto::read_public_file(public_file->text, public_file->origin);
        } catch (const crypto::Error& e) {
            fail_key(e);
        }
        if (key->kind != crypto::KeyKind::unblinding)
            throw Error(Kind::not_permitted,
                        fmt::format("{}: a signing key, not the trial's unblinding key: arms are sealed to the "
                                    "unblinding key (`trialcal keys new --unblinding --out FILE` makes one)",
                                    public_file->origin));
    }
    const std::string db = env.storage.name();
    std::string out;
    with_store([&] {
        auto store = env.storage.open(store::Mode::migrate);
        store::Store& s = *store;
        if (s.schema_version() == 2) {
            out = migrate_from_two(s, db, by, now_text(env));
            return;
        }
        if (s.schema_version() == 3) {
            out = migrate_from_three(s, db, by, now_text(env));
            return;
        }
        if (s.schema_version() != 1) {
            out = fmt::format("{} is already on schema {}: nothing to migrate{}.\n", db, s.schema_version(),
                              key ? " (the key was not installed: `trialcal keys install` does that)" : "");
            return;
        }
        std::map<std::string, Protocol> protocols;  // by the SHA-256 of their text
        store::OldChain chain;
        ToSeal to_seal;
        Counts n;
        std::optional<store::InstalledKey> installed;
        const std::string now = now_text(env);
        const auto seal = [&](const std::string& arm) { return seal_arm(*installed, arm).box; };
        std::string sites_line;

        const auto check = [&](store::SchemaOne& old) {
            chain = old.check_chain();
            if (chain.broken)
                throw Error(Kind::bad_data,
                            fmt::format("{}: the schema-1 audit trail is broken at row {} ({}): a migration would "
                                        "chain over the break and hide it, so it is not migrated; nothing was changed",
                                        db, chain.broken->seq, chain.broken->what));
            for (auto& f : old.protocol_files()) {
                auto parsed = parse_protocol(f.text, Checks::accepted_text);
                if (!parsed.protocol || store::sha256_hex(f.text) != f.sha256)
                    throw Error(Kind::internal, fmt::format("{}: the stored protocol text {} ({} version {}) no longer "
                                                            "matches its SHA-256 or no longer parses; nothing was changed",
                                                            db, f.sha256, f.protocol, f.version));
                protocols.emplace(f.sha256, std::move(*parsed.protocol));
            }
            for (const auto& p : old.patients()) {
                const auto it = protocols.find(p.patient.protocol_sha256);
                if (it == protocols.end())
                    throw Error(Kind::internal, fmt::format("{}: patient {}'s protocol text {} is missing", db,
                                                            p.patient.id, p.patient.protocol_sha256));
                if (it->second.blinded && p.patient.arm) ++to_seal.patient_arms;
            }
            to_seal.numbers = static_cast<std::int64_t>(old.randomization().size());
            const auto trail = old.audit_rows();
            for (const auto& r : trail) to_seal.trail_values += !r.entry.sealed.empty();
            // The migration's rows follow the carried ones: dated before them,
            // audit verify would call the trail reordered.
            if (!trail.empty() && now < trail.back().at)
                throw Error(Kind::bad_data,
                            fmt::format("{}: this machine's clock says {}, before the schema-1 trail's last row ({}): "
                                        "set the clock right, then migrate; nothing was changed",
                                        db, now, trail.back().at));
            if (to_seal.total() > 0 && !key)
                throw Error(Kind::not_permitted,
                            fmt::format("{} is on schema 1, which kept {} blinded arm(s), {} randomization number(s) "
                                        "and {} audit value(s) in plain text: the migration seals them to the trial's "
                                        "unblinding public key, and none was given. Make the key pair with `trialcal "
                                        "keys new --unblinding --out FILE` (FILE stays with the unblinded "
                                        "statistician), then run `trialcal db migrate --public-key FILE.pub`; nothing "
                                        "was changed",
                                        db, to_seal.patient_arms, to_seal.numbers, to_seal.trail_values));
        };

        const auto copy = [&](store::SchemaOne& old) {
            // The old trail first, as history: rows 1..N keep their numbers,
            // times, names, actions and texts; sealed values are sealed now.
            // Their v1 hashes cannot be kept (schema 2 hashes other fields):
            // the last row below names the old head, so a head kept from
            // schema 1 can be related to this trail.
            std::vector<std::pair<std::string, std::string>> later_sealed;
            for (const store::AuditRow& r : old.audit_rows()) {
                store::AuditRow carried;
                carried.at = r.at;
                carried.account = schema_one_account;
                carried.entry = r.entry;
                if (!r.entry.sealed.empty())
                    carried.entry.sealed = crypto::seal(sealed_value(r.entry.sealed), *key);
                // An import is refused twice by the file's digest, now a column.
                if (r.entry.action == "import doses" || r.entry.action == "randomization import")
                    carried.entry.source = field_of(r.entry.new_value, "file_sha256");
                s.append_history(carried);
            }
            if (key) {
                const std::string kind = crypto::kind_name(key->kind), fingerprint = key->fingerprint();
                installed = store::InstalledKey{0, kind, crypto::to_base64(key->bytes), fingerprint, key->name, now, by};
                installed->id = s.install_key(*installed);
                s.append_audit({by, "install key", "", fingerprint, "",
                                fmt::format("kind={} fingerprint={}{} (by the schema-1 migration)", kind, fingerprint,
                                            key->name.empty() ? "" : " name=" + key->name),
                                "", ""},
                               now);
            }
            // Protocol texts and randomisation lists, each number's arm sealed
            // on its own (two equal arms never share a box).
            std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> slots;  // → arm, box
            for (const auto& f : old.protocol_files()) {
                s.save_protocol_file(f.sha256, f.protocol, f.version, f.path, f.text);
                ++n.files;
            }
            auto list = old.randomization();
            std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
                return a.protocol != b.protocol ? a.protocol < b.protocol
                                                : lower_randomization_number(a.number, b.number);
            });
            std::map<std::string, std::int64_t> ord;
            for (const auto& r : list) {
                const std::string box = seal(r.arm);
                s.insert_randomization({r.protocol, r.number, std::nullopt, ++ord[r.protocol], box, installed->id,
                                        std::nullopt});
                slots[{r.protocol, r.number}] = {r.arm, box};
                ++n.numbers;
            }
            s.append_audit({by, migrate_action, "", "protocol files and randomization lists", "",
                            fmt::format("protocol_files={} randomization_numbers={}{}", n.files, n.numbers,
                                        n.numbers ? " (arms sealed)" : ""),
                            "", ""},
                           now);
            // Each patient with everything about them, accounted for by one
            // audit row of their own: their trail reads as before, then this.
            for (store::OldPatient& op : old.patients()) {
                store::Patient p = op.patient;
                const Protocol& enrolled = protocols.at(p.protocol_sha256);
                std::string box;
                if (enrolled.blinded && p.arm) {
                    // Enrolled by number: the slot's box, as schema 2's enroll copies it.
                    const auto slot = p.randomization_number ? slots.find({p.protocol, *p.randomization_number})
                                                             : slots.end();
                    box = slot != slots.end() && slot->second.first == *p.arm ? slot->second.second : seal(*p.arm);
                    p.sealed_arm = box;
                    p.key = installed->id;
                    p.arm.reset();
                    ++n.sealed_arms;
                } else if (p.arm) {
                    ++n.plain_arms;
                }
                s.insert_patient(p, op.enrolled_at, op.enrolled_by);
                const auto amendments = old.amendments(p.id);
                std::map<std::string, std::string> file_of{{p.version, p.protocol_sha256}};  // version → text
                for (const auto& a : amendments) file_of[a.version] = a.protocol_sha256;
                auto plan = old.plan(p.id);
                std::int64_t blinded = 0;
                for (auto& row : plan) {
                    const auto f = file_of.find(row.version);
                    if (f != file_of.end()) blinded += blind_planned_dose(protocols.at(f->second), row);
                }
                s.insert_plan_rows(p.id, plan);
                for (const auto& a : amendments) s.insert_amendment(a);
                const auto records = old.records(p.id);
                s.insert_records(records);
                const auto voids = old.voids(p.id);
                for (const auto& v : voids) s.insert_void(v.record, v.reason, v.voided_at, v.voided_by);
                s.append_audit({by, migrate_action, p.id, p.id, "",
                                fmt::format("patient=1 planned_events={} blinded_doses={} amendments={} records={} "
                                            "voids={}{}",
                                            plan.size(), blinded, amendments.size(), records.size(), voids.size(),
                                            p.arm ? " arm=" + *p.arm : ""),
                                box, ""},
                               now);
                ++n.patients;
                n.planned += static_cast<std::int64_t>(plan.size());
                n.blinded_doses += blinded;
                n.amendments += static_cast<std::int64_t>(amendments.size());
                n.records += static_cast<std::int64_t>(records.size());
                n.voids += static_cast<std::int64_t>(voids.size());
            }
            const std::string registered = register_sites_of_patients(s, by, now);
            sites_line = fmt::format("  sites registered from the patients' site codes: {}\n", registered);
            // Last: what was migrated, and the old head it came from.
            s.append_audit({by, migrate_action, "", "schema 1 to 2",
                            fmt::format("schema=1 head={} rows={} chain=intact", chain.head.text(), chain.rows),
                            fmt::format("schema=2 carried=1-{} patients={} sealed_arms={} plain_arms={} "
                                        "randomization_numbers={} planned_events={} blinded_doses={} amendments={} "
                                        "records={} voids={} protocol_files={}{}",
                                        chain.rows, n.patients, n.sealed_arms, n.plain_arms, n.numbers, n.planned,
                                        n.blinded_doses, n.amendments, n.records, n.voids, n.files,
                                        installed ? " key=" + installed->fingerprint : ""),
                            "", ""},
                           now);
        };

        if (!s.migrate_schema_one(check, copy)) {
            out = fmt::format("{} was migrated by someone else meanwhile: nothing to do.\n", db);
            return;
        }
        const store::Head head = s.audit_head();
        out = fmt::format(
            "Migrated {} from schema 1 to schema 4.\n"
            "  {} patient(s): {} blinded arm(s) sealed{}, {} open-label arm(s) kept plain; {} randomization number(s) "
            "sealed\n"
            "  {} planned event(s) ({} blinded dose(s) now show the label), {} amendment(s), {} record(s), {} void(s), "
            "{} protocol file(s)\n"
            "  the schema-1 trail (rows 1-{}, head {}, intact) carried as history; audit rows {}-{} record the "
            "migration\n"
            "  the old tables were dropped under secure delete and the file vacuumed: the plain arms are gone\n"
            "{}"
            "head {}\n",
            db, n.patients, n.sealed_arms, installed ? " to unblinding key " + installed->fingerprint : "",
            n.plain_arms, n.numbers, n.planned, n.blinded_doses, n.amendments, n.records, n.voids, n.files, chain.rows,
            chain.head.text(), chain.rows + 1, head.seq, sites_line, head.text());
    });
    return out;
}

}  // namespace trialcal::trial
