// trialcal discontinue | withdraw | void-enrollment | correct | weight |
// dose-change | hold | resume: the patient's course (course.md), each one
// write with its audit row; a refusal changes nothing.
#include "cli/commands.hpp"
#include "trial/course_changes.hpp"
#include "trial/screening.hpp"

namespace trialcal::cli {

void add_course_commands(CLI::App& app, const Globals& g) {
    auto sc = std::make_shared<trial::ScreenInput>();
    auto* screen_cmd = app.add_subcommand("screen", "record a screening: the criteria's values and the verdict");
    screen_cmd->add_option("patient", sc->patient, "patient id")->required();
    screen_cmd->add_option("--protocol", sc->protocol, "protocol ID[@VERSION]")->required();
    screen_cmd->add_option("--site", sc->site, "site")->required();
    screen_cmd->add_option("--on", sc->on, "date of the screening, YYYY-MM-DD")->required();
    screen_cmd->add_option("--value", sc->values, "NAME=NUMBER, NAME a criterion id of the protocol (repeat)")
        ->required()
        ->allow_extra_args(false);
    screen_cmd->callback([&g, sc] {
        const std::string by = g.user();
        const trial::Catalog catalog = g.catalog();
        const trial::Screened r = trial::screen(g.env(), by, catalog, *sc);
        print_text(r.summary);
        if (r.eligible) return;
        std::string failed;
        for (const auto& f : r.failures) failed += "\n  " + f;
        throw Error(Exit::refused, "patient " + sc->patient + " is not eligible:" + failed);
    });

    const auto status = [&](const char* name, const char* help, bool withdrawal) {
        auto in = std::make_shared<trial::StatusInput>();
        auto* cmd = app.add_subcommand(name, help);
        cmd->add_option("patient", in->patient, "patient id")->required();
        cmd->add_option("--on", in->on, "the date it took effect, YYYY-MM-DD")->required();
        cmd->add_option("--reason", in->reason, "why (adverse event, consent withdrawn, moved away, …)")->required();
        if (withdrawal)
            cmd->add_flag("--lost-to-follow-up", in->lost_to_follow_up, "the patient could not be reached any more");
        cmd->callback([&g, in, withdrawal] {
            print_text(withdrawal ? trial::withdraw(g.env(), g.user(), *in) : trial::discontinue(g.env(), g.user(), *in));
        });
    };
    status("discontinue", "treatment discontinued: the doses after --on are cancelled, visits go on", false);
    status("withdraw", "patient withdrawn: every event after --on cancelled, the early-termination visit added", true);

    auto ev = std::make_shared<trial::EnrollmentVoidInput>();
    auto* void_cmd = app.add_subcommand("void-enrollment", "an enrollment entered in error (while it has no record)");
    void_cmd->add_option("patient", ev->patient, "patient id")->required();
    void_cmd->add_option("--reason", ev->reason, "why")->required();
    void_cmd->callback([&g, ev] { print_text(trial::void_enrollment(g.env(), g.user(), *ev)); });

    auto d0 = std::make_shared<trial::Day0Input>();
    auto* correct_cmd = app.add_subcommand("correct", "correct day 0 entered wrong: the plan is expanded again");
    correct_cmd->add_option("patient", d0->patient, "patient id")->required();
    correct_cmd->add_option("--day0", d0->day0, "the right day 0, YYYY-MM-DD")->required();
    correct_cmd->add_option("--reason", d0->reason, "why")->required();
    correct_cmd->callback([&g, d0] { print_text(trial::correct_day0(g.env(), g.user(), *d0)); });

    auto w = std::make_shared<trial::WeightInput>();
    auto* weight_cmd = app.add_subcommand("weight", "a new body weight: weight-based doses from --on follow it");
    weight_cmd->add_option("patient", w->patient, "patient id")->required();
    weight_cmd->add_option("--kg", w->kg, "body weight in kg")->required();
    weight_cmd->add_option("--on", w->on, "when it was measured, YYYY-MM-DD")->required();
    weight_cmd->add_option("--reason", w->reason, "why")->required();
    weight_cmd->callback([&g, w] { print_text(trial::weight(g.env(), g.user(), *w)); });

    auto dc = std::make_shared<trial::DoseChangeInput>();
    auto* change_cmd = app.add_subcommand("dose-change", "an investigator's dose change from a date");
    change_cmd->add_option("patient", dc->patient, "patient id")->required();
    change_cmd->add_option("product", dc->product, "product id or drug name as the calendar shows it")->required();
    change_cmd->add_option("--from", dc->from, "first day of the new amount, YYYY-MM-DD")->required();
    change_cmd->add_option("--amount", dc->amount, "the new amount with its unit, e.g. \"0.5 MIU\"")->required();
    change_cmd->add_option("--reason", dc->reason, "why")->required();
    change_cmd->callback([&g, dc] { print_text(trial::dose_change(g.env(), g.user(), *dc)); });

    auto h = std::make_shared<trial::HoldInput>();
    auto* hold_cmd = app.add_subcommand("hold", "interrupt a product: its doses inside are held, not missed");
    hold_cmd->add_option("patient", h->patient, "patient id")->required();
    hold_cmd->add_option("product", h->product, "product id or drug name as the calendar shows it")->required();
    hold_cmd->add_option("--from", h->from, "first day held, YYYY-MM-DD")->required();
    hold_cmd->add_option("--to", h->to, "last day held; default: until resumed");
    hold_cmd->add_option("--reason", h->reason, "why (adverse event, lab value, …)")->required();
    hold_cmd->callback([&g, h] { print_text(trial::hold(g.env(), g.user(), *h)); });

    auto r = std::make_shared<trial::ResumeInput>();
    auto* resume_cmd = app.add_subcommand("resume", "end a hold given no end: the product is given again from --on");
    resume_cmd->add_option("patient", r->patient, "patient id")->required();
    resume_cmd->add_option("product", r->product, "product id or drug name as the calendar shows it")->required();
    resume_cmd->add_option("--on", r->on, "first day given again, YYYY-MM-DD")->required();
    resume_cmd->add_option("--reason", r->reason, "why");
    resume_cmd->callback([&g, r] { print_text(trial::resume(g.env(), g.user(), *r)); });
}

}  // namespace trialcal::cli
