// The evhub verbs: their options (shared by all, such as --hub and --json) and what each runs.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

#include <CLI/App.hpp>
#include <nlohmann/json.hpp>

namespace evhub::cli {

// For json::dump in output: a file name that is not valid UTF-8 is shown with U+FFFD rather
// than making the output throw after the work is done.
inline constexpr auto kReplaceBadUtf8 = nlohmann::json::error_handler_t::replace;

struct Options {
  std::string hub;
  std::string key_file;
  std::string actor;
  bool json = false;
  // init
  std::string kdf = "moderate";
  std::size_t chunk_size = 0;
  // put / get / shred
  std::vector<std::string> files;
  std::string domain = "hub";
  std::string list_domain;
  std::string listen = "127.0.0.1:8080";
  std::string id;
  std::string out;
  bool force = false;
  bool yes = false;
  std::string reason;
  // log
  std::int64_t from = 0;
  std::int64_t limit = -1;
  std::uint64_t event = 0;
  std::uint64_t old_size = 0;
  std::uint64_t new_size = 0;
};

void register_commands(CLI::App& app, Options& options);
// Shared by the verbs in commands.cc and log_commands.cc.
int report_failure(const Options& o, const Status& st);
std::string selected_hub_dir(const Options& o);
// Runs the chosen verb; returns the process exit code.
int run_selected(CLI::App& app, Options& options);

}  // namespace evhub::cli
