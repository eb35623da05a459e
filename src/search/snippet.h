// Snippets: the passage of a text where a query's words meet most densely, HTML-escaped, with
// each match in <mark>. Matching uses the same tokens, stems and name keys as the index, so a
// snippet marks what made the text a hit (Kalesnikava in a Cyrillic text marks Калеснікава).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "search/query.h"

namespace evhub::search {

// At most about `max_bytes` of `text` (whole words), with "…" where it was cut; the start of
// the text when nothing matches.
std::string snippet_html(std::string_view text, const ParsedQuery& query, std::size_t max_bytes);

}  // namespace evhub::search
