// The gazetteer and the facility registry over the shipped data files and a real hub: names
// found across scripts and transliterations, a city ranked before the district and region of its
// name, the integrity of the shipped lists, facilities added and corrected in the hub with every
// version kept, stale versions and bad input refused, and registry.db rebuilt from the log.
#include "coding/places.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::coding {
namespace {

std::shared_ptr<const Gazetteer> shipped_gazetteer() {
  static const std::shared_ptr<const Gazetteer> kGazetteer = [] {
    auto g = Gazetteer::load_default();
    EXPECT_TRUE(g.is_ok()) << g.status().to_string();
    return g.is_ok() ? *g : nullptr;
  }();
  return kGazetteer;
}

std::vector<std::string> ids_of(const std::vector<const Place*>& places) {
  std::vector<std::string> out;
  for (const Place* p : places) out.push_back(p->id);
  return out;
}

std::vector<std::string> ids_of(const std::vector<Facility>& facilities) {
  std::vector<std::string> out;
  for (const auto& f : facilities) out.push_back(f.id);
  return out;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// ---------------------------------------------------------------------------------------------
// The gazetteer

TEST(Gazetteer, ShippedListHoldsEveryRegionAndDistrict) {
  auto g = shipped_gazetteer();
  ASSERT_TRUE(g);
  std::map<std::string, int> districts;  // per region
  int regions = 0;
  for (const Place& p : g->all()) {
    if (p.type == "region") ++regions;
    if (p.type == "district") ++districts[p.parent];
  }
  EXPECT_EQ(regions, 6);
  // The 118 districts (raions) of Belarus, per region.
  EXPECT_EQ(districts["by-brest-region"], 16);
  EXPECT_EQ(districts["by-viciebsk-region"], 21);
  EXPECT_EQ(districts["by-homiel-region"], 21);
  EXPECT_EQ(districts["by-hrodna-region"], 17);
  EXPECT_EQ(districts["by-minsk-region"], 22);
  EXPECT_EQ(districts["by-mahiliou-region"], 21);
  const Place* minsk = g->find("by-minsk-city");
  ASSERT_NE(minsk, nullptr);
  EXPECT_EQ(minsk->type, "city");
  EXPECT_TRUE(minsk->parent.empty());
  EXPECT_EQ(minsk->names.be, "Мінск");
  EXPECT_EQ(g->find("by-nowhere"), nullptr);
  const auto hrodna_region = ids_of(g->children("by-hrodna-region"));
  EXPECT_TRUE(contains(hrodna_region, "by-hrodna-city"));
  EXPECT_TRUE(contains(hrodna_region, "by-lida-district"));
  EXPECT_TRUE(contains(ids_of(g->children("by-lida-district")), "by-lida-town"));
}

TEST(Gazetteer, ShippedListIsWhole) {
  auto g = shipped_gazetteer();
  ASSERT_TRUE(g);
  std::set<std::string> ids;
  std::set<std::pair<double, double>> settlements;
  for (const Place& p : g->all()) {
    SCOPED_TRACE(p.id);
    EXPECT_TRUE(ids.insert(p.id).second) << "id used twice";
    EXPECT_TRUE(p.id.starts_with("by-") && p.id.ends_with("-" + p.type)) << "id names the type";
    if (p.type == "region" || p.id == "by-minsk-city") {
      EXPECT_TRUE(p.parent.empty());
    } else {
      const Place* parent = g->find(p.parent);
      ASSERT_NE(parent, nullptr) << "unknown parent " << p.parent;
      if (p.type == "district") {
        EXPECT_EQ(parent->type, "region");
      }
    }
    EXPECT_FALSE(p.names.en.empty());
    EXPECT_FALSE(p.names.be.empty());
    EXPECT_FALSE(p.names.ru.empty());
    EXPECT_TRUE(inside_belarus(p.latitude, p.longitude)) << p.latitude << ", " << p.longitude;
    if (p.type == "city" || p.type == "town") settlements.insert({p.latitude, p.longitude});
    // Every spelling the list gives finds its own place.
    std::vector<std::string> spellings = {p.names.en, p.names.be, p.names.ru};
    spellings.insert(spellings.end(), p.variants.begin(), p.variants.end());
    for (const auto& s : spellings) {
      EXPECT_TRUE(contains(ids_of(g->lookup(s)), p.id)) << s << " does not find its place";
    }
  }
  for (const Place& p : g->all()) {
    if (p.type == "region") {
      EXPECT_FALSE(g->children(p.id).empty()) << p.id;
    }
    // A district's (and region's) coordinates are its centre's.
    if (p.type == "district" || p.type == "region") {
      EXPECT_TRUE(settlements.count({p.latitude, p.longitude})) << p.id << " is not at a town";
    }
  }
}

TEST(Gazetteer, FindsPlacesAcrossScriptsAndTransliterations) {
  auto g = shipped_gazetteer();
  ASSERT_TRUE(g);
  const std::map<std::string, std::vector<std::string>> spellings = {
      {"by-hrodna-city", {"Гродно", "Гродна", "Grodno", "Hrodna", "HRODNA", "  hrodna. "}},
      {"by-mahiliou-city",
       {"Магілёў", "Могилёв", "Могилев", "Mogilev", "Mahilyow", "Mahiliou", "Mahilioŭ"}},
      {"by-viciebsk-city", {"Віцебск", "Витебск", "Vitebsk", "Vitsyebsk", "Viciebsk"}},
      {"by-homiel-city", {"Гомель", "Gomel", "Homel", "Homyel'", "Homieĺ", "HOMIEL"}},
      {"by-brest-city", {"Брэст", "Брест", "Brest", "Brest-Litovsk"}},
      {"by-babrujsk-town", {"Бабруйск", "Бобруйск", "Babruysk", "Bobruisk", "Babrujsk"}},
      {"by-minsk-city", {"Мінск", "Минск", "Minsk", "г. Минск", "Minsk city"}},
      // Belarusian ў and і meet Russian в and и.
      {"by-shklou-town", {"Шклоў", "Шклов", "Shklow", "Shklov", "Škloŭ"}},
      {"by-iuje-town", {"Іўе", "Ивье", "Iwye", "Ivye"}},
      {"by-navahrudak-town", {"Навагрудак", "Новогрудок", "Novogrudok", "Navahrudak"}},
      {"by-zhodzina-town", {"Жодзіна", "Жодино", "Zhodino", "Žodzina"}},
      {"by-marjina-horka-town", {"Мар'іна Горка", "Марьина Горка", "Maryina Horka"}},
  };
  for (const auto& [id, names] : spellings) {
    for (const auto& name : names) {
      const auto found = ids_of(g->lookup(name));
      ASSERT_FALSE(found.empty()) << name;
      EXPECT_EQ(found.front(), id) << name;
    }
  }
  EXPECT_TRUE(g->lookup("Atlantis").empty());
  EXPECT_TRUE(g->lookup("").empty());
  EXPECT_TRUE(g->lookup(" - ").empty());
}

TEST(Gazetteer, CityBeforeRegionBeforeDistrictOfTheSameName) {
  auto g = shipped_gazetteer();
  ASSERT_TRUE(g);
  EXPECT_EQ(ids_of(g->lookup("Гродно")),
            (std::vector<std::string>{"by-hrodna-city", "by-hrodna-region", "by-hrodna-district"}));
  EXPECT_EQ(ids_of(g->lookup("Lida")),
            (std::vector<std::string>{"by-lida-town", "by-lida-district"}));
  EXPECT_EQ(ids_of(g->lookup("Пухавічы")), (std::vector<std::string>{"by-puchavichy-district"}));
  // The generic words are one word in every language.
  for (const char* region : {"Grodno Oblast", "Hrodna Region", "Гродзенская вобласць",
                             "Гродненская область", "Hrodna voblasts", "hrodna  REGION"}) {
    EXPECT_EQ(ids_of(g->lookup(region)), (std::vector<std::string>{"by-hrodna-region"})) << region;
  }
  for (const char* district :
       {"Гродненский район", "Hrodna District", "Grodno raion", "Гродзенскі раён"}) {
    EXPECT_EQ(ids_of(g->lookup(district)), (std::vector<std::string>{"by-hrodna-district"}))
        << district;
  }
}

TEST(Gazetteer, SuggestsExactThenPrefixThenLaterWords) {
  auto g = shipped_gazetteer();
  ASSERT_TRUE(g);
  EXPECT_EQ(ids_of(g->suggest("Minsk", 3)),
            (std::vector<std::string>{"by-minsk-city", "by-minsk-region", "by-minsk-district"}));
  auto hro = ids_of(g->suggest("Hro", 10));
  ASSERT_FALSE(hro.empty());
  EXPECT_EQ(hro.front(), "by-hrodna-city");
  EXPECT_EQ(ids_of(g->suggest("Гродн", 1)), (std::vector<std::string>{"by-hrodna-city"}));
  EXPECT_EQ(ids_of(g->suggest("Mogil", 1)), (std::vector<std::string>{"by-mahiliou-city"}));
  EXPECT_EQ(ids_of(g->suggest("Bobr", 1)), (std::vector<std::string>{"by-babrujsk-town"}));
  // A later word: Vialikaja Bierastavica.
  EXPECT_TRUE(contains(ids_of(g->suggest("Bierastav", 5)), "by-vialikaja-bierastavica-town"));
  // An exact name ranks before a longer one it begins: Lida before Lidski…
  auto lida = ids_of(g->suggest("Lida", 10));
  ASSERT_GE(lida.size(), 2U);
  EXPECT_EQ(lida[0], "by-lida-town");
  EXPECT_EQ(lida[1], "by-lida-district");
  EXPECT_EQ(g->suggest("Hro", 2).size(), 2U);
  EXPECT_TRUE(g->suggest("", 10).empty());
  EXPECT_TRUE(g->suggest("Qqqq", 10).empty());
}

TEST(Gazetteer, LoadErrorsNameTheFileAndThePath) {
  testing::TempDir tmp;
  const std::string path = tmp / "places.json";
  testing::write_text_file(path, R"({"format": "evhub-gazetteer/1", "places": [
    {"id": "by-a-region", "type": "region", "parent": "", "latitude": 53.9, "longitude": 27.5,
     "names": {"en": "A Region", "be": "А", "ru": "А"}},
    {"id": "by-b-district", "type": "district", "parent": "by-x-region", "latitude": 53.9,
     "longitude": 27.5, "names": {"en": "B District", "be": "Б", "ru": "Б"}},
    {"id": "by-c-town", "type": "village", "parent": "by-b-district", "latitude": 27.5,
     "longitude": 53.9, "names": {"en": "C", "be": "", "ru": "C"}, "variants": [7]}]})");
  auto g = Gazetteer::load(path);
  ASSERT_FALSE(g.is_ok());
  const std::string& m = g.status().message();
  EXPECT_EQ(g.status().code(), Code::kInvalidArgument);
  EXPECT_NE(m.find(path), std::string::npos) << m;
  EXPECT_NE(m.find("places[1].parent: unknown place \"by-x-region\""), std::string::npos) << m;
  EXPECT_NE(m.find("places[2].type"), std::string::npos) << m;
  EXPECT_NE(m.find("places[2].latitude: 27.5, 53.9 is outside Belarus"), std::string::npos) << m;
  EXPECT_NE(m.find("places[2].names.be: must not be empty"), std::string::npos) << m;
  EXPECT_NE(m.find("places[2].variants[0]"), std::string::npos) << m;

  testing::write_text_file(path, R"({"format": "evhub-gazetteer/1", "places": [)");
  g = Gazetteer::load(path);
  ASSERT_FALSE(g.is_ok());
  EXPECT_NE(g.status().message().find("not valid JSON"), std::string::npos);

  testing::write_text_file(path, R"({"format": "evhub-gazetteer/1", "places": [
    {"id": "by-a-region", "type": "region", "latitude": 53.9, "longitude": 27.5,
     "names": {"en": "A", "be": "А", "ru": "А"}},
    {"id": "by-a-region", "type": "region", "latitude": 53.9, "longitude": 27.5,
     "names": {"en": "A", "be": "А", "ru": "А"}}]})");
  g = Gazetteer::load(path);
  ASSERT_FALSE(g.is_ok());
  EXPECT_NE(g.status().message().find("places[1].id: \"by-a-region\" is used twice"),
            std::string::npos)
      << g.status().message();

  g = Gazetteer::load(tmp / "missing.json");
  ASSERT_FALSE(g.is_ok());
  EXPECT_EQ(g.status().code(), Code::kNotFound);
}

// ---------------------------------------------------------------------------------------------
// The facility registry

class FacilityRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    gazetteer_ = shipped_gazetteer();
    ASSERT_TRUE(gazetteer_);
    auto r = FacilityRegistry::open(*hub_, gazetteer_);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    registry_ = std::move(*r);
  }

  // A police temporary detention facility in Babrujsk, as an analyst would add it.
  static Facility babrujsk_ivs() {
    Facility f;
    f.type = "temporary-detention";
    f.names.en = "Babrujsk Temporary Detention Facility";
    f.names.ru = "ИВС Бобруйского ГОВД";
    f.variants = {"ИВС Бобруйск", "Bobruisk IVS"};
    f.place_id = "by-babrujsk-town";
    f.precision = "city";
    f.note = "named in two testimonies";
    return f;
  }

  std::string resolved(const std::string& text) {
    auto r = registry_->resolve(text);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() && r->has_value() ? (*r)->id : "";
  }

  void reopen() {
    registry_.reset();
    auto r = FacilityRegistry::open(*hub_, gazetteer_);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    registry_ = std::move(*r);
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::shared_ptr<const Gazetteer> gazetteer_;
  std::unique_ptr<FacilityRegistry> registry_;
};

TEST_F(FacilityRegistryTest, ShippedFacilitiesAreWhole) {
  auto all = registry_->all();
  ASSERT_TRUE(all.is_ok());
  ASSERT_GE(all->size(), 30U);
  std::set<std::string> ids;
  for (const Facility& f : *all) {
    SCOPED_TRACE(f.id);
    EXPECT_TRUE(ids.insert(f.id).second);
    EXPECT_TRUE(f.shipped);
    EXPECT_EQ(f.version, 1);
    EXPECT_TRUE(std::find_if(std::begin(kFacilityTypes), std::end(kFacilityTypes),
                             [&](const char* t) { return f.type == t; }) !=
                std::end(kFacilityTypes));
    const Place* place = gazetteer_->find(f.place_id);
    ASSERT_NE(place, nullptr) << "unknown place " << f.place_id;
    EXPECT_TRUE(inside_belarus(f.latitude, f.longitude));
    if (f.precision != "site") {
      EXPECT_EQ(f.latitude, place->latitude);
      EXPECT_EQ(f.longitude, place->longitude);
    }
    EXPECT_FALSE(f.names.en.empty());
    EXPECT_FALSE(f.names.be.empty());
    EXPECT_FALSE(f.names.ru.empty());
    // Every name and variant resolves to its own facility: none is shared by two.
    std::vector<std::string> spellings = {f.names.en, f.names.be, f.names.ru};
    spellings.insert(spellings.end(), f.variants.begin(), f.variants.end());
    for (const auto& s : spellings) EXPECT_EQ(resolved(s), f.id) << s;
  }
}

TEST_F(FacilityRegistryTest, FindsFacilitiesByTheirVariants) {
  for (const char* name : {"Okrestina", "Окрестина", "Akrestsina", "АКРЭСЦІНА", "Akrescina",
                           "ЦИП на Окрестина", "ЦИП Окрестина", "ЦИОП на Окрестина",
                           "Akrestsina isolation centre", "fac-minsk-akrestsina-cip"}) {
    EXPECT_EQ(resolved(name), "fac-minsk-akrestsina-cip") << name;
  }
  EXPECT_EQ(resolved("ИВС на Окрестина"), "fac-minsk-akrestsina-ivs");
  EXPECT_EQ(resolved("Valadarka"), "fac-minsk-sizo-1");
  EXPECT_EQ(resolved("Володарка"), "fac-minsk-sizo-1");
  EXPECT_EQ(resolved("Американка"), "fac-minsk-kgb-sizo");
  EXPECT_EQ(resolved("Amerykanka"), "fac-minsk-kgb-sizo");
  EXPECT_EQ(resolved("ИК-15"), "fac-mahiliou-ik-15");
  EXPECT_EQ(resolved("IK 15"), "fac-mahiliou-ik-15");
  EXPECT_EQ(resolved("Тюрьма № 8"), "fac-zhodzina-prison-8");
  EXPECT_EQ(resolved("Zhodino prison"), "fac-zhodzina-prison-8");
  EXPECT_EQ(resolved("Волчьи норы"), "fac-ivacevichy-ik-22");
  EXPECT_EQ(resolved("Atlantis"), "");
  EXPECT_EQ(resolved(""), "");

  auto found = registry_->lookup("Okrestina");
  ASSERT_TRUE(found.is_ok());
  ASSERT_FALSE(found->empty());
  EXPECT_EQ(found->front().id, "fac-minsk-akrestsina-cip");
  EXPECT_EQ(found->front().address, "г. Минск, ул. Окрестина, 36");

  auto typed = registry_->suggest("Akrest", 10);
  ASSERT_TRUE(typed.is_ok());
  const auto typed_ids = ids_of(*typed);
  EXPECT_TRUE(contains(typed_ids, "fac-minsk-akrestsina-cip"));
  EXPECT_TRUE(contains(typed_ids, "fac-minsk-akrestsina-ivs"));
  auto sizo = registry_->suggest("СИЗО", 3);
  ASSERT_TRUE(sizo.is_ok());
  EXPECT_EQ(sizo->size(), 3U);
}

TEST_F(FacilityRegistryTest, AddsAndCorrectsFacilitiesKeepingEveryVersion) {
  auto added = registry_->add(babrujsk_ivs(), "user-1");
  ASSERT_TRUE(added.is_ok()) << added.status().to_string();
  EXPECT_TRUE(added->id.starts_with("fac-"));
  EXPECT_EQ(added->version, 1);
  EXPECT_FALSE(added->shipped);
  EXPECT_EQ(added->edited_by, "user-1");
  const Place* babrujsk = gazetteer_->find("by-babrujsk-town");
  EXPECT_EQ(added->latitude, babrujsk->latitude);  // located by its town
  EXPECT_EQ(added->longitude, babrujsk->longitude);
  EXPECT_EQ(resolved("Bobruisk IVS"), added->id);
  EXPECT_EQ(resolved("ИВС Бабруйск"), added->id);  // another script and spelling

  Facility corrected = *added;
  corrected.address = "г. Бобруйск";
  corrected.precision = "site";
  corrected.latitude = 53.15;
  corrected.longitude = 29.22;
  corrected.note = "address from a second testimony";
  auto v2 = registry_->update(corrected, "user-2");
  ASSERT_TRUE(v2.is_ok()) << v2.status().to_string();
  EXPECT_EQ(v2->version, 2);

  auto got = registry_->get(added->id);
  ASSERT_TRUE(got.is_ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->address, "г. Бобруйск");
  EXPECT_EQ((*got)->latitude, 53.15);
  EXPECT_EQ((*got)->note, "address from a second testimony");
  EXPECT_EQ((*got)->edited_by, "user-2");

  auto history = registry_->history(added->id);
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ(history->at(0).version, 1);
  EXPECT_EQ(history->at(0).note, "named in two testimonies");
  EXPECT_EQ(history->at(1).version, 2);

  auto none = registry_->get("fac-unknown");
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->has_value());
  auto unknown = registry_->update(babrujsk_ivs(), "user-1");  // no id
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
}

TEST_F(FacilityRegistryTest, AHubVersionOfAShippedFacilityReplacesIt) {
  auto shipped = registry_->get("fac-minsk-sizo-1");
  ASSERT_TRUE(shipped.is_ok() && shipped->has_value());
  EXPECT_TRUE((*shipped)->shipped);
  EXPECT_EQ((*shipped)->version, 1);
  Facility f = **shipped;
  f.address = "г. Минск, ул. Володарского, 2 (corrected)";
  f.variants.push_back("Pishchalauski zamak");
  f.note = "a corrected address";
  auto v2 = registry_->update(f, "user-1");
  ASSERT_TRUE(v2.is_ok()) << v2.status().to_string();
  EXPECT_EQ(v2->version, 2);

  auto now = registry_->get("fac-minsk-sizo-1");
  ASSERT_TRUE(now.is_ok() && now->has_value());
  EXPECT_FALSE((*now)->shipped);
  EXPECT_EQ((*now)->address, "г. Минск, ул. Володарского, 2 (corrected)");
  EXPECT_EQ(resolved("Pishchalauski zamak"), "fac-minsk-sizo-1");

  auto history = registry_->history("fac-minsk-sizo-1");
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2U);
  EXPECT_TRUE(history->at(0).shipped);
  EXPECT_EQ(history->at(0).address, "г. Минск, ул. Володарского, 2");
  EXPECT_FALSE(history->at(1).shipped);

  auto all = registry_->all();
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(std::count_if(all->begin(), all->end(),
                          [](const Facility& x) { return x.id == "fac-minsk-sizo-1"; }),
            1);
}

TEST_F(FacilityRegistryTest, AStaleVersionIsRefused) {
  auto shipped = registry_->get("fac-minsk-akrestsina-cip");
  ASSERT_TRUE(shipped.is_ok() && shipped->has_value());
  Facility mine = **shipped;
  Facility theirs = **shipped;
  theirs.note = "first";
  ASSERT_TRUE(registry_->update(theirs, "user-2").is_ok());
  mine.address = "something else";
  auto stale = registry_->update(mine, "user-1");
  ASSERT_FALSE(stale.is_ok());
  EXPECT_EQ(stale.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(stale.status().message().find("it is at version 2"), std::string::npos)
      << stale.status().message();
  EXPECT_NE(stale.status().message().find("reload"), std::string::npos);
  auto kept = registry_->get("fac-minsk-akrestsina-cip");
  ASSERT_TRUE(kept.is_ok() && kept->has_value());
  EXPECT_EQ((*kept)->address, "г. Минск, ул. Окрестина, 36");
}

TEST_F(FacilityRegistryTest, BadFacilitiesAreRefusedWithAReason) {
  auto refused = [&](Facility f, const std::string& expected) {
    auto r = registry_->add(std::move(f), "user-1");
    EXPECT_FALSE(r.is_ok()) << expected;
    if (r.is_ok()) return;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().to_string();
    EXPECT_NE(r.status().message().find(expected), std::string::npos) << r.status().message();
  };
  Facility f = babrujsk_ivs();
  f.type = "camp";
  refused(f, "type: \"camp\" is not a facility type");

  f = babrujsk_ivs();
  f.precision = "site";
  f.latitude = 40.1;
  f.longitude = 29.2;
  refused(f, "40.1, 29.2 is outside Belarus");

  f = babrujsk_ivs();
  f.precision = "site";
  f.latitude = 29.22;  // swapped
  f.longitude = 53.15;
  refused(f, "outside Belarus");

  f = babrujsk_ivs();
  f.place_id = "by-atlantis-town";
  refused(f, "place_id: unknown place \"by-atlantis-town\"");

  f = babrujsk_ivs();
  f.place_id.clear();
  refused(f, "place_id: missing");

  f = babrujsk_ivs();
  f.place_id = "by-babrujsk-district";  // a district is not a town
  refused(f, "precision: \"city\" takes the coordinates of a city or town");

  f = babrujsk_ivs();
  f.names = {};
  refused(f, "a name in at least one of en, be, ru");

  f = babrujsk_ivs();
  f.names.en = " padded ";
  refused(f, "names.en: starts or ends with white space");

  f = babrujsk_ivs();
  f.country = "LT";  // only an other-site can be abroad
  f.place_id.clear();
  f.precision = "site";
  f.latitude = 54.69;
  f.longitude = 25.28;
  refused(f, "only an other-site can be abroad");

  f.type = "other-site";
  f.names = {"A meeting point in Vilnius", "", ""};
  f.variants.clear();
  auto abroad = registry_->add(f, "user-1");
  ASSERT_TRUE(abroad.is_ok()) << abroad.status().to_string();
  EXPECT_EQ(abroad->latitude, 54.69);

  auto nobody = registry_->add(babrujsk_ivs(), "");
  EXPECT_EQ(nobody.status().code(), Code::kInvalidArgument);

  // A second facility of the same name in the same place.
  ASSERT_TRUE(registry_->add(babrujsk_ivs(), "user-1").is_ok());
  Facility twin = babrujsk_ivs();
  twin.names.en = "BABRUJSK temporary detention facility";
  auto again = registry_->add(twin, "user-2");
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists) << again.status().to_string();
  twin.place_id = "by-asipovichy-town";  // the same name elsewhere is another facility
  EXPECT_TRUE(registry_->add(twin, "user-2").is_ok());
}

TEST_F(FacilityRegistryTest, DeletingRegistryDbRebuildsTheSameRegistry) {
  auto added = registry_->add(babrujsk_ivs(), "user-1");
  ASSERT_TRUE(added.is_ok());
  Facility v2 = *added;
  v2.address = "г. Бобруйск";
  ASSERT_TRUE(registry_->update(v2, "user-1").is_ok());
  auto sizo = registry_->get("fac-minsk-sizo-1");
  ASSERT_TRUE(sizo.is_ok() && sizo->has_value());
  Facility amended = **sizo;
  amended.variants.push_back("Pishchalauski zamak");
  ASSERT_TRUE(registry_->update(amended, "user-2").is_ok());

  auto before = registry_->all();
  ASSERT_TRUE(before.is_ok());
  auto history_before = registry_->history(added->id);
  ASSERT_TRUE(history_before.is_ok());

  registry_.reset();
  {
    std::ifstream in(hub_->layout().registry(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(bytes.find("Babrujsk Temporary Detention Facility"), std::string::npos);
    EXPECT_EQ(bytes.find("named in two testimonies"), std::string::npos);  // notes stay sealed
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((hub_->layout().registry() + suffix).c_str());
  }
  reopen();
  auto after = registry_->all();
  ASSERT_TRUE(after.is_ok());
  ASSERT_EQ(after->size(), before->size());
  for (std::size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ(nlohmann::json(after->at(i).names.en), nlohmann::json(before->at(i).names.en));
    EXPECT_EQ(after->at(i).id, before->at(i).id);
    EXPECT_EQ(after->at(i).version, before->at(i).version);
    EXPECT_EQ(after->at(i).address, before->at(i).address);
    EXPECT_EQ(after->at(i).variants, before->at(i).variants);
  }
  auto history_after = registry_->history(added->id);
  ASSERT_TRUE(history_after.is_ok());
  EXPECT_EQ(history_after->size(), history_before->size());
  EXPECT_EQ(resolved("Pishchalauski zamak"), "fac-minsk-sizo-1");
}

TEST_F(FacilityRegistryTest, AnotherInstanceSeesChangesThroughTheLog) {
  auto other = FacilityRegistry::open(*hub_, gazetteer_);
  ASSERT_TRUE(other.is_ok());
  auto added = registry_->add(babrujsk_ivs(), "user-1");
  ASSERT_TRUE(added.is_ok());
  auto seen = (*other)->resolve("Bobruisk IVS");
  ASSERT_TRUE(seen.is_ok());
  ASSERT_TRUE(seen->has_value());
  EXPECT_EQ((*seen)->id, added->id);
}

TEST_F(FacilityRegistryTest, ShippedFileErrorsNameTheFileAndThePath) {
  const std::string path = tmp_ / "facilities.json";
  testing::write_text_file(path, R"({"format": "evhub-facilities/1", "facilities": [
    {"id": "fac-a", "type": "prison", "place_id": "by-atlantis-town", "precision": "city",
     "names": {"en": "A"}},
    {"id": "fac-b", "type": "prison", "place_id": "by-minsk-city", "precision": "city",
     "latitude": 53.9, "longitude": 27.5, "names": {"en": "B"}},
    {"id": "fac-b", "type": "jail", "place_id": "by-minsk-city", "precision": "site",
     "names": {"en": "C"}}]})");
  auto r = FacilityRegistry::open(*hub_, gazetteer_, path);
  ASSERT_FALSE(r.is_ok());
  const std::string& m = r.status().message();
  EXPECT_NE(m.find(path), std::string::npos) << m;
  EXPECT_NE(m.find("facilities[0].place_id: unknown place \"by-atlantis-town\""), std::string::npos)
      << m;
  EXPECT_NE(m.find("facilities[1].latitude: a facility located by its city"), std::string::npos)
      << m;
  EXPECT_NE(m.find("facilities[2].id: \"fac-b\" is used twice"), std::string::npos) << m;
  EXPECT_NE(m.find("facilities[2].type"), std::string::npos) << m;
  EXPECT_NE(m.find("facilities[2].latitude: a site needs its latitude and longitude"),
            std::string::npos)
      << m;
}

}  // namespace
}  // namespace evhub::coding
