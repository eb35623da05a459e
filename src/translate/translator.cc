#include "translate/translator.h"

#include <algorithm>
#include <filesystem>

#include "core/subprocess.h"
#include "core/text.h"

namespace evhub::translate {

namespace {

// apertium names languages with ISO 639-3 codes.
std::string iso3(const std::string& lang) {
  if (lang == "be") return "bel";
  if (lang == "ru") return "rus";
  if (lang == "en") return "eng";
  if (lang == "uk") return "ukr";
  if (lang == "pl") return "pol";
  return lang;
}

// The first line a command printed, for a message (never the text it was given).
std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  if (line.size() > 200) line.resize(200);
  return line;
}

class Apertium final : public Translator {
 public:
  Apertium(std::chrono::milliseconds timeout, std::string version)
      : timeout_(timeout), version_(std::move(version)) {}

  bool offers(const std::string& from, const std::string& to) const override {
    return std::filesystem::exists("/usr/share/apertium/modes/" + iso3(from) + "-" + iso3(to) +
                                   ".mode");
  }

  Result<Translation> translate(const std::string& text, const std::string& from,
                                const std::string& to) override {
    if (!is_valid_utf8(text)) return Status(Code::kInvalidArgument, "the text is not UTF-8");
    if (!offers(from, to)) {
      return Status(Code::kInvalidArgument, "apertium has no " + from + "→" + to +
                                                " pair installed (apertium-bel-rus offers "
                                                "be→ru and ru→be)");
    }
    const std::string pair = iso3(from) + "-" + iso3(to);
    EVHUB_ASSIGN_OR_RETURN(ProcessResult r, run_process({"apertium", "-u", pair}, text, timeout_));
    if (r.exit_code != 0) {
      return Status(Code::kIoError, "apertium failed (exit " + std::to_string(r.exit_code) +
                                        "): " + first_line(r.err));
    }
    return Translation{r.out, from, to, "apertium", version_, "-u " + pair, true};
  }

 private:
  std::chrono::milliseconds timeout_;
  std::string version_;
};

class Command final : public Translator {
 public:
  Command(std::vector<std::string> argv, std::vector<std::string> pairs, std::string version,
          std::chrono::milliseconds timeout)
      : argv_(std::move(argv)),
        pairs_(std::move(pairs)),
        version_(std::move(version)),
        timeout_(timeout) {}

  bool offers(const std::string& from, const std::string& to) const override {
    return std::find(pairs_.begin(), pairs_.end(), from + "-" + to) != pairs_.end();
  }

  Result<Translation> translate(const std::string& text, const std::string& from,
                                const std::string& to) override {
    if (!is_valid_utf8(text)) return Status(Code::kInvalidArgument, "the text is not UTF-8");
    if (argv_.empty()) return Status(Code::kInvalidArgument, "no translation command is set");
    if (!offers(from, to)) {
      return Status(Code::kInvalidArgument,
                    "the translation command is not configured for " + from + "→" + to);
    }
    std::vector<std::string> argv = argv_;
    std::string params;
    for (std::size_t i = 1; i < argv.size(); ++i) {
      for (const auto& [key, value] : {std::pair{"{from}", from}, std::pair{"{to}", to}}) {
        for (auto at = argv[i].find(key); at != std::string::npos; at = argv[i].find(key)) {
          argv[i].replace(at, std::string(key).size(), value);
        }
      }
      params += (params.empty() ? "" : " ") + argv[i];
    }
    EVHUB_ASSIGN_OR_RETURN(ProcessResult r, run_process(argv, text, timeout_));
    if (r.exit_code != 0) {
      return Status(Code::kIoError, argv[0] + " failed (exit " + std::to_string(r.exit_code) +
                                        "): " + first_line(r.err));
    }
    if (!is_valid_utf8(r.out)) return Status(Code::kIoError, argv[0] + " did not answer in UTF-8");
    const std::string tool = std::filesystem::path(argv[0]).filename().string();
    return Translation{r.out, from, to, tool, version_, params, true};
  }

 private:
  std::vector<std::string> argv_;
  std::vector<std::string> pairs_;
  std::string version_;
  std::chrono::milliseconds timeout_;
};

// The installed apertium-bel-rus package's version, for provenance.
std::string apertium_version() {
  auto r = run_process({"dpkg-query", "-W", "-f=${Version}", "apertium-bel-rus"}, "",
                       std::chrono::seconds(10));
  if (r.is_ok() && r->exit_code == 0 && !r->out.empty()) return "apertium-bel-rus " + r->out;
  return "unknown";
}

}  // namespace

std::unique_ptr<Translator> apertium_translator(std::chrono::milliseconds timeout) {
  return std::make_unique<Apertium>(timeout, apertium_version());
}

std::unique_ptr<Translator> command_translator(std::vector<std::string> argv,
                                               std::vector<std::string> pairs, std::string version,
                                               std::chrono::milliseconds timeout) {
  return std::make_unique<Command>(std::move(argv), std::move(pairs), std::move(version), timeout);
}

}  // namespace evhub::translate
