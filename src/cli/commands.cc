#include "cli/commands.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/static_files.h"
#include "cli/exit_codes.h"
#include "cli/terminal.h"
#include "collection/processing.h"
#include "core/clock.h"
#include "core/fs.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

// Reports a failure on stderr (and as JSON on stdout with --json) and returns its exit code.
int fail(const Options& o, const Status& st) {
  std::cerr << "evhub: " << st.message() << "\n";
  if (o.json) {
    json j = {{"ok", false},
              {"error",
               {{"code", code_name(st.code())},
                {"exit_code", exit_code_for(st.code())},
                {"message", st.message()}}}};
    std::cout << j.dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
  }
  return exit_code_for(st.code());
}

std::string hub_dir(const Options& o) {
  if (!o.hub.empty()) return o.hub;
  if (const char* env = std::getenv("EVHUB_HUB"); env && *env) return env;
  return ".";
}

std::string actor(const Options& o) {
  if (!o.actor.empty()) return o.actor;
  if (const char* env = std::getenv("EVHUB_ACTOR"); env && *env) return env;
  if (passwd* pw = ::getpwuid(::geteuid())) return std::string("os:") + pw->pw_name;
  return "os:uid-" + std::to_string(::geteuid());
}

// The passphrase or key file: --key-file, else $EVHUB_PASSPHRASE, else a prompt.
Result<vault::Credential> credential(const Options& o, bool creating) {
  if (!o.key_file.empty()) {
    if (creating && !local_fs().exists(o.key_file)) {
      // A new key file: 32 random bytes, readable by the owner only.
      Bytes key = crypto::random_bytes(32);
      EVHUB_ASSIGN_OR_RETURN(auto f, local_fs().create_new(o.key_file));
      EVHUB_RETURN_IF_ERROR(f->append(key));
      EVHUB_RETURN_IF_ERROR(f->sync());
      EVHUB_RETURN_IF_ERROR(f->close());
      std::cerr << "evhub: created key file " << o.key_file
                << " — keep a copy somewhere safe: without it the hub cannot be opened\n";
      return vault::Credential::key_file(std::move(key));
    }
    auto in = local_fs().open_read(o.key_file);
    if (!in.is_ok()) return in.status().with_context("reading the key file");
    auto size = (*in)->size();
    if (size.is_ok() && *size > (1u << 20)) {
      return Status(Code::kInvalidArgument, o.key_file + " is too large to be a key file");
    }
    auto contents = read_file(local_fs(), o.key_file);
    if (!contents.is_ok()) return contents.status().with_context("reading the key file");
    return vault::Credential::key_file(std::move(contents).value());
  }
  if (char* env = std::getenv("EVHUB_PASSPHRASE"); env != nullptr) {
    auto cred = vault::Credential::passphrase(env);
    // Wipe it in place, so that /proc/<pid>/environ no longer shows it.
    crypto::wipe(env, std::strlen(env));
    return cred;
  }
  if (!stdin_is_terminal()) {
    return Status(Code::kUnauthenticated,
                  "no passphrase: set EVHUB_PASSPHRASE, pass --key-file FILE, or run evhub on a "
                  "terminal to be asked");
  }
  auto first = read_secret("Hub passphrase: ");
  if (!first) return Status(Code::kUnauthenticated, "no terminal to ask for the passphrase on");
  if (creating) {
    auto again = read_secret("Repeat the passphrase: ");
    bool same = again && *again == *first;
    if (again) crypto::wipe(again->data(), again->size());
    if (!same) {
      crypto::wipe(first->data(), first->size());
      return Status(Code::kInvalidArgument, "the two passphrases differ; nothing was created");
    }
  }
  return vault::Credential::passphrase(std::move(*first));
}

}  // namespace

Result<std::string> organisation_id(hub::Hub& hub, const std::string& name) {
  EVHUB_ASSIGN_OR_RETURN(auto accounts, accounts::Accounts::open(hub.layout().accounts()));
  EVHUB_ASSIGN_OR_RETURN(auto orgs, accounts->organisations());
  for (const auto& org : orgs) {
    if (org.name == name) return org.id;
  }
  return Status(Code::kNotFound, "there is no organisation " + name + " (evhub org add)");
}

Result<std::unique_ptr<hub::Hub>> open_hub(const Options& o, bool rebuild_catalog) {
  EVHUB_ASSIGN_OR_RETURN(vault::Credential cred, credential(o, false));
  hub::OpenOptions opts;
  opts.actor = actor(o);
  opts.rebuild_catalog = rebuild_catalog;
  return hub::Hub::open(hub_dir(o), cred, opts);
}

namespace {

int cmd_serve(const Options& o) {
  api::ServerOptions server_options;
  Status st = api::parse_listen_address(o.listen, server_options);
  if (!st.is_ok()) return fail(o, st);
  auto hub = open_hub(o);
  if (!hub.is_ok()) return fail(o, hub.status());
  server_options.tls_certificate_file = o.tls_certificate;
  server_options.tls_key_file = o.tls_key;
  // Uploads wait (encrypted) on the hub's own disk, never in a shared /tmp.
  server_options.spool_dir = (*hub)->layout().dir;
  api::ApiOptions api_options;
  api_options.tls = !o.tls_certificate.empty();  // the session cookie becomes Secure
  auto api = api::Api::open(**hub, api_options);
  if (!api.is_ok()) return fail(o, api.status());
  auto router = std::make_shared<api::Router>();
  (*api)->add_routes(*router);
  if (!o.print_routes) (*api)->start_processing(o.threads);
  // The web app: --web names it, or the one built beside this binary's sources, if built.
  const std::string web_dir = o.web_dir.empty() ? EVHUB_WEB_DIR : o.web_dir;
  auto web = api::StaticFiles::load(web_dir);
  if (web.is_ok()) {
    router->set_fallback([files = std::shared_ptr<api::StaticFiles>(std::move(*web))](
                             const api::Request& r) { return files->serve(r); });
  } else if (!o.web_dir.empty()) {
    return fail(o, web.status());
  } else if (!o.print_routes) {
    std::cerr << "evhub: " << web.status().message() << "; serving the API only\n";
  }
  if (o.print_routes) {
    for (const auto& r : router->routes()) std::cout << r.method << " " << r.path << "\n";
    return 0;
  }
  api::Server server(server_options, router);
  st = server.run([&](unsigned short port) {
    std::string host = server_options.address.find(':') == std::string::npos
                           ? server_options.address
                           : "[" + server_options.address + "]";
    std::string url =
        fmt::format("{}://{}:{}/", o.tls_certificate.empty() ? "http" : "https", host, port);
    if (o.json) {
      std::cout << json{{"listening", url}, {"hub_id", (*hub)->config().hub_id}}.dump() << "\n";
    } else {
      std::cout << "serving hub " << (*hub)->config().hub_id << " on " << url
                << " (stop with Ctrl-C or SIGTERM)\n";
    }
    std::cout.flush();
  });
  if (!st.is_ok()) return fail(o, st);
  if (!o.json) std::cerr << "evhub: stopped serving\n";
  return 0;
}

int cmd_catalog_rebuild(const Options& o) {
  auto hub = open_hub(o, true);
  if (!hub.is_ok()) return fail(o, hub.status());
  auto s = (*hub)->summary();
  if (!s.is_ok()) return fail(o, s.status());
  if (o.json) {
    std::cout << json{{"ok", true}, {"objects", s->counts.objects}, {"events", s->events}}.dump(
                     -1, ' ', false, kReplaceBadUtf8)
              << "\n";
  } else {
    std::cout << fmt::format(
        "rebuilt the catalog from {} custody events: {} objects in {} key domains; the damaged "
        "catalog was kept as catalog.db.damaged-*\n",
        s->events, s->counts.objects, s->counts.domains);
  }
  return 0;
}

int cmd_init(const Options& o) {
  hub::InitOptions opts;
  opts.actor = actor(o);
  if (o.kdf == "interactive") {
    opts.kdf = crypto::KdfCost::interactive();
  } else if (o.kdf == "sensitive") {
    opts.kdf = crypto::KdfCost::sensitive();
  } else {
    opts.kdf = crypto::KdfCost::moderate();
  }
  if (o.chunk_size != 0) opts.chunk_size = o.chunk_size;
  if (!o.username.empty() && o.organisation.empty()) {
    return fail(o, Status(Code::kInvalidArgument, "--admin needs --org ORGANISATION"));
  }
  std::string admin_password_hash;
  if (!o.username.empty()) {
    // Everything about the administrator is checked before the hub is created.
    Status st = accounts::check_username(o.username);
    if (st.is_ok()) st = accounts::check_organisation_name(o.organisation);
    if (!st.is_ok()) return fail(o, st);
    auto hash = new_password_hash(o);
    if (!hash.is_ok()) return fail(o, hash.status());
    admin_password_hash = std::move(hash).value();
  }
  auto cred = credential(o, true);
  if (!cred.is_ok()) return fail(o, cred.status());
  Status st = hub::init_hub(hub_dir(o), *cred, opts);
  if (!st.is_ok()) return fail(o, st);
  auto config = hub::read_config(local_fs(), hub::Layout{hub_dir(o)});
  if (!config.is_ok()) return fail(o, config.status());
  if (!o.username.empty()) {
    // The hub exists now; it is opened with the same credential (read only once).
    hub::OpenOptions open_options;
    open_options.actor = actor(o);
    auto hub = hub::Hub::open(hub_dir(o), *cred, open_options);
    if (!hub.is_ok()) return fail(o, hub.status());
    int rc = create_first_administrator(o, std::move(hub).value(), admin_password_hash);
    if (rc != 0) return rc;
  }
  if (o.json) {
    std::cout << json{{"ok", true}, {"hub", hub_dir(o)}, {"hub_id", config->hub_id}}.dump(
                     -1, ' ', false, kReplaceBadUtf8)
              << "\n";
  } else {
    std::cout << "created hub " << config->hub_id << " in " << hub_dir(o) << "\n";
  }
  return 0;
}

int cmd_put(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return fail(o, hub.status());
  std::string org_id;
  if (!o.organisation.empty()) {
    auto id = organisation_id(**hub, o.organisation);
    if (!id.is_ok()) return fail(o, id.status());
    org_id = *id;
  }
  // New material is queued for processing (text, OCR, translation); `evhub jobs --wait` or a
  // running server works through the queue.
  auto queue = jobs::JobQueue::open((*hub)->layout().jobs());
  if (!queue.is_ok()) return fail(o, queue.status());
  Status queued;
  Progress progress(!o.json && stderr_is_terminal(), o.files.size());
  Status st = (*hub)->put(
      o.files, o.domain,
      [&](const hub::StoredObject& s) {
        if (!s.deduplicated && queued.is_ok()) {
          queued = collection::enqueue_processing(**queue, s.id, now_millis());
        }
        progress.clear();
        if (o.json) {
          std::cout << json{{"path", s.path},
                            {"id", s.id},
                            {"sha256", s.sha256},
                            {"size", s.size},
                            {"domain", s.domain},
                            {"deduplicated", s.deduplicated},
                            {"sensitivity", s.sensitivity}}
                           .dump(-1, ' ', false, kReplaceBadUtf8)
                    << "\n";
        } else {
          std::cout << s.id << "  " << s.sha256 << "  " << s.path
                    << (s.deduplicated ? "  (already stored)" : "") << "\n";
        }
        std::cout.flush();
        progress.advance(s.size);
      },
      hub::Intake::evidence(org_id, o.sensitivity));
  if (!st.is_ok()) return fail(o, st);
  // Stored and logged either way; a queue that could not be written is said, not hidden.
  if (!queued.is_ok()) {
    return fail(o, queued.with_context("stored, but not queued for processing"));
  }
  return 0;
}

int cmd_get(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return fail(o, hub.status());
  Status st = (*hub)->get(o.id, o.out, o.force);
  if (!st.is_ok()) return fail(o, st);
  if (o.json)
    std::cout << json{{"ok", true}, {"id", o.id}, {"path", o.out}}.dump(-1, ' ', false,
                                                                        kReplaceBadUtf8)
              << "\n";
  return 0;
}

int cmd_shred(const Options& o) {
  if (!o.yes) {
    return fail(o, Status(Code::kInvalidArgument,
                          "shredding destroys domain " + o.domain +
                              "'s key: its objects can never be decrypted again, by anyone. "
                              "Add --yes to confirm"));
  }
  auto hub = open_hub(o);
  if (!hub.is_ok()) return fail(o, hub.status());
  auto r = (*hub)->shred(o.domain, o.reason);
  if (!r.is_ok()) return fail(o, r.status());
  if (o.json) {
    std::cout << json{{"ok", true},
                      {"domain", r->domain},
                      {"objects", r->objects},
                      {"shredded_at", r->at}}
                     .dump(-1, ' ', false, kReplaceBadUtf8)
              << "\n";
  } else {
    std::cout << "shredded domain " << r->domain << ": " << r->objects
              << " objects can no longer be decrypted\n";
  }
  return 0;
}

int cmd_verify(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return fail(o, hub.status());
  std::unique_ptr<Progress> progress;
  auto r = (*hub)->verify([&](std::uint64_t, std::uint64_t total, std::uint64_t bytes) {
    if (!progress)
      progress = std::make_unique<Progress>(!o.json && stderr_is_terminal(), total, "re-hashed");
    progress->advance(bytes);
  });
  progress.reset();  // clears the progress line before the report
  if (!r.is_ok()) return fail(o, r.status());
  if (o.json) {
    std::cout << json{{"ok", r->ok()},
                      {"objects_checked", r->objects_checked},
                      {"objects_erased", r->objects_erased},
                      {"bytes_checked", r->bytes_checked},
                      {"events", r->events},
                      {"tree_heads", r->heads},
                      {"problems", r->problems},
                      {"notices", r->notices}}
                     .dump(-1, ' ', false, kReplaceBadUtf8)
              << "\n";
  } else {
    for (const auto& p : r->problems) std::cout << "PROBLEM: " << p << "\n";
    for (const auto& n : r->notices) std::cout << "NOTE: " << n << "\n";
    std::cout << fmt::format(
        "{}: {} objects ({}) re-hashed, {} erased; {} custody events, {} signed tree heads; "
        "{} problems\n",
        r->ok() ? "OK" : "FAILED", r->objects_checked, human_bytes(r->bytes_checked),
        r->objects_erased, r->events, r->heads, r->problems.size());
  }
  return r->ok() ? 0 : exit_code_for(Code::kIntegrity);
}

int cmd_status(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return fail(o, hub.status());
  auto s = (*hub)->summary();
  if (!s.is_ok()) return fail(o, s.status());
  json domains = json::array();
  for (std::size_t i = 0; i < s->domains.size(); ++i) {
    const auto& d = s->domains[i];
    json dj = {{"name", d.name},
               {"objects", s->objects_per_domain[i]},
               {"state", d.shredded ? "shredded" : "active"},
               {"created_at", d.created_at}};
    if (d.shredded) {
      dj["shredded_at"] = d.shredded_at.value_or("");
      dj["shredded_by"] = d.shredded_by.value_or("");
      dj["reason"] = d.shred_reason.value_or("");
    }
    domains.push_back(dj);
  }
  if (o.json) {
    json j = {{"hub_id", s->hub_id},          {"created_at", s->created_at},
              {"objects", s->counts.objects}, {"bytes", s->counts.bytes},
              {"domains", domains},           {"custody_events", s->events}};
    if (s->latest_head) {
      j["latest_tree_head"] = {{"tree_size", s->latest_head->tree_size},
                               {"root", to_hex(s->latest_head->root)},
                               {"time", s->latest_head->time}};
    }
    std::cout << j.dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
    return 0;
  }
  std::cout << fmt::format("hub {} (created {})\n", s->hub_id, s->created_at);
  std::cout << fmt::format("{} objects, {} in {} key domains ({} shredded)\n", s->counts.objects,
                           human_bytes(static_cast<std::uint64_t>(s->counts.bytes)),
                           s->counts.domains, s->counts.shredded_domains);
  for (const auto& d : domains) {
    std::cout << fmt::format("  {:<24} {:>6} objects  {}", d["name"].get<std::string>(),
                             d["objects"].get<std::int64_t>(), d["state"].get<std::string>());
    if (d.contains("shredded_at")) {
      std::cout << fmt::format(" on {} by {}: {}", d["shredded_at"].get<std::string>(),
                               d["shredded_by"].get<std::string>(), d["reason"].get<std::string>());
    }
    std::cout << "\n";
  }
  std::cout << fmt::format("custody log: {} events", s->events);
  if (s->latest_head) {
    std::cout << fmt::format(", latest signed tree head: size {}, root {}, {}",
                             s->latest_head->tree_size, to_hex(s->latest_head->root),
                             s->latest_head->time);
  }
  std::cout << "\n";
  return 0;
}

int cmd_ls(const Options& o) {
  auto hub = open_hub(o);
  if (!hub.is_ok()) return fail(o, hub.status());
  auto objects = (*hub)->list(o.list_domain);
  if (!objects.is_ok()) return fail(o, objects.status());
  for (const auto& l : *objects) {
    const auto& r = l.record;
    if (o.json) {
      std::cout << json{{"id", r.id},
                        {"sha256", r.sha256},
                        {"size", r.size},
                        {"domain", l.domain},
                        {"media_type", r.media_type},
                        {"origin", r.origin},
                        {"created_at", r.created_at},
                        {"created_by", r.created_by},
                        {"sensitivity", r.sensitivity},
                        {"derived_from", r.derived_from.value_or("")},
                        {"tool", r.tool.value_or("")},
                        {"erased", l.erased}}
                       .dump(-1, ' ', false, kReplaceBadUtf8)
                << "\n";
    } else {
      std::cout << fmt::format("{}  {}  {:>12}  {}  {}{}{}\n", r.id, r.sha256, r.size, r.created_at,
                               l.domain,
                               r.sensitivity == "normal" ? "" : "  [" + r.sensitivity + "]",
                               l.erased ? "  (erased)" : "");
    }
  }
  return 0;
}

}  // namespace

int cmd_log_show(const Options& o);
int cmd_log_proof(const Options& o);
int cmd_log_consistency(const Options& o);

void register_commands(CLI::App& app, Options& o) {
  // Global options may also follow the verb: `evhub put F --json`.
  app.fallthrough();
  app.add_option("--hub", o.hub, "hub directory (default: $EVHUB_HUB, else the current directory)");
  app.add_option("--key-file", o.key_file,
                 "unlock the hub with this key file instead of a passphrase "
                 "(passphrase: $EVHUB_PASSPHRASE, else asked on the terminal)");
  app.add_option("--actor", o.actor,
                 "who is acting, for the custody log (default: $EVHUB_ACTOR, else os:<user>)");
  app.add_flag("--json", o.json, "machine-readable output (one JSON object per line)");

  auto* init = app.add_subcommand("init", "create a new hub in --hub (a new or empty directory)");
  init->add_option("--kdf", o.kdf,
                   "Argon2id cost of the passphrase: interactive (tests and "
                   "demos only), moderate (default) or sensitive")
      ->check(CLI::IsMember({"interactive", "moderate", "sensitive"}));
  init->add_option("--admin", o.username,
                   "also create this first administrator (password: $EVHUB_USER_PASSWORD, "
                   "--password-file, or asked)");
  init->add_option("--org", o.organisation, "the administrator's organisation (with --admin)");
  init->add_option("--password-file", o.password_file, "the administrator's password file");
  init->add_option("--chunk-size", o.chunk_size, "bytes per encrypted chunk (default 1 MiB)")
      ->check(CLI::Range(std::size_t{16}, std::size_t{64} << 20));

  auto* put = app.add_subcommand("put", "store files encrypted; prints id, SHA-256 and path");
  put->add_option("files", o.files, "files to store")->required();
  put->add_option("--domain", o.domain,
                  "key domain, e.g. a witness code (default: hub); created on first use");
  put->add_option("--sensitivity", o.sensitivity,
                  "normal (default), health or sexual-violence: the restricted categories only "
                  "some roles may read")
      ->check(CLI::IsMember({"normal", "health", "sexual-violence"}));
  put->add_option("--org", o.organisation,
                  "the partner organisation a new key domain belongs to (its members see it "
                  "through the API)");

  auto* get = app.add_subcommand("get", "decrypt an object to a file, re-checking its SHA-256");
  get->add_option("id", o.id, "object id")->required();
  get->add_option("-o,--output", o.out, "file to write")->required();
  get->add_flag("--force", o.force, "overwrite the output file if it exists");

  app.add_subcommand("verify", "re-hash every object and check the custody log and catalog");
  app.add_subcommand("status", "what the hub holds");
  auto* ls = app.add_subcommand(
      "ls", "list objects: id, SHA-256, size, stored at, domain, [restricted category]");
  ls->add_option("--domain", o.list_domain, "only this key domain");

  auto* shred = app.add_subcommand("shred", "crypto-shred a key domain: destroy its key");
  shred->add_option("domain", o.domain, "key domain to shred")->required();
  shred->add_flag("--yes", o.yes, "confirm: this cannot be undone");
  shred->add_option("--reason", o.reason,
                    "why, for the catalog and the custody log "
                    "(no personal data)");

  auto* serve = app.add_subcommand("serve", "serve the hub's HTTP API (see docs/architecture.md)");
  serve->add_option("--listen", o.listen, "ADDRESS:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_flag("--routes", o.print_routes, "print the routes it would serve, then exit");
  serve->add_option("--tls-cert", o.tls_certificate,
                    "serve HTTPS with this PEM certificate (chain, leaf first); needs --tls-key");
  serve->add_option("--tls-key", o.tls_key, "the certificate's unencrypted PEM private key");
  serve->add_option("--threads", o.threads,
                    "processing workers (text, OCR, translation); default: one per core");
  serve->add_option("--web", o.web_dir,
                    "the built web app to serve at / (default: web/dist of this build's sources)");

  register_account_commands(app, o);
  register_collection_commands(app, o);
  register_jobs_commands(app, o);
  register_synth_commands(app, o);
  register_search_commands(app, o);
  register_coding_commands(app, o);
  register_disclosure_commands(app, o);

  auto* cat = app.add_subcommand("catalog", "maintain the catalog");
  cat->require_subcommand(1);
  cat->fallthrough();
  cat->add_subcommand("rebuild", "rebuild a damaged catalog from the signed custody log");

  auto* log = app.add_subcommand("log", "read the custody log (no passphrase needed)");
  log->require_subcommand(1);
  log->fallthrough();
  auto* show = log->add_subcommand("show", "list custody events");
  show->add_option("--from", o.from, "first event (default 0)");
  show->add_option("--limit", o.limit, "at most this many events");
  auto* proof = log->add_subcommand("proof",
                                    "inclusion proof of an event against the newest "
                                    "signed tree head");
  proof->add_option("event", o.event, "event number (its seq)")->required();
  auto* cons =
      log->add_subcommand("consistency", "consistency proof between two signed tree heads");
  cons->add_option("old", o.old_size, "tree size of the older head")->required();
  cons->add_option("new", o.new_size, "tree size of the newer head")->required();
}

int run_selected(CLI::App& app, Options& o) {
  if (app.got_subcommand("init")) return cmd_init(o);
  if (app.got_subcommand("put")) return cmd_put(o);
  if (app.got_subcommand("get")) return cmd_get(o);
  if (app.got_subcommand("verify")) return cmd_verify(o);
  if (app.got_subcommand("status")) return cmd_status(o);
  if (app.got_subcommand("ls")) return cmd_ls(o);
  if (app.got_subcommand("shred")) return cmd_shred(o);
  if (app.got_subcommand("catalog")) return cmd_catalog_rebuild(o);
  if (app.got_subcommand("serve")) return cmd_serve(o);
  if (app.got_subcommand("org") || app.got_subcommand("user")) return run_account_command(app, o);
  if (app.got_subcommand("jobs")) return run_jobs_command(app, o);
  if (app.got_subcommand("synth")) return run_synth_command(o);
  if (app.got_subcommand("framework") || app.got_subcommand("annotations") ||
      app.got_subcommand("agreement") || app.got_subcommand("summary")) {
    return run_coding_command(app, o);
  }
  if (app.got_subcommand("package") || app.got_subcommand("request")) {
    return run_disclosure_command(app, o);
  }
  if (app.got_subcommand("search") || app.got_subcommand("index")) {
    return run_search_command(app, o);
  }
  if (app.got_subcommand("witness") || app.got_subcommand("consent") ||
      app.got_subcommand("contact") || app.got_subcommand("interview") ||
      app.got_subcommand("document") || app.got_subcommand("import")) {
    return run_collection_command(app, o);
  }
  auto* log = app.get_subcommand("log");
  if (log->got_subcommand("show")) return cmd_log_show(o);
  if (log->got_subcommand("proof")) return cmd_log_proof(o);
  return cmd_log_consistency(o);
}

int report_failure(const Options& o, const Status& st) {
  return fail(o, st);
}
std::string selected_hub_dir(const Options& o) {
  return hub_dir(o);
}

}  // namespace evhub::cli
