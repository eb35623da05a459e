// evhub synth: fills a hub with fictional witnesses, consent, contacts, interviews and
// documents (collection/synth.h) for demos and benchmarks, and writes the ground truth of
// every generated text to a JSON-lines file so that search and extraction can measure recall.
// Fictional coders then code lines of the transcripts (coding/synth_codings.h), whose ground
// truth goes to a second file beside the first.
// With --corpus or --queries it touches no hub: it writes the search benchmark's corpus of
// OSINT items and its fixed mix of queries (bench/search_bench.sh).
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>

#include <fmt/format.h>

#include "accounts/accounts.h"
#include "cli/commands.h"
#include "cli/terminal.h"
#include "coding/framework_store.h"
#include "coding/synth_codings.h"
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
  coding::SynthCodingOptions codings;
  std::string organisation;
  std::string ground_truth;
  CLI::Option* witnesses = nullptr;
  collection::CorpusOptions corpus;
  std::string corpus_file;
  std::string queries_file;
};
SynthArgs& args() {
  static SynthArgs a;
  return a;
}

// Where the codings' ground truth goes: beside the texts', "gt.jsonl" -> "gt.codings.jsonl".
std::string codings_truth_path(const std::string& ground_truth) {
  const std::string ext = ".jsonl";
  if (ground_truth.size() > ext.size() &&
      ground_truth.compare(ground_truth.size() - ext.size(), ext.size(), ext) == 0) {
    return ground_truth.substr(0, ground_truth.size() - ext.size()) + ".codings.jsonl";
  }
  return ground_truth + ".codings.jsonl";
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
  // Required unless --corpus or --queries is given (checked in run_synth_command).
  a.witnesses =
      synth->add_option("--witnesses", a.options.witnesses, "how many witnesses (W-00001, …)");
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
                    "language, facility, date, place, officials, acts, text, and each "
                    "transcript line with what it tells) to this file");
  synth->add_option("--codings", a.codings.passages_per_transcript,
                    "lines of each transcript that FICTIONAL coders (synth-coder-1 to 3, two a "
                    "transcript, sometimes disagreeing) code with the coding framework (default "
                    "3; 0: none). With --ground-truth, what each annotation was given goes to a "
                    "file beside it (gt.jsonl: gt.codings.jsonl)");
  synth->add_option("--corpus", a.corpus_file,
                    "instead of filling the hub, write a search corpus of FICTIONAL OSINT "
                    "captions, posts and transcripts (JSON lines, one search index item each) "
                    "to this file");
  synth->add_option("--items", a.corpus.items, "items in the --corpus (default 20000)");
  synth->add_option("--queries", a.queries_file,
                    "write the search benchmark's fixed mix of 500 queries (JSON lines: the "
                    "query string and a structured form for other engines) to this file");
}

namespace {

Status write_lines(const std::string& path, const std::function<Status(std::ostream&)>& write) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status(Code::kInvalidArgument, "cannot write " + path);
  EVHUB_RETURN_IF_ERROR(write(out));
  out.close();
  if (!out) return Status(Code::kIoError, "cannot finish writing " + path);
  return Status::ok();
}

// --corpus and --queries: files only, no hub.
int run_corpus_command(const Options& o, SynthArgs& a) {
  a.corpus.seed = a.options.seed;
  if (Status st = collection::check_corpus_options(a.corpus); !st.is_ok()) {
    return report_failure(o, st);
  }
  const std::int64_t started = now_millis();
  if (!a.queries_file.empty()) {
    Status st = write_lines(a.queries_file, [&](std::ostream& out) {
      for (const auto& q : collection::synth_corpus_queries(a.corpus.seed)) {
        out << q.dump() << "\n";
      }
      return out ? Status::ok() : Status(Code::kIoError, "cannot write " + a.queries_file);
    });
    if (!st.is_ok()) return report_failure(o, st);
  }
  if (!a.corpus_file.empty()) {
    // Progress counts objects; here a line of items written does.
    const bool show = !o.json && stderr_is_terminal();
    Status st = write_lines(a.corpus_file, [&](std::ostream& out) {
      return collection::write_synth_corpus(out, a.corpus, [&](std::int64_t done) {
        if (show) {
          std::fprintf(stderr, "\rwrote %lld of %lld items\033[K", static_cast<long long>(done),
                       static_cast<long long>(a.corpus.items));
        }
      });
    });
    if (show) std::fprintf(stderr, "\r\033[K");
    if (!st.is_ok()) return report_failure(o, st);
  }
  const double seconds = static_cast<double>(now_millis() - started) / 1000.0;
  const std::int64_t items = a.corpus_file.empty() ? 0 : a.corpus.items;
  if (o.json) {
    std::cout << json{{"items", items}, {"seed", a.corpus.seed}, {"seconds", seconds}}.dump()
              << "\n";
  } else {
    std::cout << fmt::format("wrote {} fictional corpus items{} (seed {}) in {:.1f} s\n", items,
                             a.queries_file.empty() ? "" : " and 500 queries", a.corpus.seed,
                             seconds);
  }
  return 0;
}

}  // namespace

int run_synth_command(const Options& o) {
  SynthArgs& a = args();
  if (!a.corpus_file.empty() || !a.queries_file.empty()) return run_corpus_command(o, a);
  if (a.witnesses->count() == 0) {
    return report_failure(o, Status(Code::kInvalidArgument,
                                    "--witnesses is required (or --corpus/--queries to write a "
                                    "search corpus)"));
  }
  if (a.options.today.empty()) a.options.today = today_utc();
  // Wrong numbers are reported before the hub is unlocked.
  if (Status st = collection::check_synth_options(a.options); !st.is_ok()) {
    return report_failure(o, st);
  }
  a.codings.seed = a.options.seed;
  if (Status st = coding::check_synth_coding_options(a.codings); !st.is_ok()) {
    return report_failure(o, st);
  }
  const bool coding = a.codings.passages_per_transcript > 0;
  std::ofstream truth_file, codings_file;
  const std::string codings_path = codings_truth_path(a.ground_truth);
  if (!a.ground_truth.empty()) {
    truth_file.open(a.ground_truth, std::ios::binary | std::ios::trunc);
    if (coding) codings_file.open(codings_path, std::ios::binary | std::ios::trunc);
    if (!truth_file || (coding && !codings_file)) {
      return report_failure(
          o, Status(Code::kInvalidArgument, "cannot write the ground truth to " +
                                                (truth_file ? codings_path : a.ground_truth)));
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
  std::unique_ptr<coding::AnnotationStore> annotations;
  coding::Framework framework;
  if (coding) {
    auto store = coding::AnnotationStore::open(**hub);
    if (!store.is_ok()) return report_failure(o, store.status());
    annotations = std::move(*store);
    auto frameworks = coding::FrameworkStore::open(**hub);
    if (!frameworks.is_ok()) return report_failure(o, frameworks.status());
    auto current = (*frameworks)->current();
    if (!current.is_ok()) return report_failure(o, current.status());
    framework = std::move(*current);
  }

  Progress progress(!o.json && stderr_is_terminal(),
                    static_cast<std::uint64_t>(a.options.witnesses), "made");
  const std::int64_t started = now_millis();
  // Each transcript is coded as soon as it is stored; the first failure stops the coding (the
  // witnesses are still made) and is reported at the end.
  Status coding_status;
  std::int64_t codings = 0;
  auto report = collection::synthesize(
      **collection, **hub, **queue, a.options,
      [&](const collection::GroundTruth& t) {
        if (truth_file.is_open()) {
          truth_file << collection::ground_truth_json(t).dump(-1, ' ', false, kReplaceBadUtf8)
                     << "\n";
        }
        if (!coding || !coding_status.is_ok()) return;
        auto made = coding::code_synth_transcript(*annotations, framework, t, a.codings);
        if (!made.is_ok()) {
          coding_status = made.status();
          return;
        }
        codings += static_cast<std::int64_t>(made->size());
        if (!codings_file.is_open()) return;
        for (const auto& c : *made) {
          codings_file << coding::synth_coding_json(c).dump(-1, ' ', false, kReplaceBadUtf8)
                       << "\n";
        }
      },
      [&](int, int) { progress.advance(0); });
  progress.clear();
  truth_file.close();
  if (codings_file.is_open()) codings_file.close();
  if (!report.is_ok()) return report_failure(o, report.status());
  if (!coding_status.is_ok()) {
    return report_failure(
        o, coding_status.with_context(fmt::format(
               "the {} witnesses were made, but coding their transcripts stopped after {} "
               "annotations",
               report->witnesses, codings)));
  }
  if (!a.ground_truth.empty() && (!truth_file || (coding && !codings_file))) {
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
                      {"codings", codings},
                      {"objects", report->objects},
                      {"bytes", report->bytes},
                      {"seconds", seconds}}
                     .dump()
              << "\n";
  } else {
    std::cout << fmt::format(
        "made {} fictional witnesses ({} to {}): {} consents, {} contacts, {} interviews, {} "
        "documents ({} scans), {} codings of transcript passages; {} files, {} bytes, queued for "
        "processing, in {:.1f} s\n",
        report->witnesses, report->first_code, report->last_code, report->consents,
        report->contacts, report->interviews, report->documents, report->scans, codings,
        report->objects, report->bytes, seconds);
  }
  return 0;
}

}  // namespace evhub::cli
