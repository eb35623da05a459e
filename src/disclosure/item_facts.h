// What a package's index says of an item beyond its description: the dates it is about and its
// language. Dates are those of the incidents coded on it (the range of the codings' dates), or
// else the document's or the interview's own date; the language is the document's, the
// interview's, or the one its extraction or translation recorded. Read from the register, the
// coding view and the object's provenance — never from the item's text.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "coding/annotations.h"
#include "collection/collection.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::disclosure {

struct ItemFacts {
  std::string dates;     // "2020-08-10", "2020-08-10 – 2020-08-13", or empty
  std::string language;  // "be", "be, ru" or empty
};

// Reads the facts of many items, keeping each witness's documents and interviews once (a
// package holds hundreds of items of a few witnesses). `annotations` may be null (no coding
// view: no coded dates); the stores must outlive the reader.
class ItemFactsReader {
 public:
  ItemFactsReader(hub::Hub& hub, collection::Collection& witnesses,
                  coding::AnnotationStore* annotations);
  // `witness` is the code whose material it is (empty: no witness's).
  Result<ItemFacts> facts(const std::string& object_id, const std::string& witness);

 private:
  hub::Hub& hub_;
  collection::Collection& witnesses_;
  coding::AnnotationStore* annotations_;
  std::map<std::string, std::vector<collection::WitnessDocument>> documents_;
  std::map<std::string, std::vector<collection::Interview>> interviews_;
};

}  // namespace evhub::disclosure
