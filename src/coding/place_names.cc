#include <algorithm>
#include <initializer_list>
#include <unordered_set>

#include "coding/place_names_internal.h"
#include "search/names.h"
#include "search/text.h"

namespace evhub::coding::internal {

namespace {

// The latin forms of `words`, as name_forms makes them (so that the lists below are written as
// people write the words, in any script, and compared after the same folding).
std::unordered_set<std::string> latin_forms(std::initializer_list<const char*> words) {
  std::unordered_set<std::string> out;
  for (const char* w : words) out.insert(search::name_forms(w).latin);
  return out;
}

// The generic words of administrative units, one word per kind whatever the language:
// "Grodno Oblast", "Hrodna Region" and "Hrodna voblasć" are one name.
const std::unordered_set<std::string>& region_words() {
  static const auto kWords = latin_forms(
      {"region", "oblast", "oblastʹ", "voblast", "voblasts", "voblasć", "вобласць", "область"});
  return kWords;
}
const std::unordered_set<std::string>& district_words() {
  static const auto kWords =
      latin_forms({"district", "raion", "rayon", "rajon", "raen", "раён", "район"});
  return kWords;
}
// Words that name no place: "г. Минск", "Minsk city", "ЦИП на Окрестина".
const std::unordered_set<std::string>& dropped_words() {
  static const auto kWords = latin_forms({"г", "гор", "горад", "город", "city", "town", "на", "в",
                                          "у", "ў", "of", "the", "on", "in", "at"});
  return kWords;
}

}  // namespace

NameForm name_form(std::string_view text) {
  NameForm out;
  for (const search::Token& token : search::tokenize(text)) {
    const auto forms = search::name_forms(text.substr(token.begin, token.end - token.begin));
    if (forms.latin.empty() || dropped_words().count(forms.latin)) continue;
    std::string latin = forms.latin;
    std::string key = forms.key.empty() ? forms.latin : forms.key;
    if (region_words().count(latin)) {
      latin = key = "#region";
    } else if (district_words().count(latin)) {
      latin = key = "#district";
    }
    if (!out.latin.empty()) {
      out.latin += ' ';
      out.key += ' ';
    }
    out.latin += latin;
    out.key += key;
  }
  return out;
}

void NameIndex::add(std::size_t entry, std::string_view name) {
  NameForm form = name_form(name);
  if (form.latin.empty()) return;
  by_key_.emplace(form.key, names_.size());
  names_.push_back({entry, std::move(form)});
}

void NameIndex::keep_best(std::vector<NameHit>& hits,
                          std::unordered_map<std::size_t, std::size_t>& at, const NameHit& hit) {
  auto [it, added] = at.emplace(hit.entry, hits.size());
  if (added) {
    hits.push_back(hit);
    return;
  }
  NameHit& kept = hits[it->second];
  if (hit.match < kept.match || (hit.match == kept.match && hit.distance < kept.distance)) {
    kept = hit;
  }
}

std::vector<NameHit> NameIndex::lookup(std::string_view text) const {
  std::vector<NameHit> hits;
  const NameForm query = name_form(text);
  if (query.key.empty()) return hits;
  std::unordered_map<std::size_t, std::size_t> at;
  auto [from, to] = by_key_.equal_range(query.key);
  for (auto it = from; it != to; ++it) {
    const Name& name = names_[it->second];
    const bool exact = name.form.latin == query.latin;
    keep_best(hits, at,
              {name.entry, exact ? Match::kExact : Match::kSameKey,
               exact ? 0.0 : search::name_distance(query.latin, name.form.latin)});
  }
  return hits;
}

std::vector<NameHit> NameIndex::suggest(std::string_view prefix) const {
  std::vector<NameHit> hits;
  const NameForm query = name_form(prefix);
  if (query.key.empty()) return hits;
  // A short text's key matches too many names to be of use (the key of "Гро" is "hr": Horki,
  // Hrodna, Haradok…).
  constexpr std::size_t kKeyPrefixMinLetters = 4;
  constexpr std::size_t kKeyPrefixMinKey = 3;
  const bool by_key_prefix =
      query.latin.size() >= kKeyPrefixMinLetters && query.key.size() >= kKeyPrefixMinKey;
  const std::string word_start = " " + query.latin;
  std::unordered_map<std::size_t, std::size_t> at;
  for (const Name& name : names_) {
    const std::string& latin = name.form.latin;
    Match match;
    if (latin == query.latin) {
      match = Match::kExact;
    } else if (name.form.key == query.key) {
      match = Match::kSameKey;
    } else if (latin.starts_with(query.latin)) {
      match = Match::kPrefix;
    } else if (latin.find(word_start) != std::string::npos) {
      match = Match::kWordPrefix;
    } else if (by_key_prefix && name.form.key.starts_with(query.key)) {
      match = Match::kKeyPrefix;
    } else {
      continue;
    }
    keep_best(hits, at, {name.entry, match, search::name_distance(query.latin, latin)});
  }
  return hits;
}

}  // namespace evhub::coding::internal
