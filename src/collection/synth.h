// Synthetic collection data for demos, tests and benchmarks: FICTIONAL witnesses with consent,
// contacts, interviews (transcripts) and documents (PDFs with a text layer, scans to OCR) in
// Belarusian, Russian and English, stored through the real Collection and Hub, with the ground
// truth of every generated text so that search and extraction can measure their recall.
//
// Deterministic: the same seed, `today` and witness numbers give the same texts, files (byte
// for byte) and records; only the ids the hub hands out differ. Persons are always fictional:
// names are combinations of the lists below, never a real person's name.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "collection/collection.h"
#include "core/status.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"
#include "search/search.h"

namespace evhub::collection {

struct SynthOptions {
  int witnesses = 10;
  int interviews_per_witness = 1;
  int documents_per_witness = 2;
  std::uint64_t seed = 1;
  double scans = 0.1;  // fraction of documents that are scanned images (PNG or TIFF) to OCR
  std::string organisation_id;
  // Consent renew-by dates and contacts are placed around this day (YYYY-MM-DD, 2025 or later)
  // so that some consents are expired or due for renewal; the events told are of 2020-2021.
  std::string today;
  // Where the generated files are written before they are stored (removed afterwards); empty:
  // the system's temporary directory.
  std::string scratch_dir;
};

// Checks the numbers and dates of the options (not the organisation) before anything is
// stored; the message names the option as the CLI spells it.
Status check_synth_options(const SynthOptions& options);

// A person named in a generated text, as written there.
struct SynthPerson {
  std::string id;    // the same in every language: the English spelling, "Andrei Kavalevich"
  std::string name;  // as written in the text, "Андрэй Кавалевіч"
  std::string rank;  // as written ("маёр", "судья", "Judge"), or empty
  std::string unit;  // as written, or empty
};

// A line of a transcript and what it tells, so that codings can be made to fit it
// (coding/synth_codings.h): its span, what it is about (the theme of the template it came
// from: arrest, detention, ill-treatment, trial, departure) and what it says in synth's own
// words, not the coding framework's: the ids of the acts() it tells ("beating", ...) and the
// other things its template tells ("arrest", "peaceful-march", "cold-cell", ...; listed with
// the templates in synth_text.cc).
struct SynthStatement {
  std::int64_t begin = 0;  // [begin, end) in code points of GroundTruth::text (and of the object)
  std::int64_t end = 0;
  std::string theme;
  std::vector<std::string> says;
  std::string date;                  // the day it tells of (YYYY-MM-DD): arrest, trial, departure
  std::vector<std::string> persons;  // SynthPerson::id of the officials the line names
};

// What one generated text object says, for measuring recall.
struct GroundTruth {
  std::string object_id;
  std::string witness;      // W-00001
  std::string kind;         // "transcript" or a document kind (court, official, medical, other)
  std::string media;        // "text", "pdf", "png" or "tiff"
  std::string language;     // be, ru, en
  std::string facility_id;  // akrestsina, …
  std::string facility;  // as written, "у ізалятары на вуліцы Акрэсціна"
  std::string date;      // of the arrest told, YYYY-MM-DD
  std::string place_id;  // minsk, …
  std::string place;     // as written
  std::vector<SynthPerson> officials;  // officers and judges named
  std::vector<std::string> persons;    // the witness's name where the text gives it
  std::vector<std::string> acts;       // ids of the acts of ill-treatment told (beating, …)
  std::string text;                    // exactly the text written (lines joined by "\n")
  // The place and facility above by their English names, as a gazetteer and a facility
  // registry would name them ("Minsk", "Akrestsina detention centre"); empty when not said.
  std::string place_name;
  std::string facility_name;
  std::vector<SynthStatement> statements;  // transcripts only: each line after the header
};
nlohmann::json ground_truth_json(const GroundTruth& truth);

struct SynthReport {
  int witnesses = 0, consents = 0, contacts = 0, interviews = 0, documents = 0, scans = 0;
  std::int64_t objects = 0;  // evidence objects stored (transcripts and documents)
  std::uint64_t bytes = 0;   // their size
  std::string first_code, last_code;
};

// Registers options.witnesses new witnesses, numbered after the highest W- code in the hub,
// with everything above. Files are stored as evidence in each witness's key domain and queued
// for processing (collection::enqueue_processing), as `evhub put` does. `on_text` receives the
// ground truth of every stored text; `progress` is told (witnesses done, of total).
Result<SynthReport> synthesize(Collection& collection, hub::Hub& hub, jobs::JobQueue& queue,
                               const SynthOptions& options,
                               const std::function<void(const GroundTruth&)>& on_text = {},
                               const std::function<void(int, int)>& progress = {});

// The lists fictional names are combined from, each name in Belarusian, Russian and English.
struct NameForms {
  const char* be;
  const char* ru;
  const char* en;
};
const std::vector<NameForms>& synth_male_names();
const std::vector<NameForms>& synth_female_names();
const std::vector<NameForms>& synth_surnames();

// ---- A search corpus (`evhub synth --corpus`, bench/search_bench.sh): OSINT captions
// (20-60 words), posts (40-300) and video transcripts (150-500) in Belarusian, Russian and
// English, as search::IndexItems. They name officials (fictional, from the lists above) in
// Belarusian and Russian Cyrillic and in Latin spellings of several systems, facilities, places,
// units and acts, with dates from August 2020 to 2024; the rest of each text is drawn from a
// list of common words and a long tail of made-up words, so the index sees a realistic spread
// of rare and frequent terms. Item `n` depends only on (seed, n): a corpus is written in
// constant memory, and any item can be made again on its own.
struct CorpusOptions {
  std::int64_t items = 20000;
  std::uint64_t seed = 1;
};
Status check_corpus_options(const CorpusOptions& options);

// The partner organisations corpus items belong to (fictional ids).
const std::vector<std::string>& synth_corpus_organisations();
// Item n (0-based) of the corpus of `seed`; its id is "osint-" and n + 1 in 9 digits.
search::IndexItem synth_corpus_item(std::uint64_t seed, std::int64_t n);
nlohmann::json corpus_item_json(const search::IndexItem& item);
// Writes options.items items, one JSON object a line; `progress` is told the items written
// every 10,000 items.
Status write_synth_corpus(std::ostream& out, const CorpusOptions& options,
                          const std::function<void(std::int64_t)>& progress = {});

// A fixed mix of `count` queries over any corpus of the same generator (terms, phrases, names,
// facet-filtered, date-ranged: a fifth each), the same for a seed. Each query has the query
// language's string (`query`) and a structured form other engines can run, with the same
// meaning:
//   {"id": "q001", "kind": "term|phrase|name|facet|date", "query": "...",
//    "all": [["w", "w2"], ["x"]],  // every group must match, by any one of its words
//    "phrase": ["w1", "w2"],       // these words next to each other (optional)
//    "not": ["y"],                 // none of these (optional)
//    "filters": {"language": "be", "type": "...", "facility": "...", "place": "..."},
//    "date_from": "2020-08-01", "date_to": "2020-09-31"}  // inclusive, compared as text
// Words are lowercase and without punctuation. A name's group lists every spelling the
// corpus writes it in, since the peers know nothing of transliteration.
std::vector<nlohmann::json> synth_corpus_queries(std::uint64_t seed, int count = 500);

}  // namespace evhub::collection
