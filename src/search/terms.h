// The index's layout: term prefixes and value slots, shared by the indexer and the query
// parser (docs/search.md lists them). Unprefixed terms are normalised words with positions.
#pragma once

#include <string>

#include <xapian.h>

namespace evhub::search::terms {

// Boolean terms: exact filters and the security trimming.
inline constexpr const char* kId = "Q";
inline constexpr const char* kOrganisation = "XO";
inline constexpr const char* kSensitivity = "XS";
inline constexpr const char* kType = "XT";
inline constexpr const char* kLanguage = "XL";
inline constexpr const char* kWitness = "XW";
inline constexpr const char* kDomain = "XD";
inline constexpr const char* kGroup = "XG";
// + a date bucket: YYYY-MM (any date in the month; what month: filters on), YYYY-MM-DD, YYYY-MM-
// (dated by the month alone) or YYYY (by the year alone). See docs/search.md.
inline constexpr const char* kMonth = "XM";
inline constexpr const char* kFacility = "XF";  // + name key of each word of the facility
inline constexpr const char* kPlace = "XP";     // + name key of each word of the place
inline constexpr const char* kPerson = "XN";    // + name key of each word of the person
inline constexpr const char* kCode = "XC";
inline constexpr const char* kWitnessMaterial = "XKwitness";  // on every item with a witness
// Probabilistic terms beside the words.
inline constexpr const char* kStem = "Z";
inline constexpr const char* kNameKey = "N";  // name key of a capitalised word of the text

// Metadata: the mark the revisions count on from (marks go on across a rebuild).
inline constexpr const char* kMarkBaseKey = "mark_base";

// Value slots.
inline constexpr Xapian::valueno kTypeSlot = 0;
inline constexpr Xapian::valueno kLanguageSlot = 1;
inline constexpr Xapian::valueno kOrganisationSlot = 2;
inline constexpr Xapian::valueno kMonthSlot = 3;
inline constexpr Xapian::valueno kDateSlot = 4;   // YYYY, YYYY-MM or YYYY-MM-DD
inline constexpr Xapian::valueno kAddedSlot = 5;  // sortable_serialise(addition mark)
inline constexpr Xapian::valueno kWitnessSlot = 6;
// Multi-valued facets (facilities, places, codes) keep their values in one slot, joined by
// kFacetSeparator: ValueCountMatchSpy, the only match spy xapian-tcpsrv knows, counts one value
// per slot, and the joined strings' counts are split after the match.
inline constexpr char kFacetSeparator = '\x1f';
inline constexpr Xapian::valueno kFacilitySlot = 10;
inline constexpr Xapian::valueno kPlaceSlot = 11;
inline constexpr Xapian::valueno kCodeSlot = 12;
// "key:latin" of every capitalised word of the text, joined: what re-ranking compares.
inline constexpr Xapian::valueno kNameFormsSlot = 13;

}  // namespace evhub::search::terms
