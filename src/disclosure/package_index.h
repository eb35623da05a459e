// The index a recipient reads first: every file of a disclosure package with its production
// number, what it is, its dates and language, the SHA-256 of the original the hub holds and of
// the file delivered, and a summary of its custody; as index.csv for their tools and index.html
// for people. And README-for-recipients.txt, which says in English and Russian how to check the
// package with stock tools.
#pragma once

#include <string>
#include <vector>

namespace evhub::disclosure {

struct IndexRow {
  std::string production_number;  // EVH-2026-0007-000123
  std::string path;               // the file in the bag, from its root (data/...)
  std::string description;
  std::string dates;     // what the item is about: "2020-08-10" or "2020-08-10 – 2020-08-13"
  std::string language;  // be, ru, en or empty
  std::string sha256_original;   // the object in the hub
  std::string sha256_delivered;  // the file in the bag (the same when nothing was redacted)
  std::string custody;           // "received 2026-03-02 by intake; redacted 2026-11-20 (2 names)"
};

// RFC 4180 CSV with a header row, UTF-8 with a byte order mark (spreadsheets then read the
// Cyrillic right); a cell that a spreadsheet would run as a formula (= + - @) is prefixed by '.
std::string index_csv(const std::vector<IndexRow>& rows);

// A standalone HTML page (no scripts, no external resources) with the package's title.
std::string index_html(const std::string& title, const std::vector<IndexRow>& rows);

// What the recipient runs, in English and Russian: decrypt, unpack, check the signature with
// the hub's public key, check every file against the manifests, read the custody proofs.
// `package` is the file name of the encrypted package, `bag` the directory it unpacks to.
std::string readme_for_recipients(const std::string& package, const std::string& bag,
                                  const std::string& request_reference);

}  // namespace evhub::disclosure
