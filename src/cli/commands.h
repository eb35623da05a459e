// The evhub verbs: their options (shared by all, such as --hub and --json) and what each runs.
#pragma once

#include <string>
#include <vector>

#include <CLI/App.hpp>

namespace evhub::cli {

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
// Runs the chosen verb; returns the process exit code.
int run_selected(CLI::App& app, Options& options);

}  // namespace evhub::cli
