// detect_language(): the letter counts that pick tesseract's model.
#include <gtest/gtest.h>

#include "extract/extract.h"

namespace evhub::extract {
namespace {

TEST(ExtractLanguage, BelarusianLettersAndApostrophe) {
  const LanguageGuess g = detect_language("Пасля вызвалення я з'ехаў у Вільню.");
  EXPECT_EQ(g.language, "be");
  EXPECT_EQ(g.belarusian, 3);  // the apostrophe and ў of з'ехаў, the і of Вільню
  EXPECT_EQ(g.russian, 0);
}

TEST(ExtractLanguage, RussianLetters) {
  const LanguageGuess g =
      detect_language("После освобождения я уехал в Вильнюс, объяснив причины.");
  EXPECT_EQ(g.language, "ru");
  EXPECT_GE(g.russian, 3);
  EXPECT_EQ(g.belarusian, 0);
}

TEST(ExtractLanguage, EnglishByLatinLetters) {
  EXPECT_EQ(detect_language("I was detained in Minsk on 10 August 2020.").language, "en");
}

TEST(ExtractLanguage, UndecidedWithoutEnoughLetters) {
  EXPECT_EQ(detect_language("").language, "");
  EXPECT_EQ(detect_language("10.08.2020 — 342").language, "");
  EXPECT_EQ(detect_language("Мінск").language, "");           // one і is not enough
  EXPECT_EQ(detect_language("Мінск і Гродна").language, "");  // two, in too few letters
  EXPECT_EQ(detect_language("і и і и").language, "");         // neither side twice the other
}

TEST(ExtractLanguage, TwoAgainstNoneDecideALine) {
  EXPECT_EQ(detect_language("Мы жылі ў Гродне каля возера Нёман").language, "be");
  EXPECT_EQ(detect_language("Мы жили в Гродно возле реки Неман").language, "ru");
  // Two against one is not enough.
  EXPECT_EQ(detect_language("Мы жылі ў Гродне каля возера и").language, "");
}

TEST(ExtractLanguage, MajorityDecidesMixedText) {
  // A Belarusian statement quoting a Russian court decision in a few words.
  EXPECT_EQ(detect_language("Суддзя сказаў, што пратакол «составлен правильно», і прызначыў "
                            "пятнаццаць сутак; мы ўсе чакалі ў калідоры.")
                .language,
            "be");
}

TEST(ExtractLanguage, MalformedUtf8CountsAsNothing) {
  const std::string bad = std::string("\xff\xfe") + "ііі" + "\xd1";
  EXPECT_EQ(detect_language(bad).language, "be");
}

}  // namespace
}  // namespace evhub::extract
