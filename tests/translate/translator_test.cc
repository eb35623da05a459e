// Translation with the real apertium (Debian's apertium-bel-rus) and with an operator's command
// (a shell script written by the test), including the failures a worker must report clearly.
#include "translate/translator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/subprocess.h"
#include "support/support.h"

namespace evhub::translate {
namespace {

TEST(Apertium, TranslatesBelarusianToRussianAndSaysHow) {
  auto t = apertium_translator();
  ASSERT_TRUE(t->offers("be", "ru"));
  EXPECT_FALSE(t->offers("be", "en"));
  auto r = t->translate("Мяне затрымалі ў Мінску ў жніўні 2020 года.\n", "be", "ru");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_NE(r->text.find("Меня задержали в Минске в августе 2020 года"), std::string::npos)
      << r->text;
  EXPECT_EQ(r->tool, "apertium");
  EXPECT_NE(r->tool_version.find("apertium-bel-rus"), std::string::npos) << r->tool_version;
  EXPECT_EQ(r->parameters, "-u bel-rus");
  EXPECT_TRUE(r->machine);
  EXPECT_EQ(t->translate("text", "be", "en").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(t->translate(std::string("\xff\xfe", 2), "be", "ru").status().code(),
            Code::kInvalidArgument);
}

TEST(CommandTranslator, RunsTheOperatorsCommandWithoutAShell) {
  testing::TempDir tmp;
  const std::string script = tmp / "mt.sh";
  // Upper-cases its input and prints its arguments to stderr; fails for "en".
  testing::write_text_file(script,
                           "#!/bin/sh\n"
                           "[ \"$2\" = en ] && { echo 'model for en missing' >&2; exit 3; }\n"
                           "tr 'a-z' 'A-Z'\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  auto t = command_translator({script, "{from}", "{to}"}, {"xx-yy", "xx-en"}, "mt 1.0");
  auto r = t->translate("text; rm -rf /", "xx", "yy");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->text, "TEXT; RM -RF /") << "the text is data on stdin, never a command";
  EXPECT_EQ(r->tool, "mt.sh");
  EXPECT_EQ(r->parameters, "xx yy");
  EXPECT_EQ(r->tool_version, "mt 1.0");
  auto failed = t->translate("text", "xx", "en");
  ASSERT_FALSE(failed.is_ok());
  EXPECT_NE(failed.status().message().find("model for en missing"), std::string::npos);
  EXPECT_EQ(failed.status().message().find("text"), std::string::npos)
      << "the message never repeats the text";
  EXPECT_EQ(t->translate("text", "yy", "xx").status().code(), Code::kInvalidArgument);
  auto missing = command_translator({"/nonexistent/mt"}, {"xx-yy"}, "");
  EXPECT_EQ(missing->translate("t", "xx", "yy").status().code(), Code::kNotFound);
}

TEST(Subprocess, DeadlinesAndLargeInputs) {
  auto slow = run_process({"sleep", "5"}, "", std::chrono::milliseconds(200));
  EXPECT_EQ(slow.status().code(), Code::kBusy);
  // 8 MiB through cat: both pipes keep moving, no deadlock.
  std::string big(8u << 20, 'a');
  auto cat = run_process({"cat"}, big, std::chrono::seconds(30));
  ASSERT_TRUE(cat.is_ok());
  EXPECT_EQ(cat->out.size(), big.size());
  // A program that ignores its input and exits: no SIGPIPE kills us.
  auto quits = run_process({"true"}, big, std::chrono::seconds(30));
  ASSERT_TRUE(quits.is_ok());
  EXPECT_EQ(quits->exit_code, 0);
  auto flood =
      run_process({"head", "-c", "2000000", "/dev/zero"}, "", std::chrono::seconds(30), 1000000);
  EXPECT_EQ(flood.status().code(), Code::kNoSpace);
}

}  // namespace
}  // namespace evhub::translate
