// Coded passages in the search index, so that `code:`, `facility:`, `place:` and `date:` find
// them: every annotation not removed becomes an item "coded:<annotation id>" of type
// coded-passage in its witness's key domain (erasing the witness removes it), carrying its
// codes with their ancestors in the framework (code:physical finds a passage coded
// physical.baton-blows), place, facility, persons, incident date and the passage as its text.
// A restricted code raises the item's sensitivity, so only readers cleared for it find it.
#pragma once

#include "collection/indexing.h"

namespace evhub::coding {

inline constexpr const char* kPassageIdPrefix = "coded:";
inline constexpr const char* kPassageType = "coded-passage";

collection::IndexFeed coded_passage_feed();
// Adds coded_passage_feed() to this process's index updates (collection::add_index_feed).
void index_coded_passages();

}  // namespace evhub::coding
