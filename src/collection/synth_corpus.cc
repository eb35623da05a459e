// The search corpus of `evhub synth --corpus` (synth.h): OSINT captions, posts and video
// transcripts about the same fictional officials, facilities and places as the rest of synth,
// and the fixed mix of queries bench/search_bench.sh runs over it.
//
// Latin spellings of names come from this file's own small tables (national Belarusian as in
// the name lists, Russian passport/ICAO, ISO 9 and Łacinka), not from search::romanise(): a
// corpus spelled by the very code whose matching it measures would only test that code against
// itself, and the corpus must not change when the matcher does.
#include <algorithm>
#include <cmath>
#include <ostream>
#include <string_view>

#include <fmt/format.h>

#include "collection/synth.h"
#include "collection/synth_internal.h"

namespace evhub::collection {

namespace {

using synth::in;
using synth::Lang;
using synth::Rng;
using synth::Tri;

constexpr std::uint64_t kCorpusPurpose = 0x41;
constexpr std::uint64_t kQueryPurpose = 0x42;

// A stream of its own per item, so item n is the same whatever was generated before it.
Rng item_rng(std::uint64_t seed, std::int64_t n, std::uint64_t purpose) {
  Rng mix(seed ^ (static_cast<std::uint64_t>(n) * 0x9e3779b97f4a7c15ULL) ^ (purpose << 56));
  mix.next();
  return Rng(mix.next());
}

// ---- Latin spellings of a Cyrillic name. Each table maps a lowercase letter to its Latin
// form; capitals are handled by upper-casing the first letter of the result.

// UTF-8 to code points (names are well-formed: only the generator's lists come here).
std::u32string code_points(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(c);
      i += 1;
    } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
      out.push_back(((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu));
      i += 2;
    } else {
      out.push_back(U'?');
      i += 1;
    }
  }
  return out;
}

char32_t lower(char32_t c) {
  if (c >= U'А' && c <= U'Я') return c + 0x20;
  if (c >= U'Ѐ' && c <= U'Џ') return c + 0x50;  // Ё, І, Ў ...
  return c;
}

bool is_vowel(char32_t c) {
  return std::u32string_view(U"аеёіиоуыэюяў").find(c) != std::u32string_view::npos;
}

// Upper-cases the first letter: ASCII or one of the Latin letters with a diacritic used here.
std::string capitalise(std::string s) {
  if (s.empty()) return s;
  if (s[0] >= 'a' && s[0] <= 'z') {
    s[0] = static_cast<char>(s[0] - 32);
    return s;
  }
  static const std::vector<std::pair<std::string_view, std::string_view>> kUpper = {
      {"č", "Č"}, {"š", "Š"}, {"ž", "Ž"}, {"ŝ", "Ŝ"}, {"ł", "Ł"}, {"ŭ", "Ŭ"}, {"è", "È"},
      {"â", "Â"}, {"û", "Û"}, {"ć", "Ć"}, {"ś", "Ś"}, {"ź", "Ź"}, {"ń", "Ń"}};
  for (const auto& [l, u] : kUpper) {
    if (s.starts_with(l)) return std::string(u) + s.substr(l.size());
  }
  return s;
}

// The Cyrillic letters and, position by position, their Latin forms in each system.
constexpr std::u32string_view kLetters = U"абвгдежзийклмнопрстуфхцчшщъыьэюяёіў";
// Russian passports (ICAO Doc 9303, 2013): Андрей Ковалевич -> Andrei Kovalevich.
const char* const kIcao[] = {"a",  "b",    "v",  "g", "d", "e", "zh", "z",  "i", "i",  "k",  "l",
                             "m",  "n",    "o",  "p", "r", "s", "t",  "u",  "f", "kh", "ts", "ch",
                             "sh", "shch", "ie", "y", "",  "e", "iu", "ia", "e", "i",  "u"};
// ISO 9:1995, without the soft and hard signs' primes (rarely typed): Andrej Kovalevič.
const char* const kIso9[] = {"a", "b", "v", "g", "d", "e", "ž", "z", "i", "j", "k", "l",
                             "m", "n", "o", "p", "r", "s", "t", "u", "f", "h", "c", "č",
                             "š", "ŝ", "",  "y", "",  "è", "û", "â", "ë", "ì", "ǔ"};
// Classical Łacinka, for the letters that need no context (е ё ю я л ь are handled apart).
const char* const kLacinka[] = {"a", "b",  "v", "h", "d", "",  "ž", "z", "i", "j",  "k", "",
                                "m", "n",  "o", "p", "r", "s", "t", "u", "f", "ch", "c", "č",
                                "š", "šč", "",  "y", "",  "e", "",  "",  "",  "i",  "ŭ"};
static_assert(std::size(kIcao) == kLetters.size() && std::size(kIso9) == kLetters.size() &&
              std::size(kLacinka) == kLetters.size());

// One letter through a table; characters that are not Cyrillic letters are dropped.
const char* latin(const char* const* table, char32_t c) {
  const std::size_t i = kLetters.find(c);
  return i == std::u32string_view::npos ? "" : table[i];
}

std::string icao_russian(std::string_view word) {
  std::string out;
  for (char32_t c : code_points(word)) out += latin(kIcao, lower(c));
  return capitalise(out);
}

std::string iso9(std::string_view word) {
  std::string out;
  for (char32_t c : code_points(word)) out += latin(kIso9, lower(c));
  if (out.starts_with("ë")) out.replace(0, 2, "e");
  return capitalise(out);
}

// Classical Łacinka of the Belarusian form: Андрэй Кавалевіч -> Andrej Kavalevič,
// Шаўчук -> Šaŭčuk, Мельнічук -> Mielničuk (л is ł before hard vowels, l before soft ones).
std::string lacinka(std::string_view word) {
  const std::u32string w = code_points(word);
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char32_t c = lower(w[i]);
    const char32_t prev = i > 0 ? lower(w[i - 1]) : U' ';
    const char32_t next = i + 1 < w.size() ? lower(w[i + 1]) : U' ';
    const std::size_t soft_vowel = std::u32string_view(U"еёюя").find(c);
    if (soft_vowel != std::u32string_view::npos) {
      // After a vowel, at the start or after ь: "j"; after л it only softens л; else "i".
      if (i == 0 || is_vowel(prev) || prev == U'ь' || prev == U'\'') {
        out += "j";
      } else if (prev != U'л') {
        out += "i";
      }
      out += "eoua"[soft_vowel];
    } else if (c == U'л') {
      out += std::u32string_view(U"еёюяіь").find(next) != std::u32string_view::npos ? "l" : "ł";
    } else if (c == U'ь') {
      // The soft sign marks the consonant before it: ś, ź, ń, ć.
      static const std::vector<std::pair<std::string_view, std::string_view>> kSoft = {
          {"s", "ś"}, {"z", "ź"}, {"n", "ń"}, {"c", "ć"}};
      for (const auto& [hard, soft] : kSoft) {
        if (out.ends_with(hard)) {
          out.replace(out.size() - hard.size(), hard.size(), soft);
          break;
        }
      }
    } else {
      out += latin(kLacinka, c);
    }
  }
  return capitalise(out);
}

// A word in every spelling the corpus writes it in.
struct Spellings {
  std::string be, ru, en, icao, iso, lacinka;
};
Spellings spellings(const NameForms& n) {
  return {n.be, n.ru, n.en, icao_russian(n.ru), iso9(n.ru), lacinka(n.be)};
}
const std::vector<Spellings>& given_spellings() {
  static const std::vector<Spellings> all = [] {
    std::vector<Spellings> v;
    for (const auto& n : synth_male_names()) v.push_back(spellings(n));
    return v;
  }();
  return all;
}
const std::vector<Spellings>& surname_spellings() {
  static const std::vector<Spellings> all = [] {
    std::vector<Spellings> v;
    for (const auto& n : synth_surnames()) v.push_back(spellings(n));
    return v;
  }();
  return all;
}

// How a text in `lang` writes a name: mostly in its own language's form; Cyrillic texts
// sometimes quote the other Cyrillic form, English texts use any of the Latin systems.
const std::string& spell(const Spellings& s, Lang lang, int choice) {
  switch (lang) {
    case Lang::kBe:
      return choice < 85 ? s.be : s.ru;
    case Lang::kRu:
      return choice < 85 ? s.ru : s.be;
    case Lang::kEn:
      return choice < 50 ? s.en : choice < 80 ? s.icao : choice < 90 ? s.iso : s.lacinka;
  }
  return s.en;
}

// ---- Words. The common ones are ordered roughly by frequency (picked with a Zipf-like
// skew); the first kStopWords of each list are too common to be worth a query.
constexpr int kStopWords = 20;
// Space-separated, most frequent first.
const char* const kCommonWords[] = {
    // be
    "і у на не што з гэта як а да па але яны мы было за ад пра калі так людзі затрыманыя "
    "міліцыя суд горад вуліца відэа пратэст акцыя шэсце арышт штраф сутак турма камера адвакат "
    "сваякі сведка сведкі фота здымкі паведамленне канал навіны праваабаронцы палітвязні "
    "вызваленне прысуд справа артыкул пратакол аўтазак форме дубінкі збіццё катаванні пагрозы "
    "ціск допыт абшук тэлефон рэчы грошы праца універсітэт студэнты пенсіянеры жанчыны мужчыны "
    "дзеці бацькі сябры суседзі шмат некалькі дзесяткі сотні раніцай вечарам ноччу сёння учора "
    "пасля нават таксама каля ўлады выбары галасаванне ўчастак назіральнікі сцяг кветкі ланцуг "
    "салідарнасць страйк завод рабочыя урачы журналісты рэдакцыя блакаванне",
    // ru
    "и в на не что с это как а до по но они мы было за от про когда так люди задержанные "
    "милиция суд город улица видео протест акция шествие арест штраф суток тюрьма камера адвокат "
    "родственники свидетель свидетели фото снимки сообщение канал новости правозащитники "
    "политзаключенные освобождение приговор дело статья протокол автозак форме дубинки избиение "
    "пытки угрозы давление допрос обыск телефон вещи деньги работа университет студенты "
    "пенсионеры женщины мужчины дети родители друзья соседи много несколько десятки сотни утром "
    "вечером ночью сегодня вчера после даже также около власти выборы голосование участок "
    "наблюдатели флаг цветы цепь солидарность забастовка завод рабочие врачи журналисты "
    "редакция блокировка",
    // en
    "the and to of a in was were they we it on that for with at by from not after people "
    "detained police court city street video protest rally march arrest fine days prison cell "
    "lawyer relatives witness witnesses photo footage message channel news defenders prisoners "
    "release sentence case article report van uniform batons beating torture threats pressure "
    "interrogation search phone belongings money work university students pensioners women men "
    "children parents friends neighbours many several dozens hundreds morning evening night "
    "today yesterday even also near authorities election vote polling observers flag flowers "
    "chain solidarity strike factory workers doctors journalists newsroom blocking"};

const std::vector<std::vector<std::string_view>>& common_words() {
  static const std::vector<std::vector<std::string_view>> words = [] {
    std::vector<std::vector<std::string_view>> all;
    for (const char* list : kCommonWords) {
      std::vector<std::string_view> v;
      std::string_view rest(list);
      while (!rest.empty()) {
        const std::size_t space = rest.find(' ');
        v.push_back(rest.substr(0, space));
        rest = space == std::string_view::npos ? "" : rest.substr(space + 1);
      }
      all.push_back(std::move(v));
    }
    return all;
  }();
  return words;
}

// A long tail of made-up words (handles, nicknames, rare names, typos in real data): word k
// of a language is spelled from k's digits in syllables, so it needs no table.
constexpr int kTailWords = 200000;
std::string tail_word(Lang lang, int k) {
  static const std::vector<std::vector<std::string_view>> syllables = {
      {"ба",  "ві",  "да", "зо", "ка", "лу", "мі", "на", "ро", "сы",  "ту",
       "фе",  "ха",  "ця", "чу", "шы", "ля", "ню", "го", "жа", "дзе", "ску",
       "бры", "ўла", "пя", "ме", "кі", "ву", "то", "лі", "ра", "со"},
      {"ба",  "ви",  "да", "зо", "ка", "лу", "ми", "на", "ро", "сы",  "ту",
       "фе",  "ха",  "ця", "чу", "ши", "ля", "ню", "го", "жа", "дзе", "ску",
       "бры", "вла", "пя", "ме", "ки", "ву", "то", "ли", "ра", "со"},
      {"ba",  "vi",  "da",  "zo",  "ka",  "lu", "mi", "na", "ro",  "sy",  "tu",
       "fe",  "ha",  "tsa", "chu", "shi", "la", "nu", "go", "zha", "dze", "sku",
       "bry", "vla", "pa",  "me",  "ki",  "vu", "to", "li", "ra",  "so"}};
  const auto& syl = syllables[static_cast<std::size_t>(lang)];
  // Two syllables at least, so no made-up word is one of the common ones.
  std::uint64_t x = static_cast<std::uint64_t>(k) * 2654435761ULL + 12345;
  std::string w;
  const int count = 2 + static_cast<int>(x % 3);
  x /= 3;
  for (int i = 0; i < count; ++i) {
    w += syl[x % syl.size()];
    x /= syl.size();
  }
  return w;
}

// Rank in [0, n) with P(k) about 1/(k+1): log-uniform.
int zipf(Rng& rng, int n) {
  const int k = static_cast<int>(std::exp(rng.unit() * std::log(static_cast<double>(n)))) - 1;
  return std::clamp(k, 0, n - 1);
}

// ---- OSINT sentences. Slots: {official} (rank and name), {name} (name only), {unit},
// {facility}, {place}, {place_name}, {date}, {act}, {channel}, {days}, {count}, {street}.
// No sentence starts with a slot that begins in lower case.
const std::vector<Tri> kLead = {
    {"{date} {place} супрацоўнікі {unit} затрымалі каля {count} чалавек.",
     "{date} {place} сотрудники {unit} задержали около {count} человек.",
     "On {date} officers of {unit} detained about {count} people {place}."},
    {"Відэа знята {date} на вуліцы {street} {place}.",
     "Видео снято {date} на улице {street} {place}.",
     "The video was filmed on {date} on {street} Street {place}."},
    {"Паведамленне ад {date}: {place} зноў затрыманні, працуюць {unit}.",
     "Сообщение от {date}: {place} снова задержания, работают {unit}.",
     "Report of {date}: more arrests {place}, by {unit}."}};
const std::vector<Tri> kAboutFacility = {
    {"Паводле нашых крыніц, затрыманых утрымліваюць {facility}.",
     "По нашим источникам, задержанных держат {facility}.",
     "According to our sources, the detainees are held {facility}."},
    {"Родныя паведамляюць, што {facility} не прымаюць перадачы і лекі.",
     "Родственники сообщают, что {facility} не принимают передачи и лекарства.",
     "Relatives say that parcels and medicines are refused {facility}."},
    {"Былыя вязні расказваюць, што {facility} супрацоўнікі {act}.",
     "Бывшие заключенные рассказывают, что {facility} сотрудники {act}.",
     "Former detainees say that {facility} the officers {act}."}};
const std::vector<Tri> kAboutOfficial = {
    {"На відэа відаць, як {official} асабіста кіруе затрыманнем.",
     "На видео видно, как {official} лично руководит задержанием.",
     "The video shows {official} personally directing the arrests."},
    {"Прозвішча {name} неаднаразова згадваецца ў сведчаннях былых палітвязняў.",
     "Фамилия {name} неоднократно упоминается в показаниях бывших политзаключенных.",
     "The name {name} comes up again and again in the testimonies of former political "
     "prisoners."},
    {"Пратакол складаў {official}, у судзе ён сведчыў пад іншым прозвішчам.",
     "Протокол составлял {official}, в суде он давал показания под другой фамилией.",
     "The report was written by {official}, who testified in court under another name."},
    {"Апублікаваны спіс супрацоўнікаў {unit}; у ім ёсць {name}.",
     "Опубликован список сотрудников {unit}; в нем есть {name}.",
     "A list of officers of {unit} has been published; it includes {name}."},
    {"Суддзя {name} прызначыў арышт на {days} сутак без допыту сведак.",
     "Судья {name} назначил арест на {days} суток без допроса свидетелей.",
     "Judge {name} ordered {days} days of arrest without hearing any witness."}};
const std::vector<Tri> kOther = {
    {"Сведкі кажуць, што супрацоўнікі {act}.", "Свидетели говорят, что сотрудники {act}.",
     "Witnesses say that the officers {act}."},
    {"Канал {channel} апублікаваў здымкі: аўтазакі стаяць ля будынка суда.",
     "Канал {channel} опубликовал снимки: автозаки стоят у здания суда.",
     "The channel {channel} published footage of prison vans outside the court building."},
    {"Пасля вызвалення людзі расказалі, што {act}.",
     "После освобождения люди рассказали, что {act}.",
     "After their release people told us that they {act}."},
    {"Калі вы пазналі каго-небудзь на відэа, напішыце нам.",
     "Если вы узнали кого-нибудь на видео, напишите нам.",
     "If you recognise anyone in the video, write to us."},
    {"Праваабаронцы прызналі затрыманых палітвязнямі.",
     "Правозащитники признали задержанных политзаключенными.",
     "Human rights defenders recognised the detainees as political prisoners."}};
const std::vector<Tri> kStreets = {{"Сурганава", "Сурганова", "Surhanava"},
                                   {"Багдановіча", "Богдановича", "Bahdanovicha"},
                                   {"Казлова", "Козлова", "Kazlova"},
                                   {"Якуба Коласа", "Якуба Коласа", "Yakuba Kolasa"}};
const Tri kCaptionTitle = {"Відэа {date}, {channel}", "Видео {date}, {channel}",
                           "Video {date}, {channel}"};
const Tri kPostTitle = {"Допіс {channel}, {date}", "Пост {channel}, {date}",
                        "Post by {channel}, {date}"};
const Tri kTranscriptTitle = {"Расшыфроўка відэа {channel}, {date}",
                              "Расшифровка видео {channel}, {date}",
                              "Transcript of a video by {channel}, {date}"};

// What one item talks about.
struct Subject {
  Lang lang = Lang::kEn;
  int day = 0;
  int place = 0;
  int facility = -1;  // -1: none named
  int unit = 0;
  std::vector<int> officials;  // given * 1000 + surname
  std::vector<int> ranks;
  std::string channel;
  std::string street;
  int days = 15;
  int count = 20;
};

int words_in(std::string_view s) {
  int n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// Fills a sentence's slots; `official` picks which of the subject's officials is named.
std::string fill(Rng& rng, const char* tmpl, const Subject& s, std::size_t official) {
  std::string out;
  const std::string_view t(tmpl);
  std::size_t i = 0;
  while (i < t.size()) {
    const std::size_t open = t.find('{', i);
    if (open == std::string_view::npos) {
      out.append(t.substr(i));
      break;
    }
    out.append(t.substr(i, open - i));
    const std::size_t close = t.find('}', open);
    const std::string_view slot = t.substr(open + 1, close - open - 1);
    i = close + 1;
    const Lang l = s.lang;
    if (slot == "official" || slot == "name") {
      const int o = s.officials[official % s.officials.size()];
      const auto& given = given_spellings()[static_cast<std::size_t>(o / 1000)];
      const auto& surname = surname_spellings()[static_cast<std::size_t>(o % 1000)];
      if (slot == "official") {
        out.append(
            in(synth::ranks()[static_cast<std::size_t>(s.ranks[official % s.ranks.size()])], l));
        out.push_back(' ');
      }
      // Sometimes the surname alone, in a spelling of its own.
      if (rng.chance(0.75)) {
        out.append(spell(given, l, rng.below(100)));
        out.push_back(' ');
      }
      out.append(spell(surname, l, rng.below(100)));
    } else if (slot == "unit") {
      out.append(in(synth::units()[static_cast<std::size_t>(s.unit)], l));
    } else if (slot == "facility") {
      out.append(in(synth::facilities()[static_cast<std::size_t>(s.facility)].at, l));
    } else if (slot == "place") {
      out.append(in(synth::places()[static_cast<std::size_t>(s.place)].at, l));
    } else if (slot == "place_name") {
      out.append(in(synth::places()[static_cast<std::size_t>(s.place)].name, l));
    } else if (slot == "date") {
      out.append(synth::written_date(s.day, l));
    } else if (slot == "act") {
      out.append(in(rng.pick(synth::acts()).did, l));
    } else if (slot == "channel") {
      out.append(s.channel);
    } else if (slot == "days") {
      out.append(std::to_string(s.days));
    } else if (slot == "count") {
      out.append(std::to_string(s.count));
    } else if (slot == "street") {
      out.append(s.street);
    }
  }
  return out;
}

// A sentence of `n` words drawn from the common words and the tail.
std::string filler(Rng& rng, Lang lang, int n) {
  const auto& common = common_words()[static_cast<std::size_t>(lang)];
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i > 0) out.push_back(' ');
    if (rng.chance(0.8)) {
      out.append(common[static_cast<std::size_t>(zipf(rng, static_cast<int>(common.size())))]);
    } else {
      out.append(tail_word(lang, zipf(rng, kTailWords)));
    }
  }
  if (lang == Lang::kEn && !out.empty() && out[0] >= 'a' && out[0] <= 'z') {
    out[0] = static_cast<char>(out[0] - 32);
  }
  out.push_back('.');
  return out;
}

std::string person_id(int official) {
  return fmt::format("{} {}", synth_male_names()[static_cast<std::size_t>(official / 1000)].en,
                     synth_surnames()[static_cast<std::size_t>(official % 1000)].en);
}

std::string fill_title(const Tri& t, Lang lang, const std::string& date,
                       const std::string& channel) {
  std::string s = in(t, lang);
  s.replace(s.find("{date}"), 6, date);
  s.replace(s.find("{channel}"), 9, channel);
  return s;
}

void add_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// Appends sentences until `text` has at least `target` words (never more than `max`).
void fill_up(Rng& rng, Subject& s, std::string& text, int& words, int target, int max) {
  std::string last;
  while (words < target) {
    std::string sentence;
    const int kind = rng.below(20);
    if (kind < 3) {
      sentence = fill(rng, in(rng.pick(kOther), s.lang), s, 0);
    } else if (kind < 4 && s.facility >= 0) {
      sentence = fill(rng, in(rng.pick(kAboutFacility), s.lang), s, 0);
    } else if (kind < 6 && !s.officials.empty()) {
      sentence = fill(rng, in(rng.pick(kAboutOfficial), s.lang), s,
                      static_cast<std::size_t>(rng.below(static_cast<int>(s.officials.size()))));
    } else {
      sentence = filler(rng, s.lang, rng.between(5, 16));
    }
    // The same sentence twice in a row reads like a bug, not like a post.
    if (sentence == last) sentence = filler(rng, s.lang, rng.between(5, 16));
    last = sentence;
    int n = words_in(sentence);
    if (words + n > max) {
      n = std::max(1, std::min(target, max) - words);
      sentence = filler(rng, s.lang, n);
    }
    text += text.empty() ? "" : " ";
    text += sentence;
    words += n;
  }
}

// ---- Queries.

// Lower case for the words queries are made of: ASCII, Cyrillic, and the capitals with a
// diacritic that capitalise() makes.
std::string lower_word(std::string_view w) {
  std::string out;
  for (const auto& [l, u] :
       std::vector<std::pair<std::string_view, std::string_view>>{{"č", "Č"},
                                                                  {"š", "Š"},
                                                                  {"ž", "Ž"},
                                                                  {"ŝ", "Ŝ"},
                                                                  {"ł", "Ł"},
                                                                  {"ŭ", "Ŭ"},
                                                                  {"è", "È"},
                                                                  {"â", "Â"},
                                                                  {"û", "Û"},
                                                                  {"ć", "Ć"},
                                                                  {"ś", "Ś"},
                                                                  {"ź", "Ź"},
                                                                  {"ń", "Ń"}}) {
    if (w.starts_with(u)) {
      out = l;
      w.remove_prefix(u.size());
      break;
    }
  }
  for (char32_t c : code_points(w)) {
    c = lower(c);
    if (c >= 'A' && c <= 'Z') c += 32;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// The words of a template or phrase that a query may use: lowercase, no digits, slots,
// hyphens, apostrophes or ё (tokenisers disagree on those), punctuation stripped. A word that
// cannot be used is "" (it breaks a phrase).
std::vector<std::string> query_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view w = text.substr(i, j - i);
    i = j + 1;
    while (!w.empty() && std::string_view(".,;:()!?\"").find(w.back()) != std::string_view::npos) {
      w.remove_suffix(1);
    }
    while (!w.empty() && std::string_view("(\"").find(w.front()) != std::string_view::npos) {
      w.remove_prefix(1);
    }
    bool ok = !w.empty();
    for (char c : w) {
      if ((c >= '0' && c <= '9') || c == '{' || c == '}' || c == '\'' || c == '-' || c == '.' ||
          c == ',' || c == ':' || c == ';' || c == '@' || c == '_') {
        ok = false;
      }
    }
    if (w.find("ё") != std::string_view::npos || w.find("Ё") != std::string_view::npos ||
        w.find("№") != std::string_view::npos) {
      ok = false;
    }
    out.push_back(ok ? lower_word(w) : std::string());
  }
  return out;
}

// Texts phrases are cut from, in one language: sentences, acts, facilities, units.
std::vector<std::vector<std::string>> phrase_sources(Lang lang) {
  std::vector<std::vector<std::string>> out;
  for (const auto* list : {&kLead, &kAboutFacility, &kAboutOfficial, &kOther}) {
    for (const Tri& t : *list) out.push_back(query_words(in(t, lang)));
  }
  for (const auto& a : synth::acts()) out.push_back(query_words(in(a.did, lang)));
  for (const auto& f : synth::facilities()) out.push_back(query_words(in(f.at, lang)));
  for (const auto& u : synth::units()) out.push_back(query_words(in(u, lang)));
  return out;
}

// `len` consecutive usable words of a random source, at least one not a stop word.
std::vector<std::string> pick_phrase(Rng& rng, Lang lang, int len) {
  const auto sources = phrase_sources(lang);
  const auto& common = common_words()[static_cast<std::size_t>(lang)];
  const auto stop = [&](const std::string& w) {
    for (int k = 0; k < kStopWords; ++k) {
      if (common[static_cast<std::size_t>(k)] == w) return true;
    }
    return w.size() < 2;
  };
  for (;;) {
    const auto& words = rng.pick(sources);
    if (static_cast<int>(words.size()) < len) continue;
    const int start = rng.below(static_cast<int>(words.size()) - len + 1);
    std::vector<std::string> phrase(words.begin() + start, words.begin() + start + len);
    bool ok = true, content = false;
    for (const auto& w : phrase) {
      if (w.empty()) ok = false;
      if (!w.empty() && !stop(w)) content = true;
    }
    if (ok && content) return phrase;
  }
}

// One word worth searching for: a common word (not a stop word), a word of the sentences or
// acts, or a rarer made-up one.
std::string pick_term(Rng& rng, Lang lang) {
  const double u = rng.unit();
  if (u < 0.5) {
    const auto& common = common_words()[static_cast<std::size_t>(lang)];
    return std::string(common[static_cast<std::size_t>(
        rng.between(kStopWords, static_cast<int>(common.size()) - 1))]);
  }
  if (u < 0.75) return tail_word(lang, 10 + zipf(rng, 5000));
  for (;;) {
    auto phrase = pick_phrase(rng, lang, 1);
    if (phrase[0].size() >= 4) return phrase[0];
  }
}

Lang pick_lang(Rng& rng) {
  const double u = rng.unit();
  return u < 0.35 ? Lang::kBe : u < 0.75 ? Lang::kRu : Lang::kEn;
}

// A query being built: the query-language string and the structured form together.
struct QueryBuilder {
  std::vector<std::string> parts;  // of the query string
  nlohmann::json all = nlohmann::json::array();
  nlohmann::json not_ = nlohmann::json::array();
  nlohmann::json phrase;
  nlohmann::json filters = nlohmann::json::object();
  std::string date_from, date_to;

  void term(const std::string& w) {
    parts.push_back(w);
    all.push_back({w});
  }
  void either(const std::string& a, const std::string& b) {
    // In brackets: AND binds tighter than OR in the query language, as in most.
    parts.push_back("(" + a + " OR " + b + ")");
    all.push_back({a, b});
  }
  void exclude(const std::string& w) {
    parts.push_back("NOT " + w);
    not_.push_back(w);
  }
  void phrase_of(const std::vector<std::string>& words) {
    std::string q;
    for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
    parts.push_back("\"" + q + "\"");
    phrase = words;
  }
  // A name as typed in one spelling; the structured form lists every spelling.
  void name(const Spellings& s, int choice) {
    const std::string* forms[] = {&s.be, &s.ru, &s.en, &s.icao, &s.iso, &s.lacinka};
    parts.push_back(*forms[choice]);
    nlohmann::json group = nlohmann::json::array();
    for (const auto* f : forms) {
      const std::string w = lower_word(*f);
      if (std::find(group.begin(), group.end(), w) == group.end()) group.push_back(w);
    }
    all.push_back(group);
  }
  void filter(const std::string& key, const std::string& syntax, const std::string& value) {
    parts.push_back(syntax + ":" + value);
    filters[key] = value;
  }
  nlohmann::json done(const std::string& id, const std::string& kind) const {
    std::string q;
    for (const auto& p : parts) q += (q.empty() ? "" : " ") + p;
    nlohmann::json j{{"id", id}, {"kind", kind}, {"query", q}, {"all", all}, {"filters", filters}};
    if (!phrase.is_null()) j["phrase"] = phrase;
    if (!not_.empty()) j["not"] = not_;
    if (!date_from.empty()) {
      j["date_from"] = date_from;
      j["date_to"] = date_to;
    }
    return j;
  }
};

void add_terms(Rng& rng, QueryBuilder& b, Lang lang) {
  const double u = rng.unit();
  if (u < 0.15) {
    b.either(pick_term(rng, lang), pick_term(rng, lang));
  } else if (u < 0.25) {
    b.term(pick_term(rng, lang));
    b.exclude(pick_term(rng, lang));
  } else {
    b.term(pick_term(rng, lang));
    if (rng.chance(0.5)) b.term(pick_term(rng, lang));
  }
}

void add_name(Rng& rng, QueryBuilder& b) {
  const int choice = rng.below(6);
  if (rng.chance(0.5)) b.name(rng.pick(given_spellings()), choice);
  b.name(rng.pick(surname_spellings()), choice);
}

}  // namespace

Status check_corpus_options(const CorpusOptions& options) {
  if (options.items < 1 || options.items > 100'000'000) {
    return Status(Code::kInvalidArgument, "--items must be between 1 and 100000000");
  }
  return Status::ok();
}

const std::vector<std::string>& synth_corpus_organisations() {
  static const std::vector<std::string> ids = {"org-partner-a", "org-partner-b", "org-partner-c"};
  return ids;
}

search::IndexItem synth_corpus_item(std::uint64_t seed, std::int64_t n) {
  Rng rng = item_rng(seed, n, kCorpusPurpose);
  search::IndexItem item;
  item.id = fmt::format("osint-{:09}", n + 1);
  item.group = item.id;
  item.open = "osint/" + item.id;
  item.version = fmt::format("synth-corpus-1/{}", seed);

  // Sources: 900, each of one partner organisation; some are medical or about sexual violence.
  const int source = rng.below(900);
  item.domain_id = fmt::format("source-{:03}", source);
  const double u = rng.unit();
  item.organisation_id = synth_corpus_organisations()[u < 0.5 ? 0 : u < 0.8 ? 1 : 2];
  const double sens = rng.unit();
  item.sensitivity = sens < 0.9 ? "normal" : sens < 0.97 ? "health" : "sexual-violence";

  Subject s;
  const double lu = rng.unit();
  s.lang = lu < 0.35 ? Lang::kBe : lu < 0.75 ? Lang::kRu : Lang::kEn;
  item.language = synth::lang_code(s.lang);
  const double ku = rng.unit();
  const int kind = ku < 0.35 ? 0 : ku < 0.8 ? 1 : 2;  // caption, post, transcript
  item.type = kind == 0 ? "osint-caption" : kind == 1 ? "osint-post" : "transcript";
  static const int kMin[] = {20, 40, 150};
  static const int kMax[] = {60, 300, 500};
  const int target = rng.between(kMin[kind], kMax[kind]);

  s.channel = "@" + tail_word(Lang::kEn, source) + (source % 2 ? "_news" : "_info");
  s.street =
      in(kStreets[static_cast<std::size_t>(rng.below(static_cast<int>(kStreets.size())))], s.lang);
  s.days = rng.between(5, 30);
  s.count = rng.between(3, 300);

  std::string text;
  int words = 0;
  if (kind == 2) {
    // A video testimony: the story of synth's interview transcripts, then more talk.
    const synth::Story story = synth::make_story(rng);
    synth::Composed c = synth::make_transcript(rng, s.lang, story, "", "", "");
    for (const auto& line : c.lines) {
      text += text.empty() ? "" : " ";
      text += line;
    }
    words = words_in(text);
    s.day = story.arrest_day;
    s.place = story.place;
    s.facility = story.facility;
    s.unit = story.unit;
    s.officials = {story.officer_given * 1000 + story.officer_surname};
    s.ranks = {story.officer_rank};
    for (const auto& p : c.truth.officials) add_unique(item.persons, p.id);
    // A testimony is coded with the place and facility of the arrest it tells, whether or not
    // a sentence of it names them (the talk added below may name them too).
    add_unique(item.places, synth::places()[static_cast<std::size_t>(story.place)].id);
    add_unique(item.facilities, synth::facilities()[static_cast<std::size_t>(story.facility)].id);
  } else {
    // A third of the material is from the two months after the election of 9 August 2020.
    const int first = synth::day_number("2020-08-09");
    const int last = synth::day_number("2024-12-31");
    s.day = rng.chance(0.35) ? first + rng.below(60) : rng.between(first, last);
    s.place = rng.below(static_cast<int>(synth::places().size()));
    s.unit = rng.below(static_cast<int>(synth::units().size()));
    if (rng.chance(0.6)) {
      s.facility = rng.below(static_cast<int>(synth::facilities().size()));
      // Mostly a facility of the place told about.
      if (rng.chance(0.7)) {
        for (int f = 0; f < static_cast<int>(synth::facilities().size()); ++f) {
          if (synth::facilities()[static_cast<std::size_t>(f)].place == s.place) s.facility = f;
        }
      }
    }
    const int officials = rng.chance(0.5) ? 0 : rng.between(1, 3);
    for (int i = 0; i < officials; ++i) {
      s.officials.push_back(rng.below(static_cast<int>(synth_male_names().size())) * 1000 +
                            rng.below(static_cast<int>(synth_surnames().size())));
      s.ranks.push_back(rng.below(static_cast<int>(synth::ranks().size())));
    }
    // The first sentences name everything the item's fields say: the lead, the facility, then
    // each official. What does not fit a short caption is left out of the fields too.
    const bool facility = s.facility >= 0;
    std::vector<std::string> opening = {fill(rng, in(rng.pick(kLead), s.lang), s, 0)};
    if (facility) opening.push_back(fill(rng, in(rng.pick(kAboutFacility), s.lang), s, 0));
    for (std::size_t i = 0; i < s.officials.size(); ++i) {
      opening.push_back(fill(rng, in(rng.pick(kAboutOfficial), s.lang), s, i));
    }
    std::size_t said = 0;
    for (const auto& sentence : opening) {
      const int count = words_in(sentence);
      if (words + count > kMax[kind]) break;
      text += text.empty() ? "" : " ";
      text += sentence;
      words += count;
      ++said;
    }
    if (facility && said < 2) s.facility = -1;
    const std::size_t officials_said = said > (facility ? 2u : 1u) ? said - (facility ? 2 : 1) : 0;
    s.officials.resize(officials_said);
    s.ranks.resize(officials_said);
    add_unique(item.places, synth::places()[static_cast<std::size_t>(s.place)].id);
    if (s.facility >= 0) {
      const auto& f = synth::facilities()[static_cast<std::size_t>(s.facility)];
      add_unique(item.facilities, f.id);
      add_unique(item.places, synth::places()[static_cast<std::size_t>(f.place)].id);
    }
    for (int o : s.officials) add_unique(item.persons, person_id(o));
  }
  fill_up(rng, s, text, words, target, kMax[kind]);
  item.date = synth::iso_date(s.day);
  item.title = fill_title(kind == 0   ? kCaptionTitle
                          : kind == 1 ? kPostTitle
                                      : kTranscriptTitle,
                          s.lang, item.date, s.channel);
  item.text = std::move(text);
  return item;
}

nlohmann::json corpus_item_json(const search::IndexItem& item) {
  return nlohmann::json{{"id", item.id},
                        {"type", item.type},
                        {"language", item.language},
                        {"organisation_id", item.organisation_id},
                        {"sensitivity", item.sensitivity},
                        {"domain_id", item.domain_id},
                        {"witness", item.witness},
                        {"date", item.date},
                        {"places", item.places},
                        {"facilities", item.facilities},
                        {"persons", item.persons},
                        {"codes", item.codes},
                        {"group", item.group},
                        {"title", item.title},
                        {"open", item.open},
                        {"version", item.version},
                        {"text", item.text}};
}

Status write_synth_corpus(std::ostream& out, const CorpusOptions& options,
                          const std::function<void(std::int64_t)>& progress) {
  EVHUB_RETURN_IF_ERROR(check_corpus_options(options));
  std::string line;
  for (std::int64_t n = 0; n < options.items; ++n) {
    line = corpus_item_json(synth_corpus_item(options.seed, n)).dump();
    line.push_back('\n');
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    if (!out) return Status(Code::kIoError, "cannot write the corpus");
    if (progress && (n + 1) % 10000 == 0) progress(n + 1);
  }
  out.flush();
  if (!out) return Status(Code::kIoError, "cannot write the corpus");
  return Status::ok();
}

}  // namespace evhub::collection

namespace evhub::collection {

std::vector<nlohmann::json> synth_corpus_queries(std::uint64_t seed, int count) {
  std::vector<nlohmann::json> out;
  static const char* const kKinds[] = {"term", "phrase", "name", "facet", "date"};
  static const char* const kTypes[] = {"osint-caption", "osint-post", "transcript"};
  for (int i = 0; i < count; ++i) {
    Rng rng = item_rng(seed, i, kQueryPurpose);
    const std::string kind = kKinds[i % 5];
    QueryBuilder b;
    const Lang lang = pick_lang(rng);
    if (kind == "term") {
      add_terms(rng, b, lang);
    } else if (kind == "phrase") {
      b.phrase_of(pick_phrase(rng, lang, rng.between(2, 3)));
      if (rng.chance(0.3)) b.term(pick_term(rng, lang));
    } else if (kind == "name") {
      add_name(rng, b);
    } else if (kind == "facet") {
      // A word of one language is looked for in that language; a name in any.
      if (rng.chance(0.6)) {
        add_terms(rng, b, lang);
        b.filter("language", "lang", synth::lang_code(lang));
      } else {
        add_name(rng, b);
        if (rng.chance(0.5)) b.filter("language", "lang", synth::lang_code(pick_lang(rng)));
      }
      const int extra = rng.below(3);  // type, facility or place
      if (extra == 0) {
        b.filter("type", "type", kTypes[rng.below(3)]);
      } else if (extra == 1) {
        b.filter("facility", "facility", rng.pick(synth::facilities()).id);
      } else {
        b.filter("place", "place", rng.pick(synth::places()).id);
      }
    } else {
      add_terms(rng, b, lang);
      if (rng.chance(0.2)) {
        // Days of the first week after the election.
        const int first = synth::day_number("2020-08-09") + rng.below(7);
        b.date_from = synth::iso_date(first);
        b.date_to = synth::iso_date(first + rng.between(1, 5));
        b.parts.push_back("date:" + b.date_from + ".." + b.date_to);
      } else {
        const int start = rng.below(53);  // months from 2020-08 to 2024-12
        const int len = rng.between(1, 6);
        const auto month = [](int m) {
          return fmt::format("{:04}-{:02}", 2020 + (m + 7) / 12, (m + 7) % 12 + 1);
        };
        const std::string from = month(start), to = month(std::min(52, start + len - 1));
        b.date_from = from + "-01";
        b.date_to = to + "-31";
        b.parts.push_back("date:" + from + ".." + to);
      }
      if (rng.chance(0.3)) b.filter("language", "lang", synth::lang_code(lang));
    }
    out.push_back(b.done(fmt::format("q{:03}", i + 1), kind));
  }
  return out;
}

}  // namespace evhub::collection
