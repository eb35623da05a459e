#include "search/names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "search/names_internal.h"

namespace evhub::search {
namespace {

using internal::InitialVowel;

// Names of invented people: each surname is made up, each first name is a common one; every
// entry is the Belarusian form and its Russian cognate, related by the regular correspondences
// (akanne, ц/т and дз/д before soft vowels, ў/в, г/g, doubled soft consonants). Irregular pairs
// (Ганна/Анна, Вольга/Ольга, Мікалай/Николай) come from a table: see
// GivenNamesWhoseRussianFormIsAnotherWord.
struct Cognates {
  const char* belarusian;
  const char* russian;
};
const std::vector<Cognates>& names() {
  static const std::vector<Cognates> list = {
      // Surnames.
      {"Жураўлёнак", "Журавлёнок"},
      {"Цішкевіч", "Тишкевич"},
      {"Дзямідчык", "Демидчик"},
      {"Лапацінская", "Лопатинская"},
      {"Гарбузевіч", "Горбузевич"},
      {"Сцяпурка", "Степурко"},
      {"Пацюкевіч", "Патюкевич"},
      {"Хадаровіч", "Ходорович"},
      {"Шчарбацэвіч", "Щербацевич"},
      {"Ярашэвіч", "Ярошевич"},
      {"Бародзіч", "Бородич"},
      {"Мінцэвіч", "Минцевич"},
      {"Чарнагузава", "Черногузова"},
      {"Сакалоўскі", "Соколовский"},
      {"Рагачэўская", "Рогачевская"},
      {"Кузьмянкова", "Кузьменкова"},
      {"Навумчык", "Наумчик"},
      {"Дзегцярова", "Дегтярова"},
      {"Белавусава", "Беловусова"},
      {"Жыгалковіч", "Жигалкович"},
      {"Пуставойтава", "Пустовойтова"},
      {"Ціхамірава", "Тихомирова"},
      {"Шаўчэня", "Шевченя"},
      {"Лабанаўскі", "Лобановский"},
      {"Зелянеўскі", "Зеленевский"},
      {"Галавач", "Головач"},
      {"Мацкевіч", "Мацкевич"},
      {"Юркоўская", "Юрковская"},
      {"Сямашкевіч", "Семашкевич"},
      {"Касцючэнка", "Костюченко"},
      {"Рабцэвіч", "Рябцевич"},
      {"Аўдзеенка", "Авдеенко"},
      {"Садоўнічая", "Садовничая"},
      {"Палуектава", "Полуэктова"},
      {"Ермаловіч", "Ермолович"},
      {"Ляшчэня", "Лещеня"},
      {"Бурачэўская", "Бурачевская"},
      {"Клімовіч", "Климович"},
      {"Хвастовіч", "Хвостович"},
      {"Гурыновіч", "Гуринович"},
      // First names.
      {"Аляксей", "Алексей"},
      {"Сяргей", "Сергей"},
      {"Уладзімір", "Владимир"},
      {"Дзмітрый", "Дмитрий"},
      {"Ягор", "Егор"},
      {"Ігар", "Игорь"},
      {"Юрый", "Юрий"},
      {"Васіль", "Василий"},
      {"Святлана", "Светлана"},
      {"Алена", "Елена"},
      {"Таццяна", "Татьяна"},
      {"Ілля", "Илья"},
      {"Наталля", "Наталья"},
      {"Марыя", "Мария"},
      {"Віктар", "Виктор"},
      {"Андрэй", "Андрей"},
      {"Пятро", "Пётр"},
      {"Яўген", "Евгений"},
      {"Людміла", "Людмила"},
      {"Ірына", "Ирина"},
      {"Юлія", "Юлия"},
      {"Ксенія", "Ксения"},
      {"Міхаіл", "Михаил"},
      {"Арцём", "Артём"},
      {"Цімафей", "Тимофей"},
      {"Генадзь", "Геннадий"},
      {"Дзяніс", "Денис"},
      {"Вераніка", "Вероника"},
      {"Станіслаў", "Станислав"},
      {"Аксана", "Оксана"},
      {"Дар'я", "Дарья"},
  };
  return list;
}

// One spelling of a name: which name, and which system wrote it.
struct Variant {
  size_t name;
  std::string system;
  std::string text;
  NameForms forms;
};

std::vector<Variant> variants() {
  std::vector<Variant> out;
  for (size_t i = 0; i < names().size(); ++i) {
    const std::string be = names()[i].belarusian;
    const std::string ru = names()[i].russian;
    auto add = [&](const char* system, std::string text) {
      out.push_back({i, system, text, name_forms(text)});
    };
    add("cyrillic-be", be);
    add("cyrillic-ru", ru);
    add("bgn-be", romanise(be, Romanisation::kBgnPcgnBelarusian));
    add("bgn-ru", romanise(ru, Romanisation::kBgnPcgnRussian));
    add("iso9-be", romanise(be, Romanisation::kIso9));
    add("iso9-ru", romanise(ru, Romanisation::kIso9));
    add("national", romanise(be, Romanisation::kBelarusianNational));
    add("lacinka", romanise(be, Romanisation::kLacinka));
    add("passport-be", romanise(be, Romanisation::kPassportBelarusian));
    add("passport-ru", romanise(ru, Romanisation::kPassportRussian));
  }
  return out;
}

struct Measure {
  size_t pairs = 0;
  size_t matched = 0;
  size_t other_pairs = 0;
  size_t collisions = 0;
  std::map<std::string, std::pair<size_t, size_t>> by_system;  // matched, pairs
  std::vector<std::string> misses;
  double recall() const { return static_cast<double>(matched) / static_cast<double>(pairs); }
  double collision_rate() const {
    return static_cast<double>(collisions) / static_cast<double>(other_pairs);
  }
};

Measure measure(const std::vector<Variant>& all, const std::vector<std::string>& keys) {
  Measure m;
  for (size_t a = 0; a < all.size(); ++a) {
    for (size_t b = a + 1; b < all.size(); ++b) {
      const bool equal = !keys[a].empty() && keys[a] == keys[b];
      if (all[a].name != all[b].name) {
        ++m.other_pairs;
        if (equal) ++m.collisions;
        continue;
      }
      if (all[a].text == all[b].text) continue;  // two systems agreeing is not a pair to find
      ++m.pairs;
      if (equal) ++m.matched;
      for (const std::string& system : std::set<std::string>{all[a].system, all[b].system}) {
        m.by_system[system].first += equal ? 1 : 0;
        m.by_system[system].second += 1;
      }
      if (!equal) {
        m.misses.push_back(all[a].text + " (" + keys[a] + ") / " + all[b].text + " (" + keys[b] +
                           ")");
      }
    }
  }
  return m;
}

TEST(NameMatching, RecallAndCollisionsOverTheVariantPairs) {
  const std::vector<Variant> all = variants();
  std::vector<std::string> keys;
  for (const Variant& v : all) keys.push_back(v.forms.key);
  const Measure m = measure(all, keys);
  std::printf("names: %zu, spellings: %zu, variant pairs: %zu\n", names().size(), all.size(),
              m.pairs);
  std::printf("recall: %.4f (%zu/%zu)\n", m.recall(), m.matched, m.pairs);
  for (const auto& [system, counts] : m.by_system) {
    std::printf("  recall of pairs with %-12s %.4f (%zu/%zu)\n", (system + ":").c_str(),
                static_cast<double>(counts.first) / static_cast<double>(counts.second),
                counts.first, counts.second);
  }
  std::printf("pairs of different names with equal keys: %.4f (%zu/%zu)\n", m.collision_rate(),
              m.collisions, m.other_pairs);
  for (size_t i = 0; i < m.misses.size() && i < 40; ++i) {
    std::printf("  missed: %s\n", m.misses[i].c_str());
  }
  EXPECT_GE(m.pairs, 300u);
  EXPECT_GE(m.recall(), 0.95);
  EXPECT_LT(m.collision_rate(), 0.02);
}

// What the index does with a name query: fetch the spellings with the query's key, rank them
// by name_distance, show ten. Precision@10 is the share of those shown that are the query's
// name, averaged over every spelling as the query.
TEST(NameMatching, PrecisionAtTenOverTheVariantList) {
  const std::vector<Variant> all = variants();
  double sum = 0;
  size_t queries = 0;
  size_t empty = 0;
  for (size_t q = 0; q < all.size(); ++q) {
    std::vector<std::pair<double, size_t>> found;
    for (size_t d = 0; d < all.size(); ++d) {
      if (d == q || all[d].forms.key != all[q].forms.key) continue;
      found.push_back({name_distance(all[q].forms.latin, all[d].forms.latin), d});
    }
    if (found.empty()) {
      ++empty;
      continue;
    }
    std::sort(found.begin(), found.end());
    found.resize(std::min<size_t>(found.size(), 10));
    size_t relevant = 0;
    for (const auto& [distance, d] : found) relevant += all[d].name == all[q].name ? 1 : 0;
    sum += static_cast<double>(relevant) / static_cast<double>(found.size());
    ++queries;
  }
  const double precision = sum / static_cast<double>(queries);
  std::printf("precision@10: %.4f over %zu queries (%zu found nothing)\n", precision, queries,
              empty);
  EXPECT_GE(precision, 0.8);
}

// The choice of kDefaultInitialVowel, measured: each policy's recall and collision rate.
TEST(NameMatching, InitialVowelPolicies) {
  const std::vector<Variant> all = variants();
  const std::pair<InitialVowel, const char*> policies[] = {{InitialVowel::kDrop, "drop"},
                                                           {InitialVowel::kMarker, "marker"},
                                                           {InitialVowel::kLetter, "letter"}};
  for (const auto& [policy, label] : policies) {
    std::vector<std::string> keys;
    for (const Variant& v : all) keys.push_back(internal::key_of_latin(v.forms.latin, policy));
    const Measure m = measure(all, keys);
    std::printf("initial vowel %-7s recall %.4f, different names with equal keys %.4f (%zu)\n",
                label, m.recall(), m.collision_rate(), m.collisions);
  }
}

TEST(NameMatching, GivenNamesWhoseRussianFormIsAnotherWord) {
  // Irregular cognates (prothetic г and в, Belarusian хв for ф, м/н) come from a table of
  // given names, in every spelling that folds to the same latin form.
  for (const auto& [be, ru] :
       std::vector<std::pair<const char*, const char*>>{{"Ганна", "Анна"},
                                                        {"Hanna", "Anna"},
                                                        {"Вольга", "Ольга"},
                                                        {"Volha", "Olga"},
                                                        {"Хведар", "Фёдор"},
                                                        {"Мікалай", "Николай"},
                                                        {"Mikalai", "Nikolai"},
                                                        {"Mikałaj", "Nikolaj"},
                                                        {"Кацярына", "Екатерина"},
                                                        {"Katsiaryna", "Ekaterina"},
                                                        {"Язэп", "Иосиф"},
                                                        {"Зміцер", "Дмитрий"},
                                                        {"Zmicier", "Dmitry"},
                                                        {"Апанас", "Афанасий"}}) {
    EXPECT_EQ(name_forms(be).key, name_forms(ru).key) << be << " / " << ru;
    EXPECT_NE(name_forms(be).latin, name_forms(ru).latin) << "the spelling is kept";
  }
  // Words that only look alike stay apart.
  EXPECT_NE(name_forms("Гена").key, name_forms("Анна").key);
  EXPECT_NE(name_forms("Янка").key, name_forms("Иван").key);
}

TEST(NameMatching, TheDocumentedExample) {
  // The example of DESIGN.md and issue 5, a name used only as the example of the problem.
  const std::string key = name_forms("Калеснікава").key;
  EXPECT_FALSE(key.empty());
  for (const char* spelling : {"Колесникова", "Kalesnikava", "Kolesnikova", "Kalesnikova",
                               "KALESNIKAVA", "Kalyesnikava", "Kaliesnikava"}) {
    EXPECT_EQ(name_forms(spelling).key, key) << spelling;
  }
}

TEST(Romanise, BgnPcgnThroughIcu) {
  EXPECT_EQ(romanise("Ягор", Romanisation::kBgnPcgnBelarusian), "Yahor");
  EXPECT_EQ(romanise("Шчучын", Romanisation::kBgnPcgnBelarusian), "Shchuchyn");
  EXPECT_EQ(romanise("Ціханоўская", Romanisation::kBgnPcgnBelarusian), "Tsikhanowskaya");
  EXPECT_EQ(romanise("Жанна", Romanisation::kBgnPcgnBelarusian), "Zhanna");
  EXPECT_EQ(romanise("Щукин", Romanisation::kBgnPcgnRussian), "Shchukin");
  EXPECT_EQ(romanise("Юрий", Romanisation::kBgnPcgnRussian), "Yuriy");
  EXPECT_EQ(romanise("Сергей", Romanisation::kBgnPcgnRussian), "Sergey");
  EXPECT_EQ(romanise("Цыганков", Romanisation::kBgnPcgnRussian), "Tsygankov");
  // The other language's letters are romanised too, not left in Cyrillic.
  EXPECT_EQ(romanise("Щука", Romanisation::kBgnPcgnBelarusian), "Shchuka");
  EXPECT_EQ(romanise("Ўла", Romanisation::kBgnPcgnRussian), "Wla");
}

TEST(Romanise, Iso9) {
  EXPECT_EQ(romanise("Шчучын", Romanisation::kIso9), "Ščučyn");
  EXPECT_EQ(romanise("Щукин", Romanisation::kIso9), "Ŝukin");
  EXPECT_EQ(romanise("Юрый", Romanisation::kIso9), "Ûryj");
  EXPECT_EQ(romanise("Ціханоўская", Romanisation::kIso9), "Cìhanoŭskaâ");
  EXPECT_EQ(romanise("Подъячев", Romanisation::kIso9), "Podʺâčev");
  EXPECT_EQ(romanise("Ильич", Romanisation::kIso9), "Ilʹič");
  EXPECT_EQ(romanise("Эрнст", Romanisation::kIso9), "Èrnst");
  EXPECT_EQ(romanise("ЁЛКІН", Romanisation::kIso9), "ËLKÌN");
}

TEST(Romanise, BelarusianNational) {
  EXPECT_EQ(romanise("Магілёў", Romanisation::kBelarusianNational), "Mahilioŭ");
  EXPECT_EQ(romanise("Віцебск", Romanisation::kBelarusianNational), "Viciebsk");
  EXPECT_EQ(romanise("Гомель", Romanisation::kBelarusianNational), "Homieĺ");
  EXPECT_EQ(romanise("Ельск", Romanisation::kBelarusianNational), "Jeĺsk");
  EXPECT_EQ(romanise("Маладзечна", Romanisation::kBelarusianNational), "Maladziečna");
  EXPECT_EQ(romanise("Мар'я", Romanisation::kBelarusianNational), "Marja");
  EXPECT_EQ(romanise("Мар’я", Romanisation::kBelarusianNational), "Marja");
  EXPECT_EQ(romanise("Шчучын", Romanisation::kBelarusianNational), "Ščučyn");
  EXPECT_EQ(romanise("Хойнікі", Romanisation::kBelarusianNational), "Chojniki");
  EXPECT_EQ(romanise("ЯЎГЕН", Romanisation::kBelarusianNational), "JAŬHIEN");
}

TEST(Romanise, Lacinka) {
  EXPECT_EQ(romanise("Беларусь", Romanisation::kLacinka), "Biełaruś");
  EXPECT_EQ(romanise("Лепель", Romanisation::kLacinka), "Lepiel");
  EXPECT_EQ(romanise("Магілёў", Romanisation::kLacinka), "Mahiloŭ");
  EXPECT_EQ(romanise("Любоў", Romanisation::kLacinka), "Luboŭ");
  EXPECT_EQ(romanise("Ілля", Romanisation::kLacinka), "Illa");
  EXPECT_EQ(romanise("Сям'я", Romanisation::kLacinka), "Siamja");
  EXPECT_EQ(romanise("Глыбокае", Romanisation::kLacinka), "Hłybokaje");
  EXPECT_EQ(romanise("Ціханоўская", Romanisation::kLacinka), "Cichanoŭskaja");
}

TEST(Romanise, PassportBelarusian) {
  EXPECT_EQ(romanise("Аляксандр", Romanisation::kPassportBelarusian), "Aliaksandr");
  EXPECT_EQ(romanise("Сяргей", Romanisation::kPassportBelarusian), "Siarhei");
  EXPECT_EQ(romanise("Ціханоўская", Romanisation::kPassportBelarusian), "Tsikhanouskaya");
  EXPECT_EQ(romanise("Юрый", Romanisation::kPassportBelarusian), "Yury");
  EXPECT_EQ(romanise("Дзмітрый", Romanisation::kPassportBelarusian), "Dzmitry");
  EXPECT_EQ(romanise("Марыя", Romanisation::kPassportBelarusian), "Maryia");
  EXPECT_EQ(romanise("Яўген", Romanisation::kPassportBelarusian), "Yauhen");
  EXPECT_EQ(romanise("Калеснікава", Romanisation::kPassportBelarusian), "Kalesnikava");
}

TEST(Romanise, PassportRussianIcao) {
  EXPECT_EQ(romanise("Юрий", Romanisation::kPassportRussian), "Iurii");
  EXPECT_EQ(romanise("Подъячев", Romanisation::kPassportRussian), "Podieiachev");
  EXPECT_EQ(romanise("Щукина", Romanisation::kPassportRussian), "Shchukina");
  EXPECT_EQ(romanise("Хрусталёва", Romanisation::kPassportRussian), "Khrustaleva");
  EXPECT_EQ(romanise("Татьяна", Romanisation::kPassportRussian), "Tatiana");
  EXPECT_EQ(romanise("ЖУК", Romanisation::kPassportRussian), "ZHUK");
  EXPECT_EQ(romanise("Жук", Romanisation::kPassportRussian), "Zhuk");
  EXPECT_EQ(romanise("Цой", Romanisation::kPassportRussian), "Tsoi");
}

TEST(Romanise, OtherScriptsPassThrough) {
  EXPECT_EQ(romanise("Smith 2021", Romanisation::kLacinka), "Smith 2021");
  EXPECT_EQ(romanise("", Romanisation::kIso9), "");
  EXPECT_EQ(romanise("Жук і Шчур", Romanisation::kPassportBelarusian), "Zhuk i Shchur");
}

TEST(Romanise, ThreadSafe) {
  const std::string expected = romanise("Ціханоўская", Romanisation::kLacinka);
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        if (romanise("Ціханоўская", Romanisation::kLacinka) != expected) ++wrong[t];
        if (name_forms("Калеснікава").key != name_forms("Kalesnikava").key) ++wrong[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

TEST(NameForms, Edges) {
  EXPECT_EQ(name_forms("").key, "");
  EXPECT_EQ(name_forms("").latin, "");
  EXPECT_EQ(name_forms("2021").key, "");
  EXPECT_EQ(name_forms("Ян2").key, "");
  EXPECT_EQ(name_forms("Я").key, "");
  EXPECT_FALSE(name_forms("Ян").key.empty());
  // Apostrophes of every kind, and none, are one.
  const NameForms darja = name_forms("Дар'я");
  EXPECT_EQ(name_forms("Дар’я").key, darja.key);
  EXPECT_EQ(name_forms("Дарʼя").key, darja.key);
  EXPECT_EQ(name_forms("Дар’я").latin, darja.latin);
  EXPECT_EQ(name_forms("Дарья").key, darja.key);
  // Case, ё and е, mixed scripts.
  EXPECT_EQ(name_forms("ЦІШКЕВІЧ").key, name_forms("цішкевіч").key);
  EXPECT_EQ(name_forms("ЦІШКЕВІЧ").latin, name_forms("цішкевіч").latin);
  EXPECT_EQ(name_forms("Семён").key, name_forms("Семен").key);
  EXPECT_EQ(name_forms("Сямён").key, name_forms("Semyon").key);
  EXPECT_EQ(name_forms("Tsішкевіч").key, name_forms("Цішкевіч").key);
  // Latin is plain lowercase ASCII.
  EXPECT_EQ(name_forms("Ščučyn").latin, "shchuchyn");
  EXPECT_EQ(name_forms("Łukašenka").latin, name_forms("Lukashenka").latin);
  EXPECT_EQ(name_forms("Cichanoŭskaja").key, name_forms("Tikhanovskaya").key);
}

TEST(NameDistance, Normalised) {
  EXPECT_EQ(name_distance("", ""), 0);
  EXPECT_EQ(name_distance("abc", "abc"), 0);
  EXPECT_EQ(name_distance("abc", ""), 1);
  EXPECT_DOUBLE_EQ(name_distance("kalesnikava", "kolesnikova"), 2.0 / 11.0);
  EXPECT_DOUBLE_EQ(name_distance("ab", "ba"), 0.5);  // a swap is one edit
}

}  // namespace
}  // namespace evhub::search
