// OCR accuracy with real tesseract on pages rendered here (DejaVu Sans, 12 pt at 300 dpi), clean
// and degraded like a poor scan (turned 1°, blurred, grainy, JPEG quality 60), with the language
// NOT given: the character error rate (CER) is measured and printed, the detected language
// checked. Forcing the Russian model on Belarusian text shows why detection matters.
#include <gtest/gtest.h>

#include <iostream>

#include "extract/extract.h"
#include "extract/ocr.h"
#include "test_docs.h"

namespace evhub::extract {
namespace {

using evhub::testing::TempDir;
using testing::cer;
using testing::doc_from_text;
using testing::span_of;

struct Case {
  const char* name;
  const std::string& text;
  bool degraded;
  const char* language;  // expected
  double max_cer;
};

void check_detected(const Case& c) {
  TempDir dir;
  const std::vector<std::uint8_t> image =
      c.degraded ? doc_from_text(dir, c.text, "page", "page.jpg", {"--degraded", "--seed", "7"})
                 : doc_from_text(dir, c.text, "page", "page.png");
  ASSERT_FALSE(image.empty());
  Result<ExtractedText> out = extract_text(span_of(image), ExtractOptions{});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  const double rate = cer(c.text, out->text);
  std::cout << "[ CER      ] " << c.name << ": " << rate * 100 << " % (language " << out->language
            << ", confidence " << out->confidence << ")\n"
            << "[ params   ] " << out->parameters << "\n";
  EXPECT_EQ(out->language, c.language) << out->parameters;
  EXPECT_LE(rate, c.max_cer) << out->text;
  EXPECT_EQ(out->tool, "tesseract");
  EXPECT_EQ(out->tool_version, TesseractOcr::version());
  EXPECT_EQ(out->pages, 1);
  EXPECT_GT(out->confidence, 50);
  EXPECT_LE(out->confidence, 100);
  EXPECT_NE(out->parameters.find(std::string("lang=") + tesseract_model(c.language)),
            std::string::npos)
      << out->parameters;
  EXPECT_NE(out->parameters.find(std::string("detected=") + c.language), std::string::npos)
      << out->parameters;
}

TEST(ExtractOcrAccuracy, BelarusianCleanDetected) {
  check_detected({"be clean, detected", testing::kBelarusian, false, "be", 0.005});
}

TEST(ExtractOcrAccuracy, BelarusianDegradedDetected) {
  check_detected({"be degraded, detected", testing::kBelarusian, true, "be", 0.01});
}

TEST(ExtractOcrAccuracy, RussianCleanDetected) {
  check_detected({"ru clean, detected", testing::kRussian, false, "ru", 0.005});
}

TEST(ExtractOcrAccuracy, RussianDegradedDetected) {
  check_detected({"ru degraded, detected", testing::kRussian, true, "ru", 0.01});
}

TEST(ExtractOcrAccuracy, EnglishDetected) {
  check_detected({"en clean, detected", testing::kEnglish, false, "en", 0.005});
}

// The Russian model has no і or ў: on Belarusian text it is several times worse than the
// detected Belarusian model, which is why the language is detected rather than assumed.
TEST(ExtractOcrAccuracy, WrongLanguageIsClearlyWorse) {
  TempDir dir;
  const std::vector<std::uint8_t> image =
      doc_from_text(dir, testing::kBelarusian, "page", "page.png");
  Result<ExtractedText> wrong = extract_text(span_of(image), ExtractOptions{.language = "ru"});
  Result<ExtractedText> right = extract_text(span_of(image), ExtractOptions{.language = "be"});
  ASSERT_TRUE(wrong.is_ok()) << wrong.status().to_string();
  ASSERT_TRUE(right.is_ok()) << right.status().to_string();
  const double wrong_cer = cer(testing::kBelarusian, wrong->text);
  const double right_cer = cer(testing::kBelarusian, right->text);
  std::cout << "[ CER      ] be clean, rus model forced: " << wrong_cer * 100 << " %\n"
            << "[ CER      ] be clean, bel model given: " << right_cer * 100 << " %\n";
  EXPECT_GE(wrong_cer, 0.03);
  EXPECT_LE(right_cer, 0.005);
  EXPECT_EQ(wrong->language, "ru");  // as given: the caller's word is recorded
  EXPECT_NE(wrong->parameters.find("lang=rus"), std::string::npos) << wrong->parameters;
  EXPECT_NE(wrong->parameters.find("language=given"), std::string::npos) << wrong->parameters;
}

// A multi-page TIFF: every page is read, on two threads, each with its own language.
TEST(ExtractOcr, MultiPageTiffPagesDetectedEach) {
  TempDir dir;
  doc_from_text(dir, testing::kBelarusian, "page", "be.png");
  doc_from_text(dir, testing::kRussian, "page", "ru.png");
  testing::make_doc({"tiff", dir / "both.tif", dir / "be.png", dir / "ru.png"});
  const std::vector<std::uint8_t> tiff = testing::read_bytes(dir / "both.tif");
  Result<ExtractedText> out =
      extract_text(span_of(tiff), ExtractOptions{.language = "", .threads = 2});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->pages, 2);
  const std::size_t feed = out->text.find('\f');
  ASSERT_NE(feed, std::string::npos);
  const double be = cer(testing::kBelarusian, out->text.substr(0, feed));
  const double ru = cer(testing::kRussian, out->text.substr(feed + 1));
  std::cout << "[ CER      ] tiff page 1 (be): " << be * 100 << " %, page 2 (ru): " << ru * 100
            << " %\n[ params   ] " << out->parameters << "\n";
  EXPECT_LE(be, 0.005);
  EXPECT_LE(ru, 0.005);
  EXPECT_NE(out->parameters.find("page 1: lang=bel"), std::string::npos) << out->parameters;
  EXPECT_NE(out->parameters.find("page 2: lang=rus"), std::string::npos) << out->parameters;
}

// A page without text: nothing decides the language, and nothing is invented.
TEST(ExtractOcr, BlankPageGivesNoTextAndNoLanguage) {
  TempDir dir;
  const std::vector<std::uint8_t> image = doc_from_text(dir, " ", "page", "blank.png");
  Result<ExtractedText> out = extract_text(span_of(image), ExtractOptions{});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->text, "");
  EXPECT_EQ(out->language, "");
  EXPECT_NE(out->parameters.find("detected=none"), std::string::npos) << out->parameters;
}

TEST(ExtractOcr, UnknownLanguageIsRefused) {
  Result<ExtractedText> out = extract_text(span_of(std::string("text")), {.language = "uk"});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), Code::kInvalidArgument);
  EXPECT_NE(out.status().message().find("be, ru, en"), std::string::npos);
}

}  // namespace
}  // namespace evhub::extract
