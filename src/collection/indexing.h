// Keeps the search index (search/) in step with the closed-source collection: every text the
// hub holds (transcripts, extracted and OCR text, translations, document descriptions) becomes
// an IndexItem with its witness code, organisation, sensitivity, dates and place, and an erased
// witness's items leave the index. The index follows the custody log: an `index` job looks at
// the events since it last ran, and brings each key domain they touched up to date.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "collection/collection.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"
#include "jobs/worker_pool.h"
#include "search/search.h"

namespace evhub::collection {

inline constexpr const char* kIndexJob = "index";

struct IndexReport {
  std::int64_t domains = 0;  // key domains looked at
  std::int64_t indexed = 0;  // items added or replaced
  std::int64_t removed = 0;  // items that left the index (erased, no longer there)
  std::int64_t events = 0;   // custody events followed
};

// (domains done, of domains) while a rebuild or catch-up runs.
using IndexProgress = std::function<void(std::int64_t, std::int64_t)>;

// Items a module above this one adds to a key domain's (coding/: one per coded passage), with
// their text and version filled in, and the text of one of its items for snippets. Items are
// asked for holding the hub mutex, each time the domain is brought up to date; their ids start
// with `id_prefix`, which says whose an id is.
struct IndexFeed {
  std::string id_prefix;
  std::function<Result<std::vector<search::IndexItem>>(hub::Hub&, const catalog::KeyDomain&)> items;
  std::function<Result<std::string>(hub::Hub&, const std::string& id)> text;
};
// Adds a feed to every index update, rebuild, check and snippet in this process (once per
// prefix: a second feed with the same prefix replaces the first). The CLI and the server add
// coding's when they start.
void add_index_feed(IndexFeed feed);

// Follows the custody log from where the index last stopped and updates the domains the new
// events touched. Uses `hub` only while holding `hub_mutex`.
Result<IndexReport> update_index(hub::Hub& hub, std::mutex& hub_mutex, search::Index& index,
                                 const IndexProgress& progress = {});
// Indexes every domain of the hub into `index`, which the caller opened empty (a rebuild: it
// cannot be read until the commit this ends with).
Result<IndexReport> rebuild_index(hub::Hub& hub, std::mutex& hub_mutex, search::Index& index,
                                  const IndexProgress& progress = {});

// What `evhub index check` finds against the catalog.
struct IndexCheck {
  std::vector<std::string> missing;  // texts the index does not hold
  std::vector<std::string> stale;    // held, but indexed from other metadata
  std::vector<std::string> extra;    // held, but no longer in the hub (or erased)
  std::int64_t expected = 0;         // texts the index should hold
  std::int64_t behind = 0;           // custody events the index has not followed yet
  bool ok() const { return missing.empty() && stale.empty() && extra.empty(); }
};
Result<IndexCheck> check_index(hub::Hub& hub, std::mutex& hub_mutex, search::Index& index);

// The plaintext of an index item, for snippets: a text object's (its first 32 MiB, as indexed)
// or a witness document's description ("desc:<object id>"). Call holding the hub's mutex.
Result<std::string> item_text(hub::Hub& hub, Collection& collection, const std::string& id);

// Queues an index catch-up (idempotent per `token`, e.g. the object that changed).
Status enqueue_indexing(jobs::JobQueue& queue, const std::string& token, std::int64_t now_ms);

// The `index` job: opens the index in `index_dir` for writing, catches up, closes it (so that
// `evhub index rebuild` can run between jobs).
std::map<std::string, jobs::Handler> indexing_handlers(hub::Hub& hub, std::mutex& hub_mutex,
                                                       std::string index_dir);

}  // namespace evhub::collection
