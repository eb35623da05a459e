// The textual rules of BagIt shared by the writer and the verifier: safe paths, the RFC 8493
// percent-encoding, manifest lines, folded bag-info fields, the Payload-Oxum.
#include "disclosure/bagit_text.h"

#include <gtest/gtest.h>

namespace evhub::disclosure::bagit {
namespace {

TEST(BagitText, UnsafePathsAreRefusedUnderBothRules) {
  for (const auto rule : {NameRule::kStockTools, NameRule::kRfc}) {
    for (const char* path :
         {"", "/etc/passwd", "../x", "a/../b", "a//b", "a/", "./a", "a/.", "a\\b", "\xff\xfe"}) {
      EXPECT_TRUE(path_problem(path, rule).has_value()) << path;
    }
    EXPECT_TRUE(path_problem(std::string_view("a\0b", 3), rule).has_value());
    for (const char* path : {"a", "INC-0012/протокол допроса.txt", "a b/c d", "x..y", "..a"}) {
      EXPECT_FALSE(path_problem(path, rule).has_value()) << path;
    }
  }
}

TEST(BagitText, StockToolNamesRefuseWhatSha256sumWouldReadDifferently) {
  for (const char* path :
       {"50%.txt", "a\nb", "a\rb", "tab\tin", "esc\x1b[31m", " lead", "trail ", "dir /x"}) {
    const auto problem = path_problem(path, NameRule::kStockTools);
    EXPECT_TRUE(problem.has_value()) << path;
  }
  EXPECT_NE(path_problem("50%.txt", NameRule::kStockTools)->find("sha256sum"), std::string::npos);
  for (const char* path : {"50%.txt", "a\nb", "a\rb", " lead"}) {
    EXPECT_FALSE(path_problem(path, NameRule::kRfc).has_value()) << path;
  }
}

TEST(BagitText, PercentEncodingCoversExactlyPercentCrAndLf) {
  EXPECT_EQ(encode_path("data/50%\r\n.txt"), "data/50%25%0D%0A.txt");
  EXPECT_EQ(decode_path("data/50%25%0d%0A.txt"), "data/50%\r\n.txt");
  // Anything else that looks like an escape stays, as RFC 8493 encodes only these three.
  EXPECT_EQ(decode_path("data/%41%2"), "data/%41%2");
  EXPECT_EQ(decode_path(encode_path("%25%0A")), "%25%0A");
}

TEST(BagitText, ManifestLinesHaveTwoSpacesAndParseBack) {
  const std::string hex(64, 'a');
  const std::string line = manifest_line(hex, "data/a b%.txt");
  EXPECT_EQ(line, hex + "  data/a b%25.txt\n");
  const auto entry = parse_manifest_line(std::string_view(line).substr(0, line.size() - 1));
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->checksum, hex);
  EXPECT_EQ(entry->path, "data/a b%.txt");
  EXPECT_TRUE(is_canonical_manifest_line(hex + "  data/x", 64));
  // A tab, one space, upper-case hex or a short checksum are BagIt but not the hub's form.
  EXPECT_TRUE(parse_manifest_line(hex + "\tdata/x").has_value());
  EXPECT_FALSE(is_canonical_manifest_line(hex + "\tdata/x", 64));
  EXPECT_FALSE(is_canonical_manifest_line(hex + " data/x", 64));
  EXPECT_FALSE(is_canonical_manifest_line(std::string(64, 'A') + "  data/x", 64));
  EXPECT_FALSE(is_canonical_manifest_line(hex + "   data/x", 64));
  EXPECT_FALSE(parse_manifest_line("nopath").has_value());
  EXPECT_FALSE(parse_manifest_line(" data/x").has_value());
  EXPECT_FALSE(parse_manifest_line(hex + "  ").has_value());
}

TEST(BagitText, LinesEndInLfCrOrCrLf) {
  const auto lines = split_lines("a\nb\r\nc\rd");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], "b");
  EXPECT_EQ(lines[2], "c");
  EXPECT_EQ(lines[3], "d");
  EXPECT_TRUE(split_lines("").empty());
}

TEST(BagitText, LongValuesAreFoldedAt79ColumnsAndReadBackExactly) {
  std::string value;
  for (int i = 0; i < 30; ++i) value += "слово" + std::to_string(i) + " ";
  value += "end";
  const std::string text = format_field({"External-Description", value});
  for (const auto line : split_lines(text)) EXPECT_LE(line.size(), 79u) << line;
  EXPECT_GT(split_lines(text).size(), 1u);
  const auto parsed = parse_fields(text + "Payload-Oxum: 5.1\n");
  ASSERT_TRUE(parsed.problems.empty());
  ASSERT_EQ(parsed.fields.size(), 2u);
  EXPECT_EQ(parsed.fields[0].value, value);
  EXPECT_EQ(parsed.fields[1].label, "Payload-Oxum");
  // A word longer than a line is left whole.
  const std::string word(120, 'x');
  EXPECT_EQ(format_field({"Label", word}), "Label: " + word + "\n");
}

TEST(BagitText, FieldsThatCannotBeWrittenAreNamed) {
  EXPECT_TRUE(label_problem("").has_value());
  EXPECT_TRUE(label_problem("a:b").has_value());
  EXPECT_TRUE(label_problem(" a").has_value());
  EXPECT_FALSE(label_problem("Contact-Name").has_value());
  EXPECT_TRUE(value_problem("a\nb").has_value());
  EXPECT_TRUE(value_problem(" a").has_value());
  EXPECT_FALSE(value_problem("Вясна").has_value());
  const auto parsed = parse_fields("Good: yes\n continued\nno colon here\n");
  EXPECT_EQ(parsed.problems.size(), 1u);
  ASSERT_EQ(parsed.fields.size(), 1u);
  EXPECT_EQ(parsed.fields[0].value, "yes continued");
}

TEST(BagitText, PayloadOxumIsOctetsDotFiles) {
  EXPECT_EQ(to_string(PayloadOxum{52341, 7}), "52341.7");
  EXPECT_EQ(parse_payload_oxum("52341.7"), (PayloadOxum{52341, 7}));
  for (const char* bad : {"", "1", "1.", ".1", "1.2.3", "-1.2", "1.x", "1 .2"}) {
    EXPECT_FALSE(parse_payload_oxum(bad).has_value()) << bad;
  }
}

TEST(BagitText, ManifestNamesGiveTheirAlgorithm) {
  EXPECT_EQ(manifest_algorithm("manifest-sha256.txt", "manifest-"), "sha256");
  EXPECT_EQ(manifest_algorithm("tagmanifest-sha512.txt", "tagmanifest-"), "sha512");
  EXPECT_FALSE(manifest_algorithm("tagmanifest-sha512.txt", "manifest-").has_value());
  EXPECT_FALSE(manifest_algorithm("manifest-.txt", "manifest-").has_value());
  EXPECT_FALSE(manifest_algorithm("x/manifest-sha256.txt", "manifest-").has_value());
}

}  // namespace
}  // namespace evhub::disclosure::bagit
