// Bulk import of closed-source material: a folder of files and a CSV manifest that describes
// witnesses, consent, interviews and documents, one per row. Everything is checked first and
// every problem reported with its line and column; nothing is imported unless the whole
// manifest is sound. Importing is idempotent, so an interrupted import is resumed by running
// it again: what is already in the hub is recognised and skipped, never stored twice.
//
// Columns (a header row names them, in any order; unknown columns are an error):
//   record      witness | consent | interview | document
//   witness     the witness's code (W-00123)
//   witness:    organisation, gender, age_band, country, languages, vulnerabilities,
//               do_not_contact (yes/no)
//   consent:    date (given on), by (taken by), scopes, renew_by, withdrawn_on, conditions
//   interview:  key (to refer to it from documents), date, by (interviewer), place, remote
//               (yes/no), languages, file (recordings), transcript, sensitivity
//   document:   file, kind, date, language, description, interview (a key), sensitivity
// Lists (languages, vulnerabilities, scopes, file) are separated by ';'. Files are relative to
// the manifest's folder, or named as they were uploaded with it (check_manifest).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collection/collection.h"
#include "jobs/job_queue.h"

namespace evhub::collection {

struct ManifestProblem {
  int line = 0;    // 1-based line of the manifest
  int column = 0;  // 1-based column (0: the whole row)
  std::string message;
};

struct ManifestRow {
  int line = 0;
  std::map<std::string, std::string> fields;  // by column name
};

// Files uploaded with a manifest (through the API), by the name the manifest gives them: they
// are checked and stored from memory, so no plaintext evidence is written to the server's disk.
using UploadedFiles = std::map<std::string, std::string>;

struct Manifest {
  std::string folder;                             // where the files are (read_manifest)
  std::shared_ptr<const UploadedFiles> uploaded;  // or the files themselves (check_manifest)
  std::vector<ManifestRow> rows;
  std::vector<ManifestProblem> problems;  // empty: it may be imported
};

struct ImportReport {
  int witnesses = 0, consents = 0, interviews = 0, documents = 0;
  int skipped = 0;  // rows already in the hub
};

// Reads and checks a manifest against the register. `organisations` maps the names of the
// organisations the importer may work in to their ids: witness rows must name one of them, and
// rows about a witness registered before must be about one of theirs. kIoError only if the
// file cannot be read; everything wrong inside it is a problem.
Result<Manifest> read_manifest(const std::string& path, Collection& collection,
                               const std::map<std::string, std::string>& organisations);
// The same for a manifest's text whose files were uploaded with it.
Result<Manifest> check_manifest(const std::string& csv, std::shared_ptr<const UploadedFiles> files,
                                Collection& collection,
                                const std::map<std::string, std::string>& organisations);

// Imports a manifest without problems (kInvalidArgument otherwise), queueing new files for
// processing in `queue`. `progress` is told after each row: (rows done, of total).
Result<ImportReport> import_manifest(const Manifest& manifest, Collection& collection,
                                     hub::Hub& hub, jobs::JobQueue& queue,
                                     const std::map<std::string, std::string>& organisations,
                                     const std::function<void(int, int)>& progress = {});

}  // namespace evhub::collection
