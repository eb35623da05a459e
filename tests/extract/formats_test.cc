// Every format extract_text() reads, made here (ReportLab, Pillow, python's zipfile), and what
// it must refuse: invalid UTF-8, garbage, truncated and damaged files (never a crash; this file
// also runs under ASan). Image metadata from a JPEG whose EXIF the exiv2 command wrote.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>

#include "extract/extract.h"
#include "extract/ocr.h"
#include "test_docs.h"

namespace evhub::extract {
namespace {

using evhub::testing::TempDir;
using testing::cer;
using testing::doc_from_text;
using testing::span_of;

// Lines of a statement in both languages, as a PDF's text layer and as paragraphs of a DOCX or
// ODT: one line each.
const std::string kLines =
    "Пратакол апытання сведкі\n"
    "Мяне затрымалі ў Мінску 10 жніўня 2020 года каля станцыі метро Пушкінская.\n"
    "Я з'ехаў з Беларусі ў лістападзе 2021 года.\n"
    "Протокол допроса свидетеля\n"
    "Меня задержали в Минске и отвезли в изолятор на улице Окрестина.\n"
    "Signed: witness W-00123, Vilnius, 3 March 2022";

void expect_refused(const Result<ExtractedText>& out, const std::string& words) {
  ASSERT_FALSE(out.is_ok()) << "extracted: " << out->text.substr(0, 200);
  EXPECT_EQ(out.status().code(), Code::kInvalidArgument) << out.status().to_string();
  EXPECT_NE(out.status().message().find(words), std::string::npos) << out.status().to_string();
}

TEST(ExtractPdf, TextLayerExactly) {
  TempDir dir;
  const auto pdf = doc_from_text(dir, kLines, "pdf-text", "statement.pdf");
  Result<ExtractedText> out = extract_text(span_of(pdf), {});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->text, kLines);
  EXPECT_EQ(out->tool, "poppler");
  EXPECT_FALSE(out->tool_version.empty());
  EXPECT_EQ(out->parameters, "text layer");
  EXPECT_EQ(out->pages, 1);
  EXPECT_EQ(out->confidence, -1);
  // Half Belarusian, half Russian: the same rule as for OCR decides (here: neither side has
  // twice the other's letters, so undecided).
  EXPECT_EQ(out->language, detect_language(kLines).language);
  EXPECT_EQ(out->language, "");
}

TEST(ExtractPdf, ScannedPageIsOcrd) {
  TempDir dir;
  doc_from_text(dir, testing::kRussian, "page", "scan.png");
  testing::make_doc({"pdf-scan", dir / "scan.png", dir / "scan.pdf"});
  const auto pdf = testing::read_bytes(dir / "scan.pdf");
  Result<ExtractedText> out = extract_text(span_of(pdf), {});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  const double rate = cer(testing::kRussian, out->text);
  std::cout << "[ CER      ] scanned PDF (ru), detected: " << rate * 100 << " %\n"
            << "[ params   ] " << out->parameters << "\n";
  EXPECT_LE(rate, 0.005);
  EXPECT_EQ(out->language, "ru");
  EXPECT_EQ(out->tool, "poppler+tesseract");
  EXPECT_NE(out->parameters.find("rendered and OCR'd"), std::string::npos) << out->parameters;
  EXPECT_NE(out->parameters.find("lang=rus"), std::string::npos) << out->parameters;
  EXPECT_GT(out->confidence, 50);
}

TEST(ExtractPdf, TruncatedIsRefused) {
  TempDir dir;
  const auto pdf = doc_from_text(dir, kLines, "pdf-text", "statement.pdf");
  const std::vector<std::uint8_t> cut(pdf.begin(), pdf.begin() + pdf.size() / 2);
  expect_refused(extract_text(span_of(cut), {}), "truncated PDF");
}

TEST(ExtractPdf, DamagedStructureIsRefused) {
  const std::string fake = "%PDF-1.7\n" + std::string(300, 'x') + "\n%%EOF\n";
  expect_refused(extract_text(span_of(fake), {}), "damaged PDF");
}

// A page for the coding workspace: a PNG of the page at the asked resolution, with its ink.
TEST(ExtractPdf, PageIsRenderedAsPng) {
  TempDir dir;
  const auto pdf = doc_from_text(dir, kLines, "pdf-text", "statement.pdf");
  ASSERT_EQ(*pdf_page_count(span_of(pdf)), 1);
  auto page = render_pdf_page(span_of(pdf), 1, 100);
  ASSERT_TRUE(page.is_ok()) << page.status().to_string();
  EXPECT_EQ(page->pages, 1);
  EXPECT_EQ(page->png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto decoded = decode_image(span_of(page->png));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  const Image& image = decoded->front();
  EXPECT_EQ(image.width, page->width);
  EXPECT_EQ(image.height, page->height);
  // ReportLab's A4 is 595 x 842 points: 827 x 1169 pixels at 100 dpi.
  EXPECT_NEAR(image.width, 827, 2);
  EXPECT_NEAR(image.height, 1169, 2);
  const auto dark = std::count_if(image.pixels.begin(), image.pixels.end(),
                                  [](std::uint8_t p) { return p < 100; });
  EXPECT_GT(dark, 1000) << "the text is drawn";
  EXPECT_LT(dark, static_cast<long>(image.pixels.size() / 10)) << "on a white page";
}

TEST(ExtractPdf, PageOutsideOrDamagedIsRefused) {
  TempDir dir;
  const auto pdf = doc_from_text(dir, kLines, "pdf-text", "statement.pdf");
  auto beyond = render_pdf_page(span_of(pdf), 2, 100);
  ASSERT_FALSE(beyond.is_ok());
  EXPECT_EQ(beyond.status().code(), Code::kNotFound);
  EXPECT_NE(beyond.status().message().find("no page 2 (it has 1)"), std::string::npos);
  EXPECT_EQ(render_pdf_page(span_of(pdf), 0, 100).status().code(), Code::kNotFound);
  const std::string fake = "%PDF-1.7\n" + std::string(300, 'x') + "\n%%EOF\n";
  EXPECT_EQ(render_pdf_page(span_of(fake), 1, 100).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(pdf_page_count(span_of(fake)).status().code(), Code::kInvalidArgument);
}

TEST(ExtractOffice, DocxParagraphsAsLines) {
  TempDir dir;
  const auto docx = doc_from_text(dir, kLines, "docx", "statement.docx");
  Result<ExtractedText> out = extract_text(span_of(docx), {});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->text, kLines);
  EXPECT_EQ(out->tool, "libzip+pugixml");
  EXPECT_EQ(out->parameters, "format=docx part=word/document.xml paragraphs=lines");
  EXPECT_EQ(out->language, detect_language(kLines).language);
  EXPECT_EQ(out->pages, 0);
}

TEST(ExtractOffice, OdtParagraphsAsLines) {
  TempDir dir;
  const auto odt = doc_from_text(dir, kLines, "odt", "statement.odt");
  Result<ExtractedText> out = extract_text(span_of(odt), {});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->text, kLines);
  EXPECT_EQ(out->parameters, "format=odt part=content.xml paragraphs=lines");
}

// Tabs, breaks, spaces and the parts of Word and ODF markup that are not the text.
TEST(ExtractOffice, MarkupDetails) {
  TempDir dir;
  const std::string script = R"PY(
import sys, zipfile
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="m"'
doc = ('<w:document %s><w:body>'
       '<w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr>'
       '<w:r><w:t>Date</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">10.08.2020 </w:t></w:r>'
       '<w:r><w:t xml:space="preserve"> </w:t></w:r><w:r><w:t>Minsk</w:t><w:br/><w:t>line two</w:t></w:r></w:p>'
       '<w:p/>'
       '<w:p><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:r><w:t>kept</w:t></w:r>'
       '<w:r><w:instrText>PAGE</w:instrText></w:r></w:p>'
       '<w:p><mc:AlternateContent><mc:Choice><w:t>box</w:t></mc:Choice>'
       '<mc:Fallback><w:t>box</w:t></mc:Fallback></mc:AlternateContent></w:p>'
       '</w:body></w:document>') % W
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('word/document.xml', doc)
T = 'xmlns:office="o" xmlns:text="t"'
content = ('<office:document-content %s><office:body><office:text>'
           '<text:h>Heading</text:h>'
           '<text:p>  two<text:s text:c="2"/>spaces   collapsed\n here<text:tab/>tab'
           '<text:line-break/>next</text:p>'
           '<text:tracked-changes><text:p>removed</text:p></text:tracked-changes>'
           '<text:p>note<office:annotation><text:p>comment</text:p></office:annotation> end</text:p>'
           '</office:text></office:body></office:document-content>') % T
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    z.writestr('mimetype', 'application/vnd.oasis.opendocument.text')
    z.writestr('content.xml', content)
with zipfile.ZipFile(sys.argv[3], 'w') as z:
    z.writestr('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')
    z.writestr('content.xml', '<office:document-content/>')
with zipfile.ZipFile(sys.argv[4], 'w') as z:
    z.writestr('notes.txt', 'hello')
)PY";
  evhub::testing::write_text_file(dir / "make.py", script);
  const auto r = evhub::testing::run({"/usr/bin/python3", dir / "make.py", dir / "a.docx",
                                      dir / "a.odt", dir / "a.ods", dir / "a.zip"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  Result<ExtractedText> docx = extract_text(span_of(testing::read_bytes(dir / "a.docx")), {});
  ASSERT_TRUE(docx.is_ok()) << docx.status().to_string();
  EXPECT_EQ(docx->text, "Date\t10.08.2020  Minsk\nline two\n\nkept\nbox");

  Result<ExtractedText> odt = extract_text(span_of(testing::read_bytes(dir / "a.odt")), {});
  ASSERT_TRUE(odt.is_ok()) << odt.status().to_string();
  EXPECT_EQ(odt->text, "Heading\ntwo  spaces collapsed here\ttab\nnext\nnote end");

  expect_refused(extract_text(span_of(testing::read_bytes(dir / "a.ods")), {}),
                 "opendocument.spreadsheet");
  expect_refused(extract_text(span_of(testing::read_bytes(dir / "a.zip")), {}), "neither DOCX");
}

TEST(ExtractPlainText, Utf8AsItIs) {
  const std::string text = "\xEF\xBB\xBFПратакол\r\nМяне затрымалі ў Мінску.\r\nЯ з'ехаў.\n";
  Result<ExtractedText> out = extract_text(span_of(text), {});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->text, "Пратакол\nМяне затрымалі ў Мінску.\nЯ з'ехаў.\n");
  EXPECT_EQ(out->language, "be");
  EXPECT_EQ(out->tool, "evhub-extract");
  EXPECT_EQ(out->confidence, -1);
  EXPECT_EQ(out->pages, 0);
}

TEST(ExtractPlainText, MentioningPdfIsStillText) {
  const std::string text = "The attachment starts with %PDF-1.7 but was not sent.\n";
  Result<ExtractedText> out = extract_text(span_of(text), {});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out->text, text);
  EXPECT_EQ(out->language, "en");
}

TEST(ExtractPlainText, GivenLanguageIsKept) {
  Result<ExtractedText> out = extract_text(span_of(std::string("42")), {.language = "ru"});
  ASSERT_TRUE(out.is_ok());
  EXPECT_EQ(out->language, "ru");
}

TEST(ExtractRefused, InvalidUtf8) {
  // Windows-1251 "Мінск", a common way to get text that is not UTF-8: CC B3 happens to be
  // valid UTF-8 (U+0333), ED F1 is not.
  const std::string cp1251 = "Protocol: \xCC\xB3\xED\xF1\xEA";
  expect_refused(extract_text(span_of(cp1251), {}), "byte 12 is not UTF-8");
  expect_refused(extract_text(span_of(std::string("ok \xC0\xAF overlong")), {}), "not UTF-8");
  expect_refused(extract_text(span_of(std::string("surrogate \xED\xA0\x80")), {}), "not UTF-8");
}

TEST(ExtractRefused, BinaryAndGarbage) {
  std::mt19937 rng(42);
  std::vector<std::uint8_t> garbage(4096);
  for (auto& b : garbage) b = static_cast<std::uint8_t>(rng());
  expect_refused(extract_text(span_of(garbage), {}), "not a PDF, DOCX, ODT, PNG, JPEG or TIFF");
  expect_refused(extract_text(span_of(std::string("text\0with NUL", 13)), {}), "NUL");
  expect_refused(extract_text(span_of(std::string("\x01\x02\x03\x04 abc")), {}), "control");
  expect_refused(extract_text(std::span<const std::uint8_t>(), {}), "empty");
  // Right magic number, wrong inside.
  expect_refused(
      extract_text(span_of(std::string("\x89PNG\r\n\x1a\n") + std::string(200, 'z')), {}),
      "damaged image");
  expect_refused(extract_text(span_of(std::string("II*\0", 4) + std::string(200, 'z')), {}),
                 "damaged TIFF");
  expect_refused(extract_text(span_of(std::string("\xff\xd8\xff") + std::string(200, 'z')), {}),
                 "damaged image");
  expect_refused(extract_text(span_of(std::string("PK\x03\x04") + std::string(200, 'z')), {}),
                 "damaged ZIP");
}

// Every prefix length class and some flipped bytes of each kind of file: a Status or a text,
// never a crash or a sanitizer report.
TEST(ExtractRefused, TruncatedAndDamagedFilesNeverCrash) {
  TempDir dir;
  const std::string short_text = "Акрэсціна, 10 жніўня 2020.";
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> docs;
  docs.emplace_back("pdf", doc_from_text(dir, kLines, "pdf-text", "a.pdf"));
  docs.emplace_back("docx", doc_from_text(dir, kLines, "docx", "a.docx"));
  docs.emplace_back("odt", doc_from_text(dir, kLines, "odt", "a.odt"));
  docs.emplace_back("png", doc_from_text(dir, short_text, "page", "a.png"));
  docs.emplace_back("jpg", doc_from_text(dir, short_text, "page", "a.jpg"));
  docs.emplace_back("tif", doc_from_text(dir, short_text, "page", "a.tif"));
  std::mt19937 rng(7);
  int refused = 0;
  int read = 0;
  for (const auto& [kind, bytes] : docs) {
    ASSERT_GT(bytes.size(), 100u) << kind;
    std::vector<std::vector<std::uint8_t>> variants;
    for (const std::size_t cut : {std::size_t{1}, std::size_t{8}, std::size_t{64}, bytes.size() / 4,
                                  bytes.size() / 2, bytes.size() * 3 / 4, bytes.size() - 2}) {
      variants.emplace_back(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    }
    for (int flip = 0; flip < 4; ++flip) {
      std::vector<std::uint8_t> damaged = bytes;
      for (int k = 0; k < 16; ++k) {
        damaged[64 + rng() % (damaged.size() - 64)] ^= static_cast<std::uint8_t>(1 + rng() % 255);
      }
      variants.push_back(std::move(damaged));
    }
    for (const auto& variant : variants) {
      Result<ExtractedText> out = extract_text(span_of(variant), {.language = "be", .threads = 1});
      if (out.is_ok()) {
        ++read;
      } else {
        ++refused;
        EXPECT_EQ(out.status().code(), Code::kInvalidArgument)
            << kind << ": " << out.status().to_string();
        EXPECT_FALSE(out.status().message().empty());
      }
    }
  }
  std::cout << "[ damaged  ] " << refused << " refused, " << read << " read anyway\n";
  EXPECT_GT(refused, 30);
}

TEST(ExtractMany, InOrderOnTwoThreads) {
  TempDir dir;
  const auto be = doc_from_text(dir, testing::kBelarusian, "page", "be.png");
  const auto ru = doc_from_text(dir, testing::kRussian, "page", "ru.jpg", {"--degraded"});
  const auto docx = doc_from_text(dir, kLines, "docx", "a.docx");
  const std::string text = "I was detained in Minsk on 10 August 2020.";
  Result<std::vector<ExtractedText>> out = extract_many(
      {span_of(be), span_of(ru), span_of(docx), span_of(text)}, {.language = "", .threads = 2});
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_EQ((*out)[0].language, "be");
  EXPECT_LE(cer(testing::kBelarusian, (*out)[0].text), 0.005);
  EXPECT_EQ((*out)[1].language, "ru");
  EXPECT_LE(cer(testing::kRussian, (*out)[1].text), 0.01);
  EXPECT_EQ((*out)[2].text, kLines);
  EXPECT_EQ((*out)[3].text, text);
  EXPECT_EQ((*out)[3].language, "en");
}

TEST(ExtractMany, FirstFailureNamesTheDocument) {
  const std::string good = "Мяне затрымалі ў Мінску.";
  const std::string bad = "\xff\xfe not text";
  Result<std::vector<ExtractedText>> out =
      extract_many({span_of(good), span_of(good), span_of(bad), span_of(good), span_of(bad)},
                   {.language = "", .threads = 2});
  ASSERT_FALSE(out.is_ok());
  EXPECT_EQ(out.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(out.status().message().rfind("document 3: ", 0), 0u) << out.status().message();
  Result<std::vector<ExtractedText>> none = extract_many({}, {});
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->empty());
}

TEST(ExtractMetadata, ExifGpsAndDateFlagged) {
  TempDir dir;
  doc_from_text(dir, "Фота", "page", "photo.jpg");
  const auto r = evhub::testing::run({"exiv2",
                                      "-M",
                                      "set Exif.Image.Make Evidence Camera",
                                      "-M",
                                      "set Exif.Photo.DateTimeOriginal 2020:08:10 14:32:00",
                                      "-M",
                                      "set Exif.GPSInfo.GPSLatitude 53/1 54/1 3000/100",
                                      "-M",
                                      "set Exif.GPSInfo.GPSLatitudeRef N",
                                      "-M",
                                      "set Exif.GPSInfo.GPSLongitude 27/1 33/1 0/1",
                                      "-M",
                                      "set Exif.GPSInfo.GPSLongitudeRef E",
                                      "-M",
                                      "set Exif.GPSInfo.GPSAltitude 220/1",
                                      "-M",
                                      "set Iptc.Application2.Caption Акрэсціна",
                                      "-M",
                                      "set Xmp.dc.description Ізалятар",
                                      dir / "photo.jpg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Result<nlohmann::json> meta = image_metadata(span_of(testing::read_bytes(dir / "photo.jpg")));
  ASSERT_TRUE(meta.is_ok()) << meta.status().to_string();
  const nlohmann::json& m = *meta;
  EXPECT_EQ(m["exif"]["Exif.Image.Make"], "Evidence Camera");
  EXPECT_EQ(m["exif"]["Exif.Photo.DateTimeOriginal"], "2020:08:10 14:32:00");
  EXPECT_EQ(m["exif"]["Exif.GPSInfo.GPSLatitude"], "53/1 54/1 3000/100");
  EXPECT_EQ(m["iptc"]["Iptc.Application2.Caption"], "Акрэсціна");
  EXPECT_NE(m["xmp"]["Xmp.dc.description"].get<std::string>().find("Ізалятар"), std::string::npos);
  EXPECT_NEAR(m["gps"]["latitude"].get<double>(), 53 + 54 / 60.0 + 30 / 3600.0, 1e-9);
  EXPECT_NEAR(m["gps"]["longitude"].get<double>(), 27.55, 1e-9);
  EXPECT_NEAR(m["gps"]["altitude"].get<double>(), 220, 1e-9);
  EXPECT_EQ(m["date_time_original"], "2020:08:10 14:32:00");
  EXPECT_EQ(m["flags"], nlohmann::json::array({"gps", "date_time_original"}));
  EXPECT_NO_THROW(m.dump());  // valid UTF-8 throughout
}

TEST(ExtractMetadata, NoneIsEmptyAndBadInputIsRefused) {
  TempDir dir;
  const auto png = doc_from_text(dir, "x", "page", "plain.png");
  Result<nlohmann::json> meta = image_metadata(span_of(png));
  ASSERT_TRUE(meta.is_ok()) << meta.status().to_string();
  EXPECT_TRUE((*meta)["exif"].empty());
  EXPECT_TRUE((*meta)["flags"].empty());
  EXPECT_FALSE(meta->contains("gps"));

  for (const std::string& bad :
       {std::string("not an image at all"), std::string("\xff\xd8\xff\xe1") + std::string(50, '\0'),
        std::string("\x89PNG\r\n\x1a\n")}) {
    Result<nlohmann::json> out = image_metadata(span_of(bad));
    if (out.is_ok()) continue;  // exiv2 may find an empty image acceptable; no crash is the point
    EXPECT_EQ(out.status().code(), Code::kInvalidArgument);
    EXPECT_NE(out.status().message().find("metadata cannot be read"), std::string::npos);
  }
  EXPECT_FALSE(image_metadata(span_of(std::string("not an image at all"))).is_ok());
  EXPECT_FALSE(image_metadata(std::span<const std::uint8_t>()).is_ok());
  const std::vector<std::uint8_t> cut(png.begin(), png.begin() + 40);
  Result<nlohmann::json> truncated = image_metadata(span_of(cut));
  if (!truncated.is_ok()) {
    EXPECT_EQ(truncated.status().code(), Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace evhub::extract

namespace evhub::extract {
namespace {

const char* type_of(std::string_view head) {
  return media_type_of({reinterpret_cast<const std::uint8_t*>(head.data()), head.size()});
}

TEST(MediaType, IsToldFromTheBytesAsExtractionTellsThem) {
  EXPECT_STREQ(type_of("%PDF-1.7\n"), "application/pdf");
  EXPECT_STREQ(type_of("\x89PNG\r\n\x1a\n...."), "image/png");
  EXPECT_STREQ(type_of("\xff\xd8\xff\xe0"), "image/jpeg");
  EXPECT_STREQ(type_of(std::string_view("II*\0....", 8)), "image/tiff");
  EXPECT_STREQ(type_of("PK\x03\x04...."), "application/zip");
  EXPECT_STREQ(type_of("Нас трымалі на Акрэсціна."), "text/plain; charset=utf-8");
  // The first 1,024 bytes may end inside a character: still text.
  const std::string cut = std::string("Акрэсціна").substr(0, 5);
  EXPECT_STREQ(type_of(cut), "text/plain; charset=utf-8");
  EXPECT_STREQ(type_of(std::string_view("text\0with a NUL", 15)), "application/octet-stream");
  EXPECT_STREQ(type_of("\xfe\xfe not UTF-8 at all"), "application/octet-stream");
  EXPECT_STREQ(type_of("A text that mentions %PDF- is text"), "text/plain; charset=utf-8");
}

}  // namespace
}  // namespace evhub::extract
