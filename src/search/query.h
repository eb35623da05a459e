// The query language (docs/search.md): words, "phrases", AND/OR/NOT (and -word), NEAR and
// NEAR/n, prefix*, parentheses, and field filters (type: lang: witness: org: facility: place:
// person: code: month: date:). Parsed into a Xapian query over the terms of search/terms.h; a
// malformed query is a kInvalidArgument whose message says at which character and what is wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/status.h"

namespace evhub::search {

struct ParsedQuery {
  Xapian::Query query;
  bool has_words = false;  // false: filters only (every item within them matches)
  // What a snippet marks: words as written, stems, name keys and prefixes of prefix* words.
  std::vector<std::string> words, stems, name_keys, prefixes;
  // The latin forms of the query's name words (capitalised, or person: values), by key, for
  // re-ranking by spelling.
  std::vector<std::pair<std::string, std::string>> names;  // key, latin
};

inline constexpr std::size_t kMaxQueryBytes = 2000;
inline constexpr int kMaxQueryTerms = 64;

// `date_buckets`: the date buckets the index holds (the values of its kMonth terms: "YYYY",
// "YYYY-MM", "YYYY-MM-" and "YYYY-MM-DD"; see docs/search.md), sorted. date: ranges become
// those buckets' terms, much cheaper than testing every candidate's date, which is what
// happens without them (empty).
Result<ParsedQuery> parse_query(std::string_view text,
                                const std::vector<std::string>& date_buckets = {});

}  // namespace evhub::search
