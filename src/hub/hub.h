// A hub directory opened for work: it ties the catalog, the encrypted object store and the
// custody log together so that every change is logged, catalogued and durable in one order
// (object, then log, then catalog), and repairs what a killed process left behind when opened.
// The CLI (and later the HTTP API) call only this; see docs/architecture.md for the data flow.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "core/file_lock.h"
#include "core/fs.h"
#include "core/status.h"
#include "crypto/crypto.h"
#include "custody/custody_log.h"
#include "vault/keyring.h"
#include "vault/vault.h"

namespace evhub::hub {

// The files of a hub directory.
struct Layout {
  std::string dir;
  std::string config() const { return join_path(dir, "hub.json"); }
  std::string catalog() const { return join_path(dir, "catalog.db"); }
  std::string objects() const { return join_path(dir, "objects"); }
  std::string custody() const { return join_path(dir, "custody"); }
  std::string keys() const { return join_path(dir, "keys"); }
  std::string master_key() const { return join_path(keys(), "master.json"); }
  std::string signing_key() const { return join_path(keys(), "signing.json"); }
  std::string domain_keys() const { return join_path(keys(), "domains"); }
  std::string lock() const { return join_path(dir, "hub.lock"); }
  std::string accounts() const { return join_path(dir, "accounts.db"); }
  std::string jobs() const { return join_path(dir, "jobs.db"); }
  std::string collection() const { return join_path(dir, "collection.db"); }
  std::string coding() const { return join_path(dir, "coding.db"); }
  // Views of the log kept by coding/: incidents, witness summaries, the facility registry.
  std::string incidents() const { return join_path(dir, "incidents.db"); }
  std::string summaries() const { return join_path(dir, "summaries.db"); }
  std::string registry() const { return join_path(dir, "registry.db"); }
  // Views of the log kept by disclosure/: the register of requests for assistance
  // (requests.h) and the disclosure packages (packages.h).
  std::string requests() const { return join_path(dir, "requests.db"); }
  std::string packages() const { return join_path(dir, "packages.db"); }
  // Packages exported through the API, one directory per package holding its .tar.age until
  // it is downloaded (encrypted to the recipient: the hub cannot read it back).
  std::string deliveries() const { return join_path(dir, "deliveries"); }
  // The search index (Xapian): derived data, rebuilt from the hub by `evhub index rebuild`.
  std::string index() const { return join_path(dir, "index"); }
  std::string saved_searches() const { return join_path(dir, "saved_searches.db"); }
  // Present while objects are being moved into place and logged; left by a killed writer, it
  // tells the next opener to look for stored-but-unlogged objects.
  std::string commit_marker() const { return join_path(dir, "commit-in-progress"); }
};

struct HubConfig {
  int format_version = 1;
  std::string hub_id;
  std::string created_at;
  std::size_t chunk_size = vault::kDefaultChunkSize;
};
Result<HubConfig> read_config(FileSystem& fs, const Layout& layout);

struct InitOptions {
  crypto::KdfCost kdf = crypto::KdfCost::moderate();
  std::size_t chunk_size = vault::kDefaultChunkSize;
  std::string actor;
};
// Creates a hub in `dir`, which must be missing or empty.
Status init_hub(const std::string& dir, const vault::Credential& credential,
                const InitOptions& options, FileSystem& fs = local_fs());

// The custody log alone, read-only, for people who hold no key (auditors, recipients).
Result<std::unique_ptr<custody::CustodyLog>> open_custody_log(const std::string& dir,
                                                              FileSystem& fs = local_fs());

struct StoredObject {
  std::string path;  // the input file, as given
  std::string id;
  std::string sha256;
  std::uint64_t size = 0;
  std::string domain;
  bool deduplicated = false;           // the domain already held these bytes under `id`
  std::string sensitivity = "normal";  // the object's, which a duplicate does not change
};

struct ShredReport {
  std::string domain;
  std::string domain_id;
  std::int64_t objects = 0;
  std::string at;
};

struct VerifyReport {
  std::int64_t objects_checked = 0;
  std::int64_t objects_erased = 0;
  std::uint64_t bytes_checked = 0;
  std::uint64_t events = 0;
  std::uint64_t heads = 0;
  std::vector<std::string> problems;  // each a sentence naming what is wrong and where
  // Not failures, but worth an auditor's look: recoveries that set events aside, rebuilds,
  // objects and keys no record names.
  std::vector<std::string> notices;
  bool ok() const { return problems.empty(); }
};

struct Summary {
  std::string hub_id;
  std::string created_at;
  catalog::Counts counts;
  std::vector<catalog::KeyDomain> domains;
  std::vector<std::int64_t> objects_per_domain;
  std::uint64_t events = 0;
  std::optional<custody::TreeHead> latest_head;
};

struct ListedObject {
  catalog::ObjectRecord record;
  std::string domain;
  std::optional<std::string> organisation_id;  // of the domain
  bool erased = false;
};

// How new material enters: the partner organisation a new key domain belongs to (empty: none),
// and the sensitivity of the objects (catalog::kSensitivities).
struct Intake {
  std::string organisation_id;
  std::string sensitivity = "normal";
  // Not empty for a record a domain module keeps as an encrypted object (e.g. "witness",
  // "consent"): named in the put event and the catalog so the module's view can be rebuilt from
  // the log, and never listed or served as evidence.
  std::string record;
  // Not empty for material derived from another object (extracted text, OCR, a translation):
  // its provenance — source object, tool, version and parameters — goes into the put event and
  // the catalog. `media_type` describes the derived bytes.
  std::string derived_from;
  std::string tool;
  std::string tool_version;
  std::string tool_parameters;
  std::string media_type;

  static Intake evidence(std::string organisation_id, std::string sensitivity = "normal") {
    Intake i;
    i.organisation_id = std::move(organisation_id);
    i.sensitivity = std::move(sensitivity);
    return i;
  }
  static Intake record_of(std::string organisation_id, std::string kind) {
    Intake i;
    i.organisation_id = std::move(organisation_id);
    i.record = std::move(kind);
    return i;
  }
};

// One object to store derived from another, as put_derived() takes it: for storing many in one
// batch (put_derived_batch). `data` is plaintext: it is wiped once sealed.
struct DerivedData {
  std::string label;  // stands for a file name in messages only
  std::string data;
  std::string source_id;
  Intake provenance;  // derived_from, tool, tool_version, tool_parameters, media_type
};

// One event for audit_all().
struct AuditEntry {
  std::string action;
  std::string object;
  nlohmann::json details;
};

struct ObjectCheck {
  bool ok = false;
  std::string sha256;   // of the plaintext as read now; empty if it could not be read
  std::string problem;  // when !ok
};

struct OpenOptions {
  std::string actor;
  int lock_wait_ms = 120000;
  // Sets the catalog aside (catalog.db.damaged-<id>) and rebuilds it from the signed log.
  bool rebuild_catalog = false;
};

class Hub {
 public:
  static Result<std::unique_ptr<Hub>> open(const std::string& dir,
                                           const vault::Credential& credential,
                                           const OpenOptions& options, FileSystem& fs = local_fs());
  ~Hub();

  // Stores every file in `domain` (created on first use). All inputs are checked before any is
  // stored. `on_stored` is called for each file once it is durable, logged and catalogued.
  // `intake.organisation_id`, if not empty, is the partner organisation a new domain belongs
  // to; an existing domain of another organisation is refused. A file already in the domain is
  // stored once and keeps the sensitivity it was first given (StoredObject says which).
  Status put(const std::vector<std::string>& paths, const std::string& domain,
             const std::function<void(const StoredObject&)>& on_stored, const Intake& intake = {});
  // Stores bytes held in memory; `label` stands for a file name in messages only.
  Result<StoredObject> put_data(const std::string& label, std::string data,
                                const std::string& domain, const Intake& intake);
  // Stores what `file` holds, read once from its start in constant memory (an upload spooled
  // to disk); `label` stands for a file name in messages only.
  Result<StoredObject> put_file(const std::string& label, ReadableFile& file,
                                const std::string& domain, const Intake& intake);
  // Stores `data` derived from object `source_id` in the source's key domain, with its
  // organisation and sensitivity, and the provenance in `provenance` (derived_from, tool,
  // tool_version, tool_parameters, media_type; the rest is taken from the source). Erasing
  // the source's domain erases what was derived from it.
  Result<StoredObject> put_derived(const std::string& label, std::string data,
                                   const std::string& source_id, Intake provenance);
  // Stores every item as put_derived() would, each in its source's key domain, but as one
  // batch: one custody append and one signed tree head for all of them (of any number of
  // domains), so either all are logged or none is. Results in the order given. Memory: the
  // items as given; each is sealed to disk and its plaintext wiped before the next.
  Result<std::vector<StoredObject>> put_derived_batch(std::vector<DerivedData>& items);
  // Authenticated random access to an object's plaintext (kErased if shredded). The caller
  // logs the read (audit) before handing bytes out.
  Result<std::unique_ptr<vault::ObjectReader>> open_object(const std::string& id);
  // Decrypts object `id` to `out_path`, re-checking its SHA-256; logs the read before the file
  // appears, and leaves nothing behind if any check fails.
  Status get(const std::string& id, const std::string& out_path, bool overwrite);
  Result<ShredReport> shred(const std::string& domain, const std::string& reason);
  // `progress` (optional) is told after each object is re-hashed: (objects done, of total, bytes).
  Result<VerifyReport> verify(
      const std::function<void(std::uint64_t, std::uint64_t, std::uint64_t)>& progress = {});
  Result<Summary> summary();
  // What the hub holds within `scopes` (for a partner's dashboard).
  Result<catalog::Counts> summary_for(const std::vector<catalog::ReadScope>& scopes);
  // Decrypts object `id` without writing it anywhere and compares its SHA-256 with the one
  // recorded at intake. A failed check is a value (ok false, problem says why); errors are for
  // an unknown or erased object, or a hub that cannot be read. The caller logs the check.
  Result<ObjectCheck> check_object(const std::string& id);
  // Logs, under a signed head, an event that changes nothing the catalog holds: account
  // changes, sign-ins. `details` must hold no personal data and no plaintext.
  Status audit(const std::string& action, const std::string& object, nlohmann::json details);
  // Logs several such events under one signed head (one append, one sync): all or none.
  Status audit_all(const std::vector<AuditEntry>& entries);
  // Signed custody events from sequence number `first` on, oldest first, at most `limit`: what
  // a domain module's view applies to catch up. Takes the hub lock and recovers first, so every
  // event returned is under a signed head.
  Result<std::vector<custody::Event>> events_from(std::int64_t first, int limit);
  // Custody events for the audit view, newest first: those before event `before` (all if
  // negative), of `action` if not empty, at most `limit`.
  Result<std::vector<custody::Event>> events(std::int64_t before, const std::string& action,
                                             int limit);
  // A page of the objects within `scopes` (see catalog::Catalog::objects_of), with each one's
  // domain name and organisation.
  Result<std::vector<ListedObject>> list_for(const std::vector<catalog::ReadScope>& scopes,
                                             const std::string& after_id, int limit);
  // The newest `limit` objects within `scopes`, newest first.
  Result<std::vector<ListedObject>> newest_for(const std::vector<catalog::ReadScope>& scopes,
                                               int limit);
  // The object's record and its domain, for access decisions (kNotFound if unknown).
  Result<ListedObject> describe(const std::string& id);
  // Every object the catalog holds, optionally only those of one domain.
  Result<std::vector<ListedObject>> list(const std::string& domain);

  // Custody events logged so far (as this process knows them): what a follower of the log
  // compares with how far it has read.
  std::int64_t event_count() const;
  const HubConfig& config() const { return config_; }
  const Layout& layout() const { return layout_; }
  // A key for one purpose (e.g. sealing TOTP secrets), derived from the master key.
  crypto::SecretKey derive_key(std::string_view purpose) const {
    return crypto::derive_subkey(master_, purpose);
  }
  const std::string& actor() const { return options_.actor; }
  // The hub's Ed25519 key, which signs the custody log's tree heads, for disclosure/ to sign
  // packages with minisign: a recipient then pins one key. minisign signs a 64-byte hash and a
  // message that starts with a signature, never text shaped like a tree head (custody_log.h),
  // so the two uses cannot stand in for each other. No other module may use it.
  const crypto::SigningKey& signing_key() const { return signing_; }

 private:
  Hub(FileSystem& fs, Layout layout, HubConfig config, OpenOptions options,
      crypto::SecretKey master, crypto::SigningKey signing);
  Status recover();
  Status check_signed_head();
  Status set_catalog_aside();
  Status destroy_leftover_keys();
  struct Source {
    std::string label;
    std::function<Result<std::unique_ptr<ReadableFile>>()> open;
  };
  Status put_sources(const std::vector<Source>& sources, const std::string& domain,
                     const Intake& intake,
                     const std::function<void(const StoredObject&)>& on_stored);
  Result<catalog::KeyDomain> ensure_domain(const std::string& name,
                                           const std::string& organisation_id);
  // Appends the events, applies them to the catalog and signs a new tree head.
  Status record(std::vector<custody::Event>& events);
  // Logs and catalogues sealed objects under one signed head; each object i goes to
  // domains[i] with intakes[i] (put stores one domain's files, put_derived_batch several).
  Status commit_batch(std::vector<vault::SealedObject>& batch,
                      const std::vector<std::string>& paths,
                      const std::vector<const catalog::KeyDomain*>& domains,
                      const std::vector<const Intake*>& intakes,
                      const std::function<void(const StoredObject&)>& on_stored);
  Result<FileLock> lock_exclusive();
  // An object that can be read: its record, its live domain and the domain's key; kNotFound,
  // or kErased saying when, by whom and why its domain was shredded.
  struct LiveObject {
    catalog::ObjectRecord record;
    catalog::KeyDomain domain;
    crypto::SecretKey key;
  };
  Result<LiveObject> live_object(const std::string& id);
  Status check_output_path(const std::string& out_path, bool overwrite);

  FileSystem& fs_;
  Layout layout_;
  HubConfig config_;
  OpenOptions options_;
  crypto::SecretKey master_;
  crypto::SigningKey signing_;
  std::unique_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<custody::CustodyLog> log_;
  std::unique_ptr<vault::ObjectStore> store_;
  vault::DomainKeys domain_keys_;
  Status damaged_;  // set when the custody log fails its signed head: changes are refused
};

// Names and actors are written into the catalog and the custody log: printable UTF-8 only.
Status check_domain_name(const std::string& name);
Status check_actor(const std::string& actor);

// Applies custody events to the catalog: the one path for live changes and crash replay.
Status apply_events(catalog::Catalog& catalog, const std::vector<custody::Event>& events,
                    std::int64_t applied_after);

}  // namespace evhub::hub
