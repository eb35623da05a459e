// A package source as a person names it — "incident:in-…", "witness:W-00123", "summary:ws-…"
// (with "summary+refs:" also the objects it quotes), "code:physical.kicks", "search:QUERY",
// "saved-search:12" — and its expansion into candidate items through package_sources.h, with
// whichever stores the caller (the CLI or the API) has opened.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "disclosure/package_sources.h"

namespace evhub::disclosure {

inline constexpr const char* kSourceKinds[] = {"incident", "witness", "summary",
                                               "code",     "search",  "saved-search"};

struct SourceSpec {
  std::string kind;              // kSourceKinds
  std::string value;             // the id, code, query or saved search's number
  bool with_references = false;  // summary: also the objects it quotes and rests on
  CodedPassageQuery passages;    // code: narrowed by facets (passages.code is `value`)
};

// "KIND:VALUE"; kInvalidArgument naming the kinds for anything else.
Result<SourceSpec> parse_source(const std::string& text);

// What a source may need; a source whose store is missing is refused (kInvalidArgument).
struct SourceStores {
  coding::IncidentStore* incidents = nullptr;
  coding::SummaryStore* summaries = nullptr;
  coding::AnnotationStore* annotations = nullptr;
  const coding::Framework* framework = nullptr;
  search::Index* index = nullptr;
  search::SavedSearches* saved = nullptr;
  std::string user_id;                // whose saved searches
  std::vector<search::Scope> scopes;  // the caller's, in the index's terms
};

Result<SourceItems> expand_source(PackageSources& sources, const SourceSpec& spec,
                                  const SourceStores& stores);

}  // namespace evhub::disclosure
