// The evhub verbs: their options (shared by all, such as --hub and --json) and what each runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace evhub::hub {
class Hub;
}

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
  bool print_routes = false;
  std::string sensitivity = "normal";  // put --sensitivity
  std::string web_dir;                 // --web; empty: EVHUB_WEB_DIR
  std::string tls_certificate;         // --tls-cert / --tls-key: HTTPS
  std::string tls_key;
  // org / user
  std::string organisation;
  std::string username;
  std::string role;
  std::vector<std::string> roles;
  std::string password_file;
  std::string token_name;
  std::string id;
  std::string out;
  bool force = false;
  bool yes = false;
  std::string reason;
  // witness / consent
  std::string code;
  std::string gender = "undisclosed";
  std::string age_band = "unknown";
  std::string country;
  std::vector<std::string> languages;
  std::vector<std::string> vulnerabilities;
  bool do_not_contact = false;
  std::string personal_file;  // JSON: name, contacts, date_of_birth, address, notes
  bool show_personal = false;
  std::string given_on;
  std::string taken_by;
  std::vector<std::string> scopes;
  std::string conditions;
  std::string renew_by;
  std::string withdrawn_on;
  std::string form_file;
  std::string channel;  // contact
  std::string place;    // interview
  bool remote = false;
  std::string transcript_file;
  std::string interview_status;
  std::string interview_id;
  std::string document_kind;
  std::string language;
  std::string manifest;  // import closed-source
  bool dry_run = false;
  bool planned = false;
  std::string purpose;
  std::string recipient;
  std::string today;
  int within_days = 30;
  // jobs
  std::string job_state;
  std::string job_kind;
  std::string payload = "{}";
  std::int64_t job_id = 0;
  bool wait = false;
  int threads = 0;
  // log
  std::int64_t from = 0;
  std::int64_t limit = -1;
  std::uint64_t event = 0;
  std::uint64_t old_size = 0;
  std::uint64_t new_size = 0;
};

void register_commands(CLI::App& app, Options& options);
// Shared by the verbs in commands.cc, log_commands.cc and account_commands.cc.
int report_failure(const Options& o, const Status& st);
std::string selected_hub_dir(const Options& o);
void register_account_commands(CLI::App& app, Options& options);
int run_account_command(CLI::App& app, Options& options);
void register_collection_commands(CLI::App& app, Options& options);
void register_jobs_commands(CLI::App& app, Options& options);
int run_jobs_command(CLI::App& app, Options& options);
int run_collection_command(CLI::App& app, Options& options);
void register_synth_commands(CLI::App& app, Options& options);
void register_search_commands(CLI::App& app, Options& options);
int run_search_command(CLI::App& app, const Options& options);
void register_coding_commands(CLI::App& app, Options& options);
int run_coding_command(CLI::App& app, const Options& options);
int run_synth_command(const Options& options);
void register_disclosure_commands(CLI::App& app, Options& options);
int cmd_package_verify(const Options& options);
int run_disclosure_command(CLI::App& app, const Options& options);
// The id of partner organisation `name`, from accounts.db (kNotFound names `evhub org add`).
Result<std::string> organisation_id(hub::Hub& hub, const std::string& name);
// init --admin NAME --org ORG: the organisation and its first administrator.
int create_first_administrator(const Options& options, std::unique_ptr<hub::Hub> hub,
                               const std::string& password_hash);
// A new user password ($EVHUB_USER_PASSWORD, --password-file or asked), checked and hashed.
Result<std::string> new_password_hash(const Options& options);
// Unlocks the hub named by --hub with the passphrase or key file (rebuilding the catalog first
// when asked).
Result<std::unique_ptr<hub::Hub>> open_hub(const Options& o, bool rebuild_catalog = false);
// Runs the chosen verb; returns the process exit code.
int run_selected(CLI::App& app, Options& options);

}  // namespace evhub::cli
