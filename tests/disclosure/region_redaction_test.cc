// Region redaction burnt into the pixels: what was under a box cannot be read back by OCR, by
// the PDF's text layer or from the image's metadata, and what was outside it still can.
#include "disclosure/region_redaction.h"

#include <allheaders.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <exiv2/exiv2.hpp>
#include <memory>
#include <string>
#include <vector>

#include "extract/extract.h"

namespace evhub::disclosure {
namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

// Two lines of large black text on white: the secret in the top half, the place below.
void draw_page(cairo_t* cr, double width, double height) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, height / 12);
  cairo_move_to(cr, width / 12, height * 0.3);
  cairo_show_text(cr, "SECRET WITNESS");
  cairo_move_to(cr, width / 12, height * 0.8);
  cairo_show_text(cr, "AKRESTSINA");
}

std::vector<std::uint8_t> png_page() {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 600);
  cairo_t* cr = cairo_create(s);
  draw_page(cr, 1200, 600);
  cairo_destroy(cr);
  std::vector<std::uint8_t> out;
  cairo_surface_write_to_png_stream(s, append, &out);
  cairo_surface_destroy(s);
  return out;
}

std::vector<std::uint8_t> pdf_pages(int pages) {
  std::vector<std::uint8_t> out;
  cairo_surface_t* s = cairo_pdf_surface_create_for_stream(append, &out, 595, 420);
  cairo_t* cr = cairo_create(s);
  for (int i = 0; i < pages; ++i) {
    draw_page(cr, 595, 420);
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  return out;
}

std::string read_back(const std::vector<std::uint8_t>& bytes) {
  extract::ExtractOptions options;
  options.language = "en";
  options.threads = 1;
  auto text = extract::extract_text(bytes, options);
  EXPECT_TRUE(text.is_ok()) << text.status().to_string();
  return text.is_ok() ? text->text : "";
}

const RedactionBox kTopHalf{1, 0, 0, 1, 0.5};

TEST(RegionRedaction, AnImageLosesWhatIsUnderTheBoxAndItsMetadata) {
  // A photo (JPEG) whose EXIF says where it was taken.
  std::vector<std::uint8_t> original;
  {
    const auto png = png_page();
    PIX* pix = pixReadMem(png.data(), png.size());
    l_uint8* jpeg = nullptr;
    size_t size = 0;
    ASSERT_EQ(pixWriteMem(&jpeg, &size, pix, IFF_JFIF_JPEG), 0);
    original.assign(jpeg, jpeg + size);
    lept_free(jpeg);
    pixDestroy(&pix);
  }
  {
    auto image = Exiv2::ImageFactory::open(original.data(), original.size());
    image->readMetadata();
    image->exifData()["Exif.GPSInfo.GPSLatitude"] = "53/1 54/1 0/1";
    image->exifData()["Exif.GPSInfo.GPSLatitudeRef"] = "N";
    image->exifData()["Exif.GPSInfo.GPSLongitude"] = "27/1 33/1 0/1";
    image->exifData()["Exif.GPSInfo.GPSLongitudeRef"] = "E";
    image->writeMetadata();
    auto& io = image->io();
    io.seek(0, Exiv2::BasicIo::beg);
    const auto data = io.read(io.size());
    original.assign(data.pData_, data.pData_ + data.size_);
  }
  ASSERT_TRUE(extract::image_metadata(original)->contains("gps"));
  const std::string before = read_back(original);
  ASSERT_NE(before.find("SECRET"), std::string::npos) << before;  // the test can fail

  auto redacted = redact_image(original, {kTopHalf});
  ASSERT_TRUE(redacted.is_ok()) << redacted.status().to_string();
  EXPECT_EQ(redacted->media_type, "image/png");
  const std::string after = read_back(redacted->bytes);
  EXPECT_EQ(after.find("SECRET"), std::string::npos) << after;
  EXPECT_EQ(after.find("WITNESS"), std::string::npos) << after;
  EXPECT_NE(after.find("AKRESTSINA"), std::string::npos) << after;
  EXPECT_FALSE(extract::image_metadata(redacted->bytes)->contains("gps"));
}

TEST(RegionRedaction, APdfBecomesPageImagesWithNoTextLayerLeft) {
  const auto original = pdf_pages(2);
  {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(original.data()), static_cast<int>(original.size())));
    ASSERT_TRUE(doc);
    std::unique_ptr<poppler::page> second(doc->create_page(1));
    ASSERT_TRUE(second);
    ASSERT_NE(second->text().to_latin1().find("SECRET"), std::string::npos);
  }
  // The secret is boxed on page 2 only; page 1 is rendered to pixels all the same.
  auto redacted = redact_pdf(original, {{2, 0, 0, 1, 0.5}});
  ASSERT_TRUE(redacted.is_ok()) << redacted.status().to_string();
  EXPECT_EQ(redacted->pages, 2);
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(reinterpret_cast<const char*>(redacted->bytes.data()),
                                            static_cast<int>(redacted->bytes.size())));
  ASSERT_TRUE(doc);
  ASSERT_EQ(doc->pages(), 2);
  for (int i = 0; i < 2; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    std::string text = page->text().to_latin1();
    std::erase_if(text, [](char c) { return c == '\f' || c == '\n' || c == ' '; });
    EXPECT_EQ(text, "") << "page " << i + 1 << " keeps a text layer";
    EXPECT_NEAR(page->page_rect().width(), 595, 1);
  }
  const std::string after = read_back(redacted->bytes);  // OCR of both pages
  const auto second = after.find("AKRESTSINA", after.find("AKRESTSINA") + 1);
  EXPECT_NE(second, std::string::npos) << after;  // both pages still read
  EXPECT_EQ(after.find("SECRET", after.find("AKRESTSINA")), std::string::npos) << after;
}

TEST(RegionRedaction, BadBoxesAndFilesAreRefusedWithAReason) {
  const auto png = png_page();
  EXPECT_EQ(redact_image(png, {{1, 0.5, 0.5, 0.6, 0.1}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(redact_image(png, {{2, 0, 0, 0.1, 0.1}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(redact_image(png, {{1, 0, 0, 0, 0.1}}).status().code(), Code::kInvalidArgument);
  const std::vector<std::uint8_t> junk = {'n', 'o', 't', ' ', 'a', 'n',
                                          ' ', 'i', 'm', 'a', 'g', 'e'};
  EXPECT_NE(redact_image(junk, {}).status().message().find("not an image"), std::string::npos);
  EXPECT_NE(redact_pdf(junk, {}).status().message().find("not a PDF"), std::string::npos);
  EXPECT_NE(redact_pdf(pdf_pages(1), {{3, 0, 0, 0.1, 0.1}}).status().message().find("page 3"),
            std::string::npos);
}

}  // namespace
}  // namespace evhub::disclosure
