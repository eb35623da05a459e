// Inside places: how a place's or facility's names are compared, shared by the gazetteer and the
// facility registry so that both match alike. A name becomes its words, each latinised and
// folded by search::name_forms (the same forms search uses for persons' names), with the
// words for "region" and "district" in every language made one word and a few words that
// carry no name dropped ("г.", "city", "на"). Two names match when their phonetic keys are
// equal; spelled exactly alike (same latin form) ranks first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace evhub::coding::internal {

struct NameForm {
  std::string latin;  // the words' latin forms, joined by single spaces
  std::string key;    // the words' phonetic keys (a word without one: its latin form)
};
// Empty forms for text with no word in it.
NameForm name_form(std::string_view text);

// How well a name matched, best first.
enum class Match {
  kExact = 0,       // the same latin form: spelled alike but for case, accents, punctuation
  kSameKey = 1,     // the same phonetic key: another spelling or script of the same name
  kPrefix = 2,      // the name begins with the text
  kWordPrefix = 3,  // a later word of the name begins with the text
  kKeyPrefix = 4,   // the name's key begins with the text's (a text of four letters or more)
};

struct NameHit {
  std::size_t entry = 0;
  Match match = Match::kExact;
  double distance = 0;  // search::name_distance of the latin forms, 0 (alike) .. 1
};

// The names of a list's entries (an entry is the caller's index into its own list).
class NameIndex {
 public:
  void add(std::size_t entry, std::string_view name);
  // Each entry with a name of the same key as `text`, once, with its best match (kExact or
  // kSameKey), in no particular order.
  std::vector<NameHit> lookup(std::string_view text) const;
  // Each entry with a name that `prefix` matches in any way of Match, once, with its best.
  std::vector<NameHit> suggest(std::string_view prefix) const;

 private:
  struct Name {
    std::size_t entry;
    NameForm form;
  };
  static void keep_best(std::vector<NameHit>& hits, std::unordered_map<std::size_t, std::size_t>&,
                        const NameHit& hit);
  std::vector<Name> names_;
  std::unordered_multimap<std::string, std::size_t> by_key_;  // key -> index into names_
};

}  // namespace evhub::coding::internal
