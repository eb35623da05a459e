// The index of a package and the README for recipients: CSV that a spreadsheet reads without
// running anything, HTML that shows text as text, and the exact commands to run.
#include "disclosure/package_index.h"

#include <csv.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evhub::disclosure {
namespace {

const IndexRow kRow = {"EVH-2026-0007-000001",
                       "data/W-00123/EVH-2026-0007-000001 transcript.txt",
                       "Допрос \"свидетеля\", 2 страницы",
                       "2020-08-10",
                       "ru",
                       std::string(64, 'a'),
                       std::string(64, 'b'),
                       "received 2026-03-02; redacted 2026-11-20"};

// The CSV's cells, row by row, as libcsv reads them.
std::vector<std::vector<std::string>> parse(const std::string& text) {
  struct Rows {
    std::vector<std::vector<std::string>> rows{{}};
  } out;
  csv_parser p;
  csv_init(&p, CSV_STRICT);
  auto cell = [](void* s, size_t n, void* d) {
    static_cast<Rows*>(d)->rows.back().emplace_back(static_cast<const char*>(s), n);
  };
  auto end = [](int, void* d) { static_cast<Rows*>(d)->rows.emplace_back(); };
  EXPECT_EQ(csv_parse(&p, text.data(), text.size(), cell, end, &out), text.size());
  csv_fini(&p, cell, end, &out);
  csv_free(&p);
  out.rows.pop_back();
  return out.rows;
}

TEST(PackageIndex, CsvReadsBackCellForCellAndRunsNoFormula) {
  IndexRow formula = kRow;
  formula.description = "=HYPERLINK(\"http://example.org\")";
  formula.custody = "-1+2";
  const std::string csv = index_csv({kRow, formula});
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0U);  // a BOM, so spreadsheets read UTF-8
  const auto rows = parse(csv.substr(3));
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0][0], "production_number");
  EXPECT_EQ(rows[1][2], "Допрос \"свидетеля\", 2 страницы");
  EXPECT_EQ(rows[1][1], kRow.path);
  EXPECT_EQ(rows[2][2], "'=HYPERLINK(\"http://example.org\")");
  EXPECT_EQ(rows[2][7], "'-1+2");
}

TEST(PackageIndex, HtmlShowsTextAsTextAndEveryRow) {
  IndexRow hostile = kRow;
  hostile.description = "<script>alert(1)</script> & <b>";
  const std::string html = index_html("Request OTP-2026/17 <1>", {kRow, hostile});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("Request OTP-2026/17 &lt;1&gt;"), std::string::npos);
  EXPECT_NE(html.find("Допрос &quot;свидетеля&quot;"), std::string::npos);
  EXPECT_NE(html.find("2 files"), std::string::npos);
}

TEST(PackageIndex, TheReadmeGivesTheCommandsInEnglishAndRussian) {
  const std::string text =
      readme_for_recipients("EVH-2026-0007.tar.age", "EVH-2026-0007", "OTP-2026/17");
  for (const char* line :
       {"age -d -i YOUR-KEY.txt -o EVH-2026-0007.tar EVH-2026-0007.tar.age",
        "tar -xf EVH-2026-0007.tar", "cd EVH-2026-0007",
        "minisign -Vm tagmanifest-sha256.txt -p hub.pub -x "
        "tagmanifest-sha256.txt.minisig",
        "sha512sum -c tagmanifest-sha512.txt",
        "find data -type f -printf '%s\\n' | awk '{s+=$1} END {print s+0 \".\" NR}'",
        "sha256sum -c manifest-sha256.txt", "sha512sum -c manifest-sha512.txt",
        "Request / Запрос: OTP-2026/17", "Расшифруйте ключом age"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace evhub::disclosure
