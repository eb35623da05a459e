// Helpers of the extract tests: fictional testimony texts, documents made from them by
// make_test_docs.py, and the character error rate of OCR against the text it was made from.
#pragma once

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/support.h"

namespace evhub::extract::testing {

// Fictional testimonies (no real person is named), the same events in both languages:
// detention in Minsk in August 2020 and the isolation centre on Akrescina street.
inline const std::string kBelarusian =
    "Мяне затрымалі ў Мінску 10 жніўня 2020 года каля станцыі метро Пушкінская. Супрацоўнікі "
    "АМАП у масках без апазнавальных знакаў пасадзілі мяне ў мікрааўтобус і адвезлі ў ізалятар "
    "на вуліцы Акрэсціна. Там нас трымалі ў камеры на чатырох чалавек, але нас было больш за "
    "трыццаць. Вады не давалі амаль суткі, спаць не было дзе. Праз тры дні суддзя па "
    "відэасувязі прызначыў мне пятнаццаць сутак арышту за ўдзел у «несанкцыянаваным масавым "
    "мерапрыемстве».\n"
    "Пасля вызвалення за мной некалькі разоў прыходзіў участковы. Я вырашыў з'ехаць і ў "
    "лістападзе 2021 года перайшоў мяжу з Літвой праз пункт пропуску Каменны Лог. На мяжы мяне "
    "доўга распытвалі пра мэту паездкі і праверылі тэлефон. Цяпер я жыву ў Вільні і баюся "
    "вяртацца, бо на радзіме супраць мяне завялі новую справу.\n";

inline const std::string kRussian =
    "Меня задержали в Минске 10 августа 2020 года возле станции метро Пушкинская. Сотрудники "
    "ОМОН в масках без опознавательных знаков посадили меня в микроавтобус и отвезли в "
    "изолятор на улице Окрестина. Там нас держали в камере на четырех человек, но нас было "
    "больше тридцати. Воды не давали почти сутки, спать было негде. Через три дня судья по "
    "видеосвязи назначил мне пятнадцать суток ареста за участие в «несанкционированном "
    "массовом мероприятии».\n"
    "После освобождения ко мне несколько раз приходил участковый. Я решил уехать и в ноябре "
    "2021 года пересек границу с Литвой через пункт пропуска Каменный Лог. На границе меня "
    "долго расспрашивали о цели поездки и проверили телефон. Сейчас я живу в Вильнюсе и боюсь "
    "возвращаться, потому что на родине против меня завели новое уголовное дело.\n";

inline const std::string kEnglish =
    "I was detained in Minsk on 10 August 2020 near Pushkinskaya metro station. Riot police "
    "officers in masks without any insignia put me in a minibus and took me to the detention "
    "centre on Akrescina street. We were held in a cell built for four people, but there were "
    "more than thirty of us. Three days later a judge sentenced me by video link to fifteen "
    "days of arrest.\n";

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::span<const std::uint8_t> span_of(const std::vector<std::uint8_t>& bytes) {
  return {bytes.data(), bytes.size()};
}

inline std::span<const std::uint8_t> span_of(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Runs make_test_docs.py (beside this file) with Debian's python3, which has Pillow and
// ReportLab; fails the test when it fails.
inline void make_doc(const std::vector<std::string>& args) {
  std::string script = __FILE__;
  script = script.substr(0, script.rfind('/') + 1) + "make_test_docs.py";
  std::vector<std::string> argv = {"/usr/bin/python3", script};
  argv.insert(argv.end(), args.begin(), args.end());
  const evhub::testing::RunResult r = evhub::testing::run(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Writes `text` to DIR/name.txt and makes DIR/out from it with `command` ("page", "docx", …).
inline std::vector<std::uint8_t> doc_from_text(const evhub::testing::TempDir& dir,
                                               const std::string& text, const std::string& command,
                                               const std::string& out,
                                               const std::vector<std::string>& extra = {}) {
  const std::string source = dir / (out + ".txt");
  evhub::testing::write_text_file(source, text);
  std::vector<std::string> args = {command, source, dir / out};
  args.insert(args.end(), extra.begin(), extra.end());
  make_doc(args);
  return read_bytes(dir / out);
}

inline std::u32string code_points(const std::string& utf8) {
  std::u32string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    const int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// Whitespace runs (line breaks, paragraph breaks, form feeds) become one space; the ends go.
inline std::u32string normalise(const std::string& utf8) {
  std::u32string out;
  for (const char32_t c : code_points(utf8)) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Character error rate: Levenshtein distance (in code points) / reference length, after
// normalising whitespace.
inline double cer(const std::string& reference, const std::string& hypothesis) {
  const std::u32string r = normalise(reference);
  const std::u32string h = normalise(hypothesis);
  std::vector<std::size_t> previous(h.size() + 1);
  std::vector<std::size_t> current(h.size() + 1);
  for (std::size_t j = 0; j <= h.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= r.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= h.size(); ++j) {
      current[j] = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return r.empty() ? 0.0 : static_cast<double>(previous[h.size()]) / static_cast<double>(r.size());
}

}  // namespace evhub::extract::testing
