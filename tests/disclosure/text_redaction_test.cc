// Pseudonymisation of transcripts for a recipient: the witness's name in any script and
// inflection becomes their code, their contacts, address and date of birth disappear, contact
// data and identity numbers are found by shape, and the log says where without saying what.
// Every person here is fictional.
#include "disclosure/text_redaction.h"

#include <gtest/gtest.h>

namespace evhub::disclosure {
namespace {

const WitnessIdentity kWitness = {"W-00123", "Алена Міхайлаўна Дзераўянка",
                                  "+375 29 123-45-67; alena.dz@example.org, @alena_dz",
                                  "1987-03-14", "вул. Шырокая, 12, кв. 4"};

// The part of `text` in code points [begin, end).
std::string slice(const std::string& text, std::int64_t begin, std::int64_t end) {
  std::string out;
  std::int64_t i = -1;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++i;
    if (i >= begin && i < end) out += c;
  }
  return out;
}

TEST(TextRedaction, TheWitnessIsNamedByCodeInEveryScriptAndCase) {
  const std::string text =
      "Дзераўянку затрымалі ў Мінску. Дзеревянко Алёна сказала: Dzerauyanka Alena was beaten. "
      "Алене пагражалі.";
  const auto r = redact_text(text, {kWitness});
  for (const char* gone : {"Дзераўянк", "Дзеревянко", "Dzerauyanka", "Алёна", "Alena", "Алене"}) {
    EXPECT_EQ(r.text.find(gone), std::string::npos) << gone << " in " << r.text;
  }
  EXPECT_EQ(r.text,
            "W-00123 затрымалі ў Мінску. W-00123 сказала: W-00123 was beaten. W-00123 пагражалі.");
  EXPECT_NE(r.text.find("Мінску"), std::string::npos);  // a place is not a name of hers
  for (const auto& x : r.redactions) {
    EXPECT_EQ(x.kind, RedactedKind::kName);
    EXPECT_EQ(slice(r.text, x.begin, x.end), "W-00123");
  }
  EXPECT_EQ(r.redactions.size(), 4U);  // a name of two words is one code
}

TEST(TextRedaction, ContactsAddressAndBirthDateGoAndTheLogSaysWhere) {
  const std::string text =
      "Мой нумар +375 29 123-45-67, пошта alena.dz@example.org, telegram @alena_dz. "
      "Жыву: вул. Шырокая, 12, кв. 4. Нарадзілася 14.03.1987.";
  const auto r = redact_text(text, {kWitness});
  for (const char* gone : {"123-45-67", "alena.dz", "@alena_dz", "Шырокая", "14.03.1987"}) {
    EXPECT_EQ(r.text.find(gone), std::string::npos) << gone << " in " << r.text;
  }
  std::vector<std::string> kinds;
  for (const auto& x : r.redactions) {
    kinds.push_back(redacted_kind_name(x.kind));
    EXPECT_EQ(slice(r.text, x.begin, x.end), redaction_marker(x.kind));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"contact", "contact", "contact", "address",
                                             "date-of-birth"}));
}

TEST(TextRedaction, ContactDataAndIdentityNumbersAreFoundByShape) {
  const std::string text =
      "Следователь звонил с 8 (017) 222-33-44 и писал с investigator.k@mail.example.by. "
      "Паспорт MP1234567, идентификационный номер 3140587A001PB1, российский паспорт 45 10 "
      "123456. Адрес брата: ул. Ленина, д. 5, кв. 12. Дата: 10.08.2020, 2020-08-10, 1200 "
      "человек, дом 5.";
  const auto r = redact_text(text, {});
  for (const char* gone :
       {"222-33-44", "investigator.k", "MP1234567", "3140587A001PB1", "45 10 123456", "Ленина"}) {
    EXPECT_EQ(r.text.find(gone), std::string::npos) << gone << " in " << r.text;
  }
  // Dates and counts are not phone numbers.
  for (const char* kept : {"10.08.2020", "2020-08-10", "1200 человек", "дом 5."}) {
    EXPECT_NE(r.text.find(kept), std::string::npos) << kept << " lost in " << r.text;
  }
  std::vector<std::string> kinds;
  for (const auto& x : r.redactions) kinds.push_back(redacted_kind_name(x.kind));
  EXPECT_EQ(kinds, (std::vector<std::string>{"phone", "e-mail", "passport-number", "id-number",
                                             "passport-number", "address"}));
}

TEST(TextRedaction, ATextWithNothingToHideIsUnchanged) {
  const std::string text = "Нас трымалі на Акрэсціна без вады. Ян сказаў, што ён бачыў АМАП.";
  WitnessIdentity other = kWitness;
  other.name = "Ян Пятровіч Клімовіч";
  const auto r = redact_text(text, {kWitness});
  EXPECT_EQ(r.text, text);
  EXPECT_TRUE(r.redactions.empty());
  // A short name is replaced only where it is spelt the same, not in "ён".
  const auto named = redact_text(text, {other});
  EXPECT_NE(named.text.find("W-00123 сказаў, што ён бачыў"), std::string::npos) << named.text;
}

}  // namespace
}  // namespace evhub::disclosure
