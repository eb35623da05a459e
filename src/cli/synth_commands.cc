// evhub synth: fills a hub with fictional witnesses, consent, contacts, interviews and
// documents (collection/synth.h) for demos and benchmarks, and writes the ground truth of
// every generated text to a JSON-lines file so that search and extraction can measure recall.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "accounts/accounts.h"
#include "cli/commands.h"
#include "cli/terminal.h"
#include "collection/synth.h"
#include "core/clock.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

// synth's own options (the shared Options holds what several verbs use).
struct SynthArgs {
  collection::SynthOptions options;
  std::string organisation;
  std::string ground_truth;
};
SynthArgs& args() {
  static SynthArgs a;
  return a;
}

std::string today_utc() {
  return now_rfc3339().substr(0, 10);
}

// --organisation NAME, or the hub's only organisation.
Result<std::string> synth_organisation(hub::Hub& hub, const std::string& name) {
  if (!name.empty()) return organisation_id(hub, name);
  EVHUB_ASSIGN_OR_RETURN(auto accounts, accounts::Accounts::open(hub.layout().accounts()));
  EVHUB_ASSIGN_OR_RETURN(auto orgs, accounts->organisations());
  if (orgs.size() == 1) return orgs.front().id;
  return Status(Code::kInvalidArgument,
                orgs.empty() ? "the hub has no organisation for the witnesses; add one with "
                               "`evhub org add NAME`"
                             : fmt::format("the hub has {} organisations; say which one with "
                                           "--organisation NAME",
                                           orgs.size()));
}

}  // namespace

void register_synth_commands(CLI::App& app, Options&) {
  SynthArgs& a = args();
  auto* synth = app.add_subcommand(
      "synth",
      "fill the hub with FICTIONAL witnesses, consent, contacts, interviews and documents "
      "(PDFs, scans) in Belarusian, Russian and English, queued for processing; for demos, "
      "tests and benchmarks");
  synth->add_option("--witnesses", a.options.witnesses, "how many witnesses (W-00001, …)")
      ->required();
  synth->add_option("--interviews-per-witness", a.options.interviews_per_witness,
                    "interviews (each with a transcript) per witness (default 1)");
  synth->add_option("--documents-per-witness", a.options.documents_per_witness,
                    "documents per witness (default 2)");
  synth->add_option("--seed", a.options.seed, "the same seed makes the same data (default 1)");
  synth->add_option("--scans", a.options.scans,
                    "fraction of documents that are scanned images to OCR (default 0.1)");
  synth->add_option("--organisation,--org", a.organisation,
                    "the partner organisation of the witnesses (default: the hub's only one)");
  synth->add_option("--today", a.options.today,
                    "consents expire and contacts are planned around this date (default: "
                    "today, UTC)");
  synth->add_option("--ground-truth", a.ground_truth,
                    "write what each generated text says (JSON lines: object id, witness, "
                    "language, facility, date, place, officials, acts, text) to this file");
}

int run_synth_command(const Options& o) {
  SynthArgs& a = args();
  if (a.options.today.empty()) a.options.today = today_utc();
  // Wrong numbers are reported before the hub is unlocked.
  if (Status st = collection::check_synth_options(a.options); !st.is_ok()) {
    return report_failure(o, st);
  }
  std::ofstream truth_file;
  if (!a.ground_truth.empty()) {
    truth_file.open(a.ground_truth, std::ios::binary | std::ios::trunc);
    if (!truth_file) {
      return report_failure(
          o, Status(Code::kInvalidArgument, "cannot write the ground truth to " + a.ground_truth));
    }
  }
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto org = synth_organisation(**hub, a.organisation);
  if (!org.is_ok()) return report_failure(o, org.status());
  a.options.organisation_id = *org;
  auto collection = collection::Collection::open(**hub);
  if (!collection.is_ok()) return report_failure(o, collection.status());
  auto queue = jobs::JobQueue::open((*hub)->layout().jobs());
  if (!queue.is_ok()) return report_failure(o, queue.status());

  Progress progress(!o.json && stderr_is_terminal(),
                    static_cast<std::uint64_t>(a.options.witnesses), "made");
  const std::int64_t started = now_millis();
  auto report = collection::synthesize(
      **collection, **hub, **queue, a.options,
      [&](const collection::GroundTruth& t) {
        if (truth_file.is_open()) {
          truth_file << collection::ground_truth_json(t).dump(-1, ' ', false, kReplaceBadUtf8)
                     << "\n";
        }
      },
      [&](int, int) { progress.advance(0); });
  progress.clear();
  truth_file.close();
  if (!report.is_ok()) return report_failure(o, report.status());
  if (!a.ground_truth.empty() && !truth_file) {
    return report_failure(o, Status(Code::kIoError, "cannot finish writing " + a.ground_truth));
  }
  const double seconds = static_cast<double>(now_millis() - started) / 1000.0;
  if (o.json) {
    std::cout << json{{"witnesses", report->witnesses},
                      {"first", report->first_code},
                      {"last", report->last_code},
                      {"consents", report->consents},
                      {"contacts", report->contacts},
                      {"interviews", report->interviews},
                      {"documents", report->documents},
                      {"scans", report->scans},
                      {"objects", report->objects},
                      {"bytes", report->bytes},
                      {"seconds", seconds}}
                     .dump()
              << "\n";
  } else {
    std::cout << fmt::format(
        "made {} fictional witnesses ({} to {}): {} consents, {} contacts, {} interviews, {} "
        "documents ({} scans); {} files, {} bytes, queued for processing, in {:.1f} s\n",
        report->witnesses, report->first_code, report->last_code, report->consents,
        report->contacts, report->interviews, report->documents, report->scans, report->objects,
        report->bytes, seconds);
  }
  return 0;
}

}  // namespace evhub::cli
