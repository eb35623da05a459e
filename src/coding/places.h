// Where things happened: the gazetteer of Belarus (regions, districts, towns, with names in
// English, Belarusian and Russian and their common transliterations) and the registry of
// detention facilities and other sites, so that an annotation's place and facility are picked
// from a list rather than typed, and a search for one spelling finds every other.
//
// Both lists ship as public-domain JSON in data/places/ (docs/places.md). The gazetteer is
// read-only. Facilities can also be added and corrected in the hub: each version is an
// encrypted record in the hub-wide key domain "registry", registry.db a view of those records
// rebuilt from the custody log. A hub version of a shipped facility (same id) replaces it.
//
// Matching (lookup, suggest, resolve) compares names after normalisation: every word is
// latinised and folded to a phonetic key (search/names.h), so Гродна, Гродно, Grodno, Hrodna
// and HRODNA are one name; punctuation and spacing do not matter, and the words for "region"
// and "district" are one word in every language (Grodno Oblast = Hrodna Region). See
// docs/places.md.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "coding/framework.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::coding {

namespace internal {
class NameIndex;
}

// ---------------------------------------------------------------------------------------------
// The gazetteer

// From the largest to the smallest; Minsk, the capital, is a city outside every region.
inline constexpr const char* kPlaceTypes[] = {"region", "district", "city", "town"};

// Belarus's extent, with a margin: coordinates outside it are a typing error (a swapped
// latitude and longitude, a minus sign), except for a site abroad.
inline constexpr double kBelarusMinLatitude = 51.2;
inline constexpr double kBelarusMaxLatitude = 56.2;
inline constexpr double kBelarusMinLongitude = 23.1;
inline constexpr double kBelarusMaxLongitude = 32.8;
bool inside_belarus(double latitude, double longitude);

struct Place {
  std::string id;       // "by-hrodna-city", "by-hrodna-district", "by-hrodna-region"
  std::string type;     // one of kPlaceTypes
  std::string parent;   // a region's or the capital's is empty; a district's is its region; a
                        // regional centre's is its region; any other town's is its district
  double latitude = 0;  // decimal degrees; a region's or district's are its centre's
  double longitude = 0;
  Texts names;  // en in the official Belarusian romanisation (Hrodna, Mahilioŭ), be, ru
  std::vector<std::string> variants;  // other spellings: Grodno, Mogilev, Mahilyow, Гродно…
};

class Gazetteer {
 public:
  // Reads a gazetteer file (the format is in docs/places.md). A problem is reported with the
  // file and the JSON path: "…/belarus.json: places[12].parent: unknown place \"by-x\"".
  static Result<std::shared_ptr<const Gazetteer>> load(const std::string& path);
  static Result<std::shared_ptr<const Gazetteer>> from_json(std::string_view text);
  // data/places/belarus.json of this build (EVHUB_DATA_DIR).
  static std::string default_path();
  static Result<std::shared_ptr<const Gazetteer>> load_default();

  Gazetteer(Gazetteer&&) noexcept;
  ~Gazetteer();

  const std::vector<Place>& all() const { return places_; }
  const Place* find(std::string_view id) const;
  // The places whose parent is `id`, by English name.
  std::vector<const Place*> children(std::string_view id) const;
  // Every place one of whose names or variants is `name` after normalisation, best first:
  // spelled exactly so before spelled otherwise; then cities and towns before regions before
  // districts of the same name (Hrodna: the city, the region, the district).
  std::vector<const Place*> lookup(std::string_view name) const;
  // Places for a field being typed: names equal to `prefix`, then names that begin with it,
  // then names with a later word that begins with it, ranked as lookup() ranks; at most
  // `limit`.
  std::vector<const Place*> suggest(std::string_view prefix, std::size_t limit) const;

 private:
  Gazetteer();
  std::vector<Place> places_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unique_ptr<internal::NameIndex> names_;
};

// ---------------------------------------------------------------------------------------------
// The facility registry

inline constexpr const char* kFacilityTypes[] = {
    "offender-isolation-centre",  // ЦИП / ЦИОП: administrative detention (Akrestsina)
    "temporary-detention",        // ИВС: police temporary detention
    "pre-trial-detention",        // СИЗО
    "prison",                     // тюрьма (Žodzina No. 8, Mahilioŭ No. 4, Hrodna No. 1)
    "penal-colony",               // ИК
    "police-station",             // РУВД / РОВД, GUBOPiK
    "court",
    "security-service",  // KGB
    "other-site",        // a square, a metro station, a forest; the only type allowed abroad
};
// How precise a facility's coordinates are: the site itself, or only the town (or district)
// it is in, when they are the town's (or district's) own.
inline constexpr const char* kLocationPrecisions[] = {"site", "city", "district"};

// The registry's key domain (hub-wide, no organisation) and its record kind.
inline constexpr const char* kRegistryDomain = "registry";

struct Facility {
  std::string id;  // "fac-minsk-akrestsina-cip" (shipped), "fac-" + 32 hex (added in the hub)
  // 1 for a shipped facility; a hub correction of it is 2, 3…; an added one starts at 1.
  int version = 0;
  std::string type;                   // one of kFacilityTypes
  Texts names;                        // at least one language
  std::vector<std::string> variants;  // ЦИП на Окрестина, Okrestina, Akrestsina…
  std::string address;                // as far as known, in the original language
  std::string country = "BY";         // ISO 3166-1 alpha-2
  std::string place_id;               // in the gazetteer; empty only for a site abroad
  // "site": latitude and longitude are the site's. "city" / "district": they are the place's
  // (set from the gazetteer when stored).
  std::string precision = "city";
  double latitude = 0;
  double longitude = 0;
  // Why this version (a source, what was corrected). Kept only in the encrypted record.
  std::string note;
  bool shipped = false;   // this version is the one in data/places/facilities.json
  std::string edited_by;  // a hub version: the user who stored it
  std::string edited_at;  // and when
};

// The limits on a facility's texts.
inline constexpr std::size_t kMaxFacilityNameBytes = 300;
inline constexpr std::size_t kMaxFacilityVariants = 50;
inline constexpr std::size_t kMaxFacilityNoteBytes = 4000;

class FacilityRegistry {
 public:
  // Opens registry.db beside the catalog (creating it), catches up with the log, and reads the
  // shipped facilities from `facilities_path` (default: data/places/facilities.json), whose
  // places must be in `gazetteer`.
  static Result<std::unique_ptr<FacilityRegistry>> open(
      hub::Hub& hub, std::shared_ptr<const Gazetteer> gazetteer,
      const std::string& facilities_path = default_path());
  static std::string default_path();
  ~FacilityRegistry();

  Status sync();

  // Stores a new facility (id and version 1 given here) after checking it (type, names,
  // place, coordinates). A facility of the same name in the same place is refused
  // (kAlreadyExists, naming it): correct that one instead.
  Result<Facility> add(Facility facility, const std::string& by);
  // A new version of a shipped or added facility; `facility.version` must be the newest (a
  // change by someone else in between is kFailedPrecondition, never silently overwritten).
  Result<Facility> update(Facility facility, const std::string& by);

  // The newest version (nullopt if unknown).
  Result<std::optional<Facility>> get(const std::string& id);
  // Every version, oldest first: the shipped one (if shipped), then the hub's.
  Result<std::vector<Facility>> history(const std::string& id);
  // The newest version of every facility, by English name (then id). These and the lists
  // below come from the view and carry no note; get() and history() read it from the record.
  Result<std::vector<Facility>> all();
  // As Gazetteer::lookup and suggest, over the names and variants of every facility.
  Result<std::vector<Facility>> lookup(std::string_view name);
  Result<std::vector<Facility>> suggest(std::string_view prefix, std::size_t limit);
  // The one facility that free text names (an id, a name or a variant, spelled exactly so or
  // otherwise), or nullopt if none does or several do.
  Result<std::optional<Facility>> resolve(std::string_view text);

 private:
  struct Impl;
  explicit FacilityRegistry(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::coding
