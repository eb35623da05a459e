#include "hub/hub.h"

#include <filesystem>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"

namespace evhub::hub {

using nlohmann::json;

Result<HubConfig> read_config(FileSystem& fs, const Layout& layout) {
  auto text = read_text_file(fs, layout.config());
  if (!text.is_ok()) {
    if (text.status().code() == Code::kNotFound) {
      return Status(Code::kNotFound, fmt::format("there is no hub in {} (no hub.json); create one "
                                                 "with `evhub init` or pass --hub DIR",
                                                 layout.dir));
    }
    return text.status();
  }
  json j = json::parse(*text, nullptr, false);
  HubConfig c;
  try {
    if (j.is_discarded() || j.at("format") != "evidence-hub")
      throw json::other_error::create(0, "", nullptr);
    c.format_version = j.at("format_version").get<int>();
    c.hub_id = j.at("hub_id").get<std::string>();
    c.created_at = j.at("created_at").get<std::string>();
    c.chunk_size = j.at("chunk_size").get<std::size_t>();
  } catch (const json::exception&) {
    return Status(Code::kIntegrity, layout.config() + " is damaged; restore it from a backup");
  }
  if (c.format_version != 1) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("hub format {} is not supported by this evhub", c.format_version));
  }
  return c;
}

namespace {

// Builds the hub's contents in `dir`, which exists and is empty.
Status populate_hub(const Layout& layout, const vault::Credential& credential,
                    const InitOptions& options, FileSystem& fs) {
  EVHUB_RETURN_IF_ERROR(fs.restrict_to_owner(layout.dir));  // it may have existed, with any mode
  for (const std::string& d :
       {layout.objects(), layout.custody(), layout.keys(), layout.domain_keys()}) {
    EVHUB_RETURN_IF_ERROR(fs.make_dir(d));
  }
  HubConfig config;
  config.hub_id = random_name();
  config.created_at = now_rfc3339();
  config.chunk_size = options.chunk_size;

  EVHUB_ASSIGN_OR_RETURN(
      crypto::SecretKey master,
      vault::create_master_key(fs, layout.master_key(), credential, options.kdf));
  crypto::SigningKey signing = crypto::SigningKey::generate();
  EVHUB_RETURN_IF_ERROR(
      vault::create_signing_key(fs, layout.signing_key(), config.hub_id, master, signing));
  EVHUB_RETURN_IF_ERROR(custody::CustodyLog::create(fs, layout.custody(), signing.public_key()));
  EVHUB_ASSIGN_OR_RETURN(auto catalog, catalog::Catalog::open(layout.catalog(), true));
  EVHUB_ASSIGN_OR_RETURN(auto log,
                         custody::CustodyLog::open(fs, layout.custody(), config.hub_id, true));
  custody::Event init;
  init.actor = options.actor;
  init.action = "init";
  init.details = {{"hub_id", config.hub_id},
                  {"format_version", config.format_version},
                  {"catalog_schema", catalog::latest_schema_version()},
                  {"key_protection", credential.is_passphrase() ? "passphrase" : "key-file"},
                  {"signing_key", to_hex(signing.public_key())}};
  std::vector<custody::Event> events{init};
  EVHUB_RETURN_IF_ERROR(log->append(events));
  EVHUB_RETURN_IF_ERROR(log->sign_head(signing));
  EVHUB_RETURN_IF_ERROR(apply_events(*catalog, events, 0));
  // hub.json last: a directory without it is an init that did not finish.
  json j = {{"format", "evidence-hub"},
            {"format_version", config.format_version},
            {"hub_id", config.hub_id},
            {"created_at", config.created_at},
            {"chunk_size", config.chunk_size}};
  std::string text = j.dump(2) + "\n";
  return write_file_atomic(fs, layout.config(), as_bytes(text));
}

}  // namespace

Status init_hub(const std::string& dir, const vault::Credential& credential,
                const InitOptions& options, FileSystem& fs) {
  EVHUB_RETURN_IF_ERROR(check_actor(options.actor));
  EVHUB_RETURN_IF_ERROR(vault::check_new_credential(credential));
  Layout layout{dir};
  const bool existed = fs.exists(dir);
  if (existed) {
    EVHUB_ASSIGN_OR_RETURN(auto entries, fs.list_dir(dir));
    if (fs.exists(layout.config())) {
      return Status(Code::kAlreadyExists, "there is already a hub in " + dir);
    }
    if (!entries.empty()) {
      return Status(Code::kAlreadyExists,
                    dir + " is not empty; a hub must be created in a new or empty directory");
    }
  }
  EVHUB_RETURN_IF_ERROR(fs.make_dir(dir));
  Status st = populate_hub(layout, credential, options, fs);
  if (!st.is_ok()) {
    // Leave the directory as it was (missing or empty) so that init can simply be run again.
    std::error_code ec;
    if (existed) {
      for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        std::filesystem::remove_all(e.path(), ec);
      }
    } else {
      std::filesystem::remove_all(dir, ec);
    }
  }
  return st;
}

Result<std::unique_ptr<custody::CustodyLog>> open_custody_log(const std::string& dir,
                                                              FileSystem& fs) {
  Layout layout{dir};
  EVHUB_ASSIGN_OR_RETURN(HubConfig config, read_config(fs, layout));
  return custody::CustodyLog::open(fs, layout.custody(), config.hub_id, false);
}

Status apply_events(catalog::Catalog& catalog, const std::vector<custody::Event>& events,
                    std::int64_t applied_after) {
  // The event carries everything the catalog needs, so replaying the log rebuilds the catalog.
  return catalog.apply(
      applied_after + static_cast<std::int64_t>(events.size()),
      [&](catalog::Catalog::Change& change) -> Status {
        for (const custody::Event& e : events) {
          try {
            const json& d = e.details;
            if (e.action == "domain.create") {
              catalog::KeyDomain dom;
              dom.id = d.at("domain_id").get<std::string>();
              dom.name = d.at("domain").get<std::string>();
              dom.created_at = e.time;
              if (d.contains("organisation_id")) dom.organisation_id = d["organisation_id"];
              EVHUB_RETURN_IF_ERROR(change.add_domain(dom));
            } else if (e.action == "put" && !d.value("deduplicated", false)) {
              catalog::ObjectRecord o;
              o.id = e.object;
              o.domain_id = d.at("domain_id").get<std::string>();
              o.sha256 = e.sha256;
              o.size = d.at("size").get<std::int64_t>();
              o.media_type = d.value("media_type", "application/octet-stream");
              o.origin = d.value("origin", "uploaded");
              o.sensitivity = d.value("sensitivity", "normal");
              if (d.contains("record")) o.record = d["record"].get<std::string>();
              if (d.contains("derived_from")) {
                o.derived_from = d["derived_from"].get<std::string>();
                o.tool = d.value("tool", "");
                o.tool_version = d.value("tool_version", "");
                o.tool_parameters = d.value("tool_parameters", "");
              }
              o.created_at = e.time;
              o.created_by = e.actor;
              EVHUB_RETURN_IF_ERROR(change.add_object(o));
            } else if (e.action == "shred") {
              EVHUB_RETURN_IF_ERROR(change.mark_shredded(d.at("domain_id").get<std::string>(),
                                                         e.time, e.actor, d.value("reason", "")));
            }
          } catch (const json::exception&) {
            return Status(Code::kIntegrity,
                          fmt::format("custody event {} ({}) lacks details the catalog needs",
                                      e.seq, e.action));
          }
        }
        return Status::ok();
      });
}

Hub::Hub(FileSystem& fs, Layout layout, HubConfig config, OpenOptions options,
         crypto::SecretKey master, crypto::SigningKey signing)
    : fs_(fs),
      layout_(std::move(layout)),
      config_(std::move(config)),
      options_(std::move(options)),
      master_(std::move(master)),
      signing_(std::move(signing)),
      domain_keys_(fs, layout_.domain_keys(), config_.hub_id, master_) {}

Hub::~Hub() = default;

Result<std::unique_ptr<Hub>> Hub::open(const std::string& dir, const vault::Credential& credential,
                                       const OpenOptions& options, FileSystem& fs) {
  EVHUB_RETURN_IF_ERROR(check_actor(options.actor));
  Layout layout{dir};
  EVHUB_ASSIGN_OR_RETURN(HubConfig config, read_config(fs, layout));
  // Unlock before touching anything: a wrong passphrase must leave the hub exactly as it was.
  EVHUB_ASSIGN_OR_RETURN(crypto::SecretKey master,
                         vault::unlock_master_key(fs, layout.master_key(), credential));
  EVHUB_ASSIGN_OR_RETURN(crypto::SigningKey signing,
                         vault::load_signing_key(fs, layout.signing_key(), config.hub_id, master));
  std::unique_ptr<Hub> hub(
      new Hub(fs, layout, config, options, std::move(master), std::move(signing)));
  hub->store_ = vault::make_directory_store(fs, layout.objects());
  {
    EVHUB_ASSIGN_OR_RETURN(FileLock lock, hub->lock_exclusive());
    EVHUB_ASSIGN_OR_RETURN(hub->log_,
                           custody::CustodyLog::open(fs, layout.custody(), config.hub_id, true));
    if (options.rebuild_catalog) {
      EVHUB_RETURN_IF_ERROR(hub->set_catalog_aside());
    } else {
      EVHUB_ASSIGN_OR_RETURN(hub->catalog_, catalog::Catalog::open(layout.catalog(), false));
    }
    Status st = hub->recover();
    // A hub whose log does not check can still be opened, so that verify can say what is
    // wrong; every change is refused while damaged_ is set.
    if (!st.is_ok() && hub->damaged_.is_ok()) return st;
  }
  return hub;
}

Status Hub::set_catalog_aside() {
  // The catalog is a view of the signed custody log, so a damaged one can be rebuilt from it.
  EVHUB_RETURN_IF_ERROR(check_signed_head().with_context("the catalog cannot be rebuilt"));
  if (auto old = catalog::Catalog::open(layout_.catalog(), false); old.is_ok()) {
    // A readable catalog that is ahead of the newest head means heads were removed: rebuilding
    // would then drop signed events. Refuse and let verify name the problem.
    EVHUB_ASSIGN_OR_RETURN(std::int64_t applied, (*old)->applied_seq());
    const std::uint64_t signed_size = log_->last_head() ? log_->last_head()->tree_size : 0;
    if (applied > static_cast<std::int64_t>(signed_size)) {
      return Status(Code::kIntegrity,
                    "the catalog cannot be rebuilt: it has applied more custody events than "
                    "the newest signed tree head covers, so signed heads were removed; run "
                    "`evhub verify`");
    }
  }
  const std::string aside = layout_.catalog() + ".damaged-" + random_name();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::string from = layout_.catalog() + suffix;
    if (fs_.exists(from)) EVHUB_RETURN_IF_ERROR(fs_.rename(from, aside + suffix));
  }
  EVHUB_RETURN_IF_ERROR(fs_.sync_dir(layout_.dir));
  EVHUB_ASSIGN_OR_RETURN(catalog_, catalog::Catalog::open(layout_.catalog(), true));
  EVHUB_RETURN_IF_ERROR(recover());
  custody::Event e;
  e.action = "catalog.rebuild";
  e.details = {{"events_replayed", log_->size()},
               {"damaged_copy", aside.substr(aside.rfind('/') + 1)}};
  std::vector<custody::Event> events{e};
  return record(events);
}

Result<FileLock> Hub::lock_exclusive() {
  return FileLock::acquire(layout_.lock(), true, options_.lock_wait_ms);
}

Status Hub::check_signed_head() {
  const auto& head = log_->last_head();
  if (!head) {
    if (log_->size() == 0) return Status::ok();
    return Status(Code::kIntegrity, "the custody log has no valid signed tree head");
  }
  if (!crypto::verify_signature(signing_.public_key(),
                                as_bytes(custody::tree_head_message(config_.hub_id, *head)),
                                head->signature)) {
    return Status(Code::kIntegrity,
                  "the newest tree head in custody/heads.jsonl is not signed by this hub");
  }
  if (log_->signed_line_unterminated()) {
    return Status(Code::kIntegrity,
                  "the last signed custody event has lost its line end: the log was cut or "
                  "edited");
  }
  if (!log_->root_at_last_head() || *log_->root_at_last_head() != head->root) {
    return Status(Code::kIntegrity,
                  "the custody log does not match its newest signed tree head: events were "
                  "altered or removed");
  }
  return Status::ok();
}

Status Hub::recover() {
  // Called holding the lock. Only events under a valid signed head are trusted: the hub signs
  // a head before it changes the catalog or acknowledges anything, so later events were never
  // acknowledged (a killed process) or never written by the hub (someone editing the file).
  // They are set aside, not applied. Then the catalog is brought up to the signed log, and
  // what a killed writer left is tidied: temp files, objects stored but never logged, keys.
  EVHUB_RETURN_IF_ERROR(log_->refresh());
  damaged_ = check_signed_head();
  if (!damaged_.is_ok()) return damaged_.with_context("the hub cannot be changed");
  const std::uint64_t signed_size = log_->last_head() ? log_->last_head()->tree_size : 0;
  EVHUB_ASSIGN_OR_RETURN(std::int64_t applied_before, catalog_->applied_seq());
  if (applied_before > static_cast<std::int64_t>(signed_size)) {
    // The catalog is changed only after a head is signed, so it can never be ahead of the
    // newest head: a head was removed, and the events after it must not be set aside.
    damaged_ = Status(Code::kIntegrity,
                      fmt::format("the catalog has applied {} custody events but the newest "
                                  "signed tree head covers only {}: signed tree heads were "
                                  "removed from custody/heads.jsonl",
                                  applied_before, signed_size));
    return damaged_;
  }
  if (log_->size() > signed_size) {
    std::string aside = join_path(layout_.custody(), "unsigned-" + random_name() + ".jsonl");
    EVHUB_ASSIGN_OR_RETURN(std::uint64_t removed, log_->set_aside_unsigned_tail(aside));
    custody::Event e;
    e.action = "recover";
    e.details = {{"unsigned_events_set_aside", removed},
                 {"file", "custody/" + aside.substr(aside.rfind('/') + 1)}};
    std::vector<custody::Event> events{e};
    EVHUB_RETURN_IF_ERROR(record(events));
  }
  EVHUB_ASSIGN_OR_RETURN(std::int64_t applied, catalog_->applied_seq());
  const auto logged = static_cast<std::int64_t>(log_->size());
  if (applied > logged) {
    damaged_ = Status(Code::kIntegrity,
                      fmt::format("the catalog records {} custody events but the log holds only "
                                  "{}: the custody log was truncated or replaced",
                                  applied, logged));
    return damaged_;
  }
  if (applied < logged) {
    EVHUB_ASSIGN_OR_RETURN(auto lines, log_->event_lines());
    std::vector<custody::Event> missing;
    for (auto i = static_cast<std::size_t>(applied); i < lines.size(); ++i) {
      EVHUB_ASSIGN_OR_RETURN(custody::Event e, custody::parse_event(lines[i]));
      missing.push_back(std::move(e));
    }
    EVHUB_RETURN_IF_ERROR(apply_events(*catalog_, missing, applied)
                              .with_context("completing changes an interrupted process logged"));
  }
  EVHUB_RETURN_IF_ERROR(store_->collect_garbage());
  if (fs_.exists(layout_.commit_marker())) {
    EVHUB_ASSIGN_OR_RETURN(auto stored, store_->list());
    for (const std::string& id : stored) {
      EVHUB_ASSIGN_OR_RETURN(auto rec, catalog_->find_object(id));
      if (!rec) EVHUB_RETURN_IF_ERROR(store_->quarantine(id));
    }
    EVHUB_RETURN_IF_ERROR(fs_.remove(layout_.commit_marker()));
  }
  return destroy_leftover_keys();
}

Status Hub::destroy_leftover_keys() {
  // Runs before every commit: one catalog query for all domains, not one per key (a hub holds
  // a domain per witness, thousands of them).
  EVHUB_ASSIGN_OR_RETURN(auto key_ids, domain_keys_.domain_ids());
  EVHUB_ASSIGN_OR_RETURN(auto domains, catalog_->domains());
  std::unordered_set<std::string> live;
  for (const auto& d : domains) {
    if (!d.shredded) live.insert(d.id);
  }
  std::vector<std::string> suspects;
  for (const std::string& id : key_ids) {
    if (!live.count(id)) suspects.push_back(id);
  }
  if (suspects.empty()) return Status::ok();
  // A key is destroyed only on the signed log's word, never on the catalog's alone: when its
  // shred is logged (the process died after logging it, before destroying the key).
  EVHUB_ASSIGN_OR_RETURN(auto lines, log_->event_lines());
  for (const std::string& id : suspects) {
    bool created = false, shredded = false;
    for (const std::string& line : lines) {
      if (line.find(id) == std::string::npos) continue;
      auto e = custody::parse_event(line);
      if (!e.is_ok() || e->details.value("domain_id", "") != id) continue;
      created |= e->action == "domain.create";
      shredded |= e->action == "shred";
    }
    if (shredded) {
      EVHUB_RETURN_IF_ERROR(domain_keys_.destroy(id));
    } else if (!created) {
      // Most likely made by a process killed before it logged the domain, so nothing was
      // encrypted with it; but only a signed shred may destroy a key, so it is kept aside.
      EVHUB_RETURN_IF_ERROR(domain_keys_.set_aside(id));
    }
  }
  return Status::ok();
}

Status Hub::record(std::vector<custody::Event>& events) {
  for (auto& e : events) {
    if (e.actor.empty()) e.actor = options_.actor;
  }
  // Log, sign, then catalogue: a change counts once it is under a signed head, and recover()
  // replays signed events the catalog has not seen.
  const auto before = static_cast<std::int64_t>(log_->size());
  EVHUB_RETURN_IF_ERROR(log_->append(events));
  EVHUB_RETURN_IF_ERROR(log_->sign_head(signing_));
  return apply_events(*catalog_, events, before)
      .with_context(
          "the change is in the custody log but the catalog could not be updated; "
          "it will be completed when the hub is next opened");
}

Status check_domain_name(const std::string& name) {
  if (name.empty() || !is_printable_text(name, 200)) {
    return Status(Code::kInvalidArgument,
                  "a domain name must be 1 to 200 bytes of UTF-8 text without control characters");
  }
  return Status::ok();
}

Status check_actor(const std::string& actor) {
  if (actor.empty() || !is_printable_text(actor, 200)) {
    return Status(Code::kInvalidArgument,
                  "the actor must be 1 to 200 bytes of UTF-8 text without control characters");
  }
  return Status::ok();
}

Result<catalog::KeyDomain> Hub::ensure_domain(const std::string& name,
                                              const std::string& organisation_id) {
  EVHUB_RETURN_IF_ERROR(check_domain_name(name));
  EVHUB_ASSIGN_OR_RETURN(FileLock lock, lock_exclusive());
  EVHUB_RETURN_IF_ERROR(recover());
  EVHUB_ASSIGN_OR_RETURN(auto existing, catalog_->find_domain_by_name(name));
  if (existing) {
    // The organisation first: another organisation learns nothing about this domain's history.
    if (!organisation_id.empty() && existing->organisation_id.value_or("") != organisation_id) {
      return Status(Code::kFailedPrecondition,
                    "key domain " + name + " belongs to another organisation");
    }
    if (existing->shredded) {
      return Status(
          Code::kErased,
          fmt::format("domain {} was shredded on {} by {}; it cannot hold new objects", name,
                      existing->shredded_at.value_or("?"), existing->shredded_by.value_or("?")));
    }
    return *existing;
  }
  catalog::KeyDomain dom;
  dom.id = random_name();
  dom.name = name;
  if (!organisation_id.empty()) dom.organisation_id = organisation_id;
  EVHUB_ASSIGN_OR_RETURN(crypto::SecretKey key, domain_keys_.create(dom.id));
  custody::Event e;
  e.action = "domain.create";
  e.details = {{"domain_id", dom.id}, {"domain", name}};
  if (dom.organisation_id) e.details["organisation_id"] = *dom.organisation_id;
  std::vector<custody::Event> events{e};
  EVHUB_RETURN_IF_ERROR(record(events));
  dom.created_at = events[0].time;
  return dom;
}

}  // namespace evhub::hub
