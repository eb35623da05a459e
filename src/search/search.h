// Search over every text the hub holds, in Belarusian, Russian and English and in both scripts,
// on Xapian. Domain modules feed it IndexItems (it knows nothing of witnesses or interviews);
// readers search with a query string and the scopes they may see, which become part of the
// Xapian query, so hits, counts, facets and snippets never include anything outside them.
// The index holds terms, not texts: snippets are cut from texts the caller loads (decrypted
// from the vault) for the hits it is about to show. docs/search.md describes the index.
//
//   auto index = search::Index::open_writable(dir);          // one writer at a time
//   (*index)->put(item); (*index)->commit();
//   auto reader = search::Index::open_readonly({dir});       // or {"tcp://host:port", ...}
//   auto found = (*reader)->search(request, load_text);
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace evhub::search {

// One text to index. Everything but `text` is kept in the index (no personal data: witnesses
// appear by code); `text` is tokenised and dropped.
struct IndexItem {
  std::string id;        // unique: the text object's id
  std::string type;      // transcript, translation, extracted, ocr, document-description, ...
  std::string language;  // be, ru, en or empty
  std::string organisation_id;
  std::string sensitivity = "normal";  // normal | health | sexual-violence
  std::string domain_id;               // the key domain: erasing it removes the item
  std::string witness;                 // a witness code, or empty
  std::string date;  // incident or document date: YYYY, YYYY-MM or YYYY-MM-DD, or empty
  std::vector<std::string> places;
  std::vector<std::string> facilities;
  std::vector<std::string> persons;
  std::vector<std::string> codes;
  // Texts of one source (a document's extracted text and its translations) share a group,
  // the source object's id: a hit shows snippets from the others too.
  std::string group;
  std::string title;    // what a result list shows, e.g. "Interview 2021-03-02, W-00012"
  std::string open;     // what to open for this hit, e.g. "document/<object id>"
  std::string version;  // a fingerprint of what was indexed: `index check` compares it
  std::string text;
};

// What one reader may see in one organisation (as catalog::ReadScope).
struct Scope {
  std::string organisation_id;
  std::vector<std::string> sensitivities;
  // False for readers who may not see testimony (the register's material): items with a
  // witness code are then left out in this organisation.
  bool witness_material = true;
};

enum class SortOrder { kRelevance, kNewest, kOldest };

struct SearchRequest {
  std::string query;          // the query language of docs/search.md
  std::vector<Scope> scopes;  // empty: nothing is visible
  int offset = 0;
  int limit = 20;
  SortOrder sort = SortOrder::kRelevance;
  bool facets = true;
  bool snippets = true;
  // Only items added to the index after this mark (SearchResults::mark of an earlier search):
  // what a saved search shows as new.
  std::int64_t added_after = 0;
};

struct Snippet {
  std::string id;
  std::string type;
  std::string language;
  std::string html;  // escaped text with <mark>…</mark> around matches
};

struct Hit {
  std::string id;
  std::string type;
  std::string language;
  std::string organisation_id;
  std::string witness;
  std::string date;
  std::string title;
  std::string open;
  std::string group;
  double score = 0;
  // The hit's own snippet first, then those of other texts of its group that match.
  std::vector<Snippet> snippets;
};

struct FacetValue {
  std::string value;
  std::int64_t count = 0;
};

// Totals and facets are counted exactly up to this many matches. Beyond it (broad queries) they
// are estimates: the facets are counted over the matches examined and scaled to the estimated
// total, so a user sees their proportions, and a search costs the same however broad it is.
inline constexpr std::int64_t kExactCountLimit = 5000;

struct SearchResults {
  std::int64_t total = 0;   // matching items the reader may see
  bool total_exact = true;  // false when `total` and the facets are estimates (see above)
  std::vector<Hit> hits;
  // type, language, organisation, month, facility, place, code -> values by count
  std::map<std::string, std::vector<FacetValue>> facets;
  // The index revision this search saw (for SearchRequest::added_after): it counts commits,
  // not items, so it tells a reader nothing about material they cannot see.
  std::int64_t mark = 0;
};

// Returns a text's plaintext for snippets (kErased etc. leave the hit without a snippet).
using TextLoader = std::function<Result<std::string>(const std::string& id)>;

struct IndexEntry {
  std::string id;
  std::string version;
  std::string domain_id;
};

// How a rebuild writes (open_writable with `empty`): in parallel segments merged at commit.
struct BuildOptions {
  int writers = 0;                      // segments written at once; 0: one per core, at most 4
  std::int64_t segment_items = 100000;  // items a segment takes before a fresh one is begun
};

class Index {
 public:
  // The writable index in `dir`, created when missing. Xapian allows one writer: another
  // process writing gets kBusy with a message that says so.
  //
  // With `empty`, a new index is built beside the old one (a rebuild): put, remove and
  // set_metadata go to it, and commit() puts it in place of the old one, which until then
  // stays as it was (a failed or killed rebuild loses nothing). Before that commit the new
  // index cannot be read (search, entries and size say so); after it, the Index goes on as an
  // ordinary writer of the new index.
  static Result<std::unique_ptr<Index>> open_writable(const std::string& dir, bool empty = false,
                                                      const BuildOptions& build = {});
  // An index to search: local directories and remote shards ("tcp://HOST:PORT", served by
  // xapian-tcpsrv) searched as one.
  static Result<std::unique_ptr<Index>> open_readonly(const std::vector<std::string>& shards);
  ~Index();

  // Adds or replaces the item with this id (its addition mark is kept on replacement).
  Status put(const IndexItem& item);
  Status remove(const std::string& id);
  // Removes every item of a key domain (a witness erased), and returns how many.
  Result<std::int64_t> remove_domain(const std::string& domain_id);
  Status commit();
  // Key-value metadata kept with the index (e.g. how far it has followed the custody log).
  Result<std::string> metadata(const std::string& key);
  Status set_metadata(const std::string& key, const std::string& value);

  // Syntax errors are kInvalidArgument with a message that says where ("at character 14: ...").
  Result<SearchResults> search(const SearchRequest& request, const TextLoader& load_text);
  // What the index holds (of one key domain if `domain_id` is not empty).
  Result<std::vector<IndexEntry>> entries(const std::string& domain_id = "");
  Result<std::int64_t> size();

 private:
  struct Impl;
  explicit Index(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::search
