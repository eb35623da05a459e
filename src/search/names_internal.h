// What names.cc shares with its tests only: the key's variants, so the test can measure the
// choice docs/search-names.md justifies (what a word-initial vowel contributes to the key).
#pragma once

#include <string>
#include <string_view>

namespace evhub::search::internal {

enum class InitialVowel {
  kDrop,    // the skeleton only: Алена = Елена = Олена, but also Ігар = Ягор
  kMarker,  // one mark for "starts with a vowel": Ігар = Ягор still, Ігар != Гарык
  kLetter,  // the first latin letter itself: Ігар != Ягор, but Алена != Елена
};

// The key of a latin form (NameForms::latin) under a given initial-vowel policy.
// name_forms() uses kDefaultInitialVowel.
std::string key_of_latin(std::string_view latin, InitialVowel initial);
inline constexpr InitialVowel kDefaultInitialVowel = InitialVowel::kMarker;

}  // namespace evhub::search::internal
