// Where a package's candidate items come from: an incident (the material its passages cite), a
// witness (their interviews and documents), a witness summary (its approved export), passages
// coded with a code, a search or a saved search. Each source becomes a list of items, each once,
// in a stable order, with the folder it goes in and what the index should say it is — only
// objects the caller may read. The consent gate is applied afterwards, by whoever builds the
// package from these candidates (the builder shows what the gate blocks).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "coding/annotations.h"
#include "coding/framework.h"
#include "coding/incidents.h"
#include "coding/summary.h"
#include "collection/collection.h"
#include "core/status.h"
#include "hub/hub.h"
#include "search/saved_searches.h"
#include "search/search.h"

namespace evhub::disclosure {

// One candidate item.
struct ItemSource {
  std::string object_id;
  // Where it goes under data/: the witness's code for a witness's material, the incident's
  // folder (incident_folder()) for what an incident cites; empty for material of no witness
  // outside an incident (the export puts it under items/).
  std::string folder;
  // What the package's index says it is: "Transcript of interview 2 of W-00102 (2021-03-02)",
  // "Witness summary of W-00102 (approved v3, PDF)". Never a name or a free text that may
  // hold one (documents' descriptions and incidents' titles stay out).
  std::string description;
};

// What one source gave.
struct SourceItems {
  std::vector<ItemSource> items;
  // Objects the source names that the caller may not read (another organisation's, or a
  // restricted category): left out, counted so the builder knows the list is not everything.
  std::int64_t withheld = 0;
  // Objects the source names that were erased with their witness: left out, counted.
  std::int64_t erased = 0;
};

// The folder an incident's material goes in: "INC-" and the first 8 hex digits of its id
// ("in-3f9a1c02…" -> "INC-3f9a1c02"). Incidents have no shorter name, and their titles may
// name people, so the folder is made from the id.
std::string incident_folder(const std::string& incident_id);

// Appends the items of `more` that `into` does not hold yet (by object), in their order: a
// package built from several sources holds each object once, where it was first added.
void append_unique(std::vector<ItemSource>& into, const std::vector<ItemSource>& more);

// Passages coded with a code, narrowed by their facets (empty fields do not narrow).
struct CodedPassageQuery {
  std::string code;            // a code of the framework
  bool narrower_codes = true;  // and every code under it
  std::string facility;        // exactly this facility
  std::string place;           // exactly this place
  std::string from;            // incident dates from (YYYY, YYYY-MM or YYYY-MM-DD) ...
  std::string to;              // ... to; passages with no date are left out when either is set
};

// A search's hits beyond this are not taken: narrow the query.
inline constexpr std::int64_t kMaxSearchItems = 10'000;

// Expands sources for one caller. `reads` are what the caller may read (as api::read_scopes
// gives them: organisation and sensitivities); nothing outside them is ever returned. The
// witness register describes witnesses' material and must outlive this object.
class PackageSources {
 public:
  PackageSources(hub::Hub& hub, collection::Collection& witnesses,
                 std::vector<catalog::ReadScope> reads);
  ~PackageSources();
  PackageSources(const PackageSources&) = delete;
  PackageSources& operator=(const PackageSources&) = delete;

  // The objects whose passages the incident cites (supporting and contradicting), in the order
  // cited, in the incident's folder. kNotFound for an unknown incident or one of an
  // organisation the caller may not read; kFailedPrecondition for a removed one.
  Result<SourceItems> incident(coding::IncidentStore& incidents, const std::string& incident_id);

  // The witness's interviews (transcript, recordings, translations; interviews by date) and
  // then the documents they handed over, in their folder. kNotFound for an unknown code or a
  // witness of an organisation the caller may not read; kErased for an erased witness.
  Result<SourceItems> witness(const std::string& code);

  // The newest approved export of the summary (every format made of that version, PDF before
  // DOCX), and with `with_references` the objects it quotes and the documents it rests on.
  // kNotFound for an unknown summary (or one the caller may not read); kFailedPrecondition
  // when no approved version was ever exported (a draft export with DRAFT on its pages is
  // not one), saying what to do.
  Result<SourceItems> witness_summary(coding::SummaryStore& summaries,
                                      const std::string& summary_id, bool with_references);

  // The objects whose passages carry the code (or one under it), within the caller's
  // organisations, narrowed by the query's facets, in the order of object id. kNotFound for a
  // code the framework does not know; kInvalidArgument for a malformed date.
  Result<SourceItems> coded_passages(coding::AnnotationStore& annotations,
                                     const coding::Framework& framework,
                                     const CodedPassageQuery& query);

  // The material a query finds (the query language of docs/search.md), oldest first: for each
  // hit the object it is the text of (a transcript, a document whose text was extracted or
  // translated, the object a coded passage is on). `scopes` are the caller's in the index's
  // terms (search::Scope: whether they see testimony); what they find is also held to `reads`.
  // kInvalidArgument for a malformed query or one that finds more than kMaxSearchItems texts.
  Result<SourceItems> search(search::Index& index, const std::string& query,
                             const std::vector<search::Scope>& scopes);
  // The same for a saved search of `user_id` (kNotFound for another user's, as for none).
  Result<SourceItems> saved_search(search::Index& index, search::SavedSearches& saved,
                                   const std::string& user_id, std::int64_t saved_search_id,
                                   const std::vector<search::Scope>& scopes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::disclosure
