// multipart/form-data as browsers write it: file names with spaces, quotes and Cyrillic,
// binary bodies that contain line ends, and every malformed body refused with a reason.
#include "api/multipart.h"

#include <gtest/gtest.h>

namespace evhub::api {
namespace {

const char* const kType = "multipart/form-data; boundary=----WebKitFormBoundaryAbC123";

std::string part(const std::string& disposition, const std::string& data) {
  return "------WebKitFormBoundaryAbC123\r\nContent-Disposition: form-data; " + disposition +
         "\r\nContent-Type: application/octet-stream\r\n\r\n" + data + "\r\n";
}

TEST(Multipart, SplitsFieldsAndFilesAsBrowsersSendThem) {
  const std::string binary("a\r\n--\0b\r\n", 9);
  const std::string body = part(R"(name="manifest"; filename="manifest.csv")", "record,witness\n") +
                           part(R"(name="files"; filename="пратакол 1 %22a;b%22.pdf")", binary) +
                           part(R"(name="note")", "") + "------WebKitFormBoundaryAbC123--\r\n";
  auto parts = parse_multipart(kType, body);
  ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "manifest");
  EXPECT_EQ((*parts)[0].data, "record,witness\n");
  EXPECT_EQ((*parts)[1].filename, "пратакол 1 %22a;b%22.pdf");
  EXPECT_TRUE((*parts)[1].is_file);
  EXPECT_EQ((*parts)[1].data, binary);
  EXPECT_EQ((*parts)[2].name, "note");
  EXPECT_FALSE((*parts)[2].is_file);
  EXPECT_TRUE((*parts)[2].data.empty());
  // A quoted boundary and a preamble are allowed too.
  auto quoted = parse_multipart(R"(Multipart/Form-Data; boundary="----WebKitFormBoundaryAbC123")",
                                "preamble\r\n" + body);
  ASSERT_TRUE(quoted.is_ok()) << quoted.status().to_string();
  EXPECT_EQ(quoted->size(), 3u);
}

TEST(Multipart, RefusesWhatIsNotAWholeFormWithAReason) {
  const std::string good = part(R"(name="manifest")", "x");
  for (const auto& [type, body] : std::vector<std::pair<std::string, std::string>>{
           {"application/json", "{}"},
           {"multipart/form-data", good},
           {kType, "no boundary here"},
           {kType, good},  // no closing boundary
           {kType,
            "------WebKitFormBoundaryAbC123\r\nContent-Disposition: form-data\r\n\r\nx\r\n"
            "------WebKitFormBoundaryAbC123--"},
           {kType, "------WebKitFormBoundaryAbC123\r\nContent-Disposition: form-data; name=\"a\""},
       }) {
    auto parts = parse_multipart(type, body);
    ASSERT_FALSE(parts.is_ok()) << type << " " << body;
    EXPECT_EQ(parts.status().code(), Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace evhub::api
