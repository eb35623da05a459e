// Redacting an item on a real hub: the result is a new object derived from the original, in
// the same key domain, with the tool and counts (never content) in its provenance; the original
// is untouched; what cannot be redacted is refused with what to do instead.
#include "disclosure/redact_item.h"

#include <cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "hub/record_io.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::disclosure {
namespace {

const char* const kTranscript =
    "Мяне завуць Алена Дзераўянка, тэлефон +375 29 765-43-21. Маёр загадаў біць нас.";

class RedactItemTest : public ::testing::Test {
 protected:
  void SetUp() override { hub_ = testing::new_test_hub(tmp_ / "hub"); }

  std::string put(const std::string& bytes) {
    auto stored = hub_->put_data("item", bytes, "W-00123", hub::Intake::evidence("org-a"));
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored.is_ok() ? stored->id : "";
  }
  std::string read(const std::string& id) { return *hub::read_object_text(*hub_, id, 1 << 26); }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  const std::vector<WitnessIdentity> witnesses_ = {{"W-00123", "Алена Дзераўянка", "", "", ""}};
};

TEST_F(RedactItemTest, ATranscriptBecomesADerivedPseudonymisedObject) {
  const std::string original = put(kTranscript);
  auto r = redact_item(*hub_, original, witnesses_, {});
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_NE(r->object_id, original);
  const std::string text = read(r->object_id);
  EXPECT_EQ(text, "Мяне завуць W-00123, тэлефон [phone]. Маёр загадаў біць нас.");
  EXPECT_EQ(read(original), kTranscript);  // untouched
  ASSERT_EQ(r->log.size(), 2U);            // the name (two words, one code) and the phone number
  EXPECT_EQ(r->log[0].kind, "name");
  EXPECT_EQ(r->log[1].kind, "phone");

  auto derived = hub_->describe(r->object_id);
  ASSERT_TRUE(derived.is_ok());
  EXPECT_EQ(derived->domain, "W-00123");
  EXPECT_EQ(derived->record.derived_from, original);
  EXPECT_EQ(derived->record.tool, "evhub-redaction");
  EXPECT_EQ(derived->record.tool_parameters, R"({"name":1,"phone":1})");
  EXPECT_EQ(derived->record.sha256, r->sha256);
}

TEST_F(RedactItemTest, AnImageIsBoxedAndWhatCannotBeRedactedIsRefused) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 200, 100);
  std::vector<std::uint8_t> png;
  cairo_surface_write_to_png_stream(
      s,
      [](void* c, const unsigned char* d, unsigned int n) {
        auto* out = static_cast<std::vector<std::uint8_t>*>(c);
        out->insert(out->end(), d, d + n);
        return CAIRO_STATUS_SUCCESS;
      },
      &png);
  cairo_surface_destroy(s);
  const std::string image = put(std::string(png.begin(), png.end()));
  auto boxed = redact_item(*hub_, image, {}, {{1, 0.1, 0.1, 0.5, 0.5}});
  ASSERT_TRUE(boxed.is_ok()) << boxed.status().to_string();
  EXPECT_EQ(hub_->describe(boxed->object_id)->record.media_type, "image/png");
  ASSERT_EQ(boxed->log.size(), 1U);
  EXPECT_EQ(boxed->log[0].kind, "region");

  EXPECT_NE(redact_item(*hub_, image, {}, {}).status().message().find("mark the regions"),
            std::string::npos);
  const std::string text = put(kTranscript);
  EXPECT_NE(redact_item(*hub_, text, {}, {{1, 0, 0, 1, 1}}).status().message().find("not boxed"),
            std::string::npos);
  const std::string binary = put(std::string("\x00\x01\xfe\xff binary", 11));
  EXPECT_NE(redact_item(*hub_, binary, {}, {}).status().message().find("deliver it whole"),
            std::string::npos);
  EXPECT_EQ(redact_item(*hub_, std::string(32, 'a'), {}, {}).status().code(), Code::kNotFound);
}

// A photo that says where it was taken is flagged before it is delivered whole; its redacted
// version carries no metadata and is not flagged; a text has nothing to flag.
TEST_F(RedactItemTest, APhotoThatSaysWhereItWasTakenIsFlagged) {
  const std::string jpeg = tmp_ / "photo.jpg";
  // Debian's python3, which has Pillow (as tests/extract/test_docs.h does).
  ASSERT_EQ(evhub::testing::run({"/usr/bin/python3", "-c",
                                 "import sys; from PIL import Image; "
                                 "Image.new('RGB', (64, 48), 'white').save(sys.argv[1])",
                                 jpeg})
                .exit_code,
            0);
  ASSERT_EQ(evhub::testing::run({"exiv2", "-M", "set Exif.GPSInfo.GPSLatitude 53/1 54/1 0/1", "-M",
                                 "set Exif.GPSInfo.GPSLatitudeRef N", "-M",
                                 "set Exif.GPSInfo.GPSLongitude 27/1 33/1 0/1", "-M",
                                 "set Exif.GPSInfo.GPSLongitudeRef E", jpeg})
                .exit_code,
            0);
  const std::string photo = put(evhub::testing::read_text(jpeg));
  auto warnings = delivery_warnings(*hub_, photo);
  ASSERT_TRUE(warnings.is_ok()) << warnings.status().to_string();
  EXPECT_NE(std::find(warnings->begin(), warnings->end(), "gps"), warnings->end());
  auto boxed = redact_item(*hub_, photo, {}, {{1, 0, 0, 0.1, 0.1}});
  ASSERT_TRUE(boxed.is_ok());
  EXPECT_TRUE(delivery_warnings(*hub_, boxed->object_id)->empty());
  EXPECT_TRUE(delivery_warnings(*hub_, put(kTranscript))->empty());
}

}  // namespace
}  // namespace evhub::disclosure
