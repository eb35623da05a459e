// Machine translation behind one small interface, so the engine can change without touching
// callers: apertium (Debian's apertium-bel-rus, Belarusian ↔ Russian, offline) and an external
// command the operator configures for any engine their organisation runs. Every translation
// says which tool, version and parameters made it, and that a machine made it; translations by
// people are stored by the caller with machine = false.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace evhub::translate {

struct Translation {
  std::string text;
  std::string from;  // ISO 639-1: be, ru, en
  std::string to;
  std::string tool;  // "apertium", the command's name, or "human"
  std::string tool_version;
  std::string parameters;
  bool machine = true;
};

class Translator {
 public:
  virtual ~Translator() = default;
  // kInvalidArgument for a language pair it does not offer or text that is not UTF-8; other
  // codes when the engine fails (its message, never the text, is in the status).
  virtual Result<Translation> translate(const std::string& text, const std::string& from,
                                        const std::string& to) = 0;
  virtual bool offers(const std::string& from, const std::string& to) const = 0;
};

// apertium with the installed language pairs (/usr/share/apertium/modes): be→ru and ru→be with
// apertium-bel-rus. Unknown words are kept as they are (-u).
std::unique_ptr<Translator> apertium_translator(
    std::chrono::milliseconds timeout = std::chrono::seconds(120));

// An operator's command: `argv` with {from} and {to} replaced, the text on stdin, the
// translation on stdout, exit status 0. `pairs` lists what it offers, as "be-en" etc.
std::unique_ptr<Translator> command_translator(
    std::vector<std::string> argv, std::vector<std::string> pairs, std::string version,
    std::chrono::milliseconds timeout = std::chrono::seconds(300));

}  // namespace evhub::translate
