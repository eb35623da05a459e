// put, get and shred: the changes a hub makes to its evidence.
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"
#include "hub/hub.h"

namespace evhub::hub {

namespace {

// Files stored per catalog transaction and signed tree head: large enough that small files
// are not dominated by per-batch fsyncs, small enough that progress is reported steadily.
constexpr std::size_t kBatchFiles = 256;
constexpr std::uint64_t kBatchBytes = 256u << 20;

Status check_input(FileSystem& fs, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno_status(errno, "cannot read", path);
  if (!S_ISREG(st.st_mode)) return Status(Code::kInvalidArgument, path + " is not a regular file");
  auto f = fs.open_read(path);
  return f.status();
}

}  // namespace

Status Hub::put(const std::vector<std::string>& paths, const std::string& domain_name,
                const std::function<void(const StoredObject&)>& on_stored, const Intake& intake) {
  if (paths.empty()) return Status(Code::kInvalidArgument, "no files to store");
  std::vector<Status> unreadable;
  for (const std::string& p : paths) {
    Status st = check_input(fs_, p);
    if (!st.is_ok()) unreadable.push_back(st);
  }
  if (!unreadable.empty()) {
    std::string msg = "nothing was stored; ";
    for (std::size_t i = 0; i < unreadable.size(); ++i) {
      msg += (i ? "; " : "") + unreadable[i].message();
    }
    return Status(unreadable.front().code(), msg);
  }
  std::vector<Source> sources;
  for (const std::string& p : paths) {
    sources.push_back(Source{p, [this, p] { return fs_.open_read(p); }});
  }
  return put_sources(sources, domain_name, intake, on_stored);
}

Result<StoredObject> Hub::put_data(const std::string& label, std::string data,
                                   const std::string& domain_name, const Intake& intake) {
  auto file = memory_file(std::make_shared<const std::string>(std::move(data)));
  return put_file(label, *file, domain_name, intake);
}

namespace {
// Lends a file that its owner keeps to a Source, which wants to own what it opens.
class LentFile : public ReadableFile {
 public:
  explicit LentFile(ReadableFile& file) : file_(file) {}
  Result<std::size_t> read(std::span<std::uint8_t> buffer) override { return file_.read(buffer); }
  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) override {
    return file_.read_at(offset, buffer);
  }
  Result<std::uint64_t> size() override { return file_.size(); }

 private:
  ReadableFile& file_;
};
}  // namespace

Result<StoredObject> Hub::put_file(const std::string& label, ReadableFile& file,
                                   const std::string& domain_name, const Intake& intake) {
  std::optional<StoredObject> stored;
  auto lend = [&file]() -> Result<std::unique_ptr<ReadableFile>> {
    return std::unique_ptr<ReadableFile>(std::make_unique<LentFile>(file));
  };
  EVHUB_RETURN_IF_ERROR(put_sources({Source{label, lend}}, domain_name, intake,
                                    [&](const StoredObject& s) { stored = s; }));
  return *stored;
}

Status Hub::put_sources(const std::vector<Source>& sources, const std::string& domain_name,
                        const Intake& intake,
                        const std::function<void(const StoredObject&)>& on_stored) {
  if (!catalog::is_sensitivity(intake.sensitivity)) {
    return Status(Code::kInvalidArgument,
                  "unknown sensitivity " + intake.sensitivity +
                      "; use normal, health or sexual-violence; nothing was stored");
  }
  EVHUB_ASSIGN_OR_RETURN(catalog::KeyDomain domain,
                         ensure_domain(domain_name, intake.organisation_id));
  EVHUB_ASSIGN_OR_RETURN(crypto::SecretKey key, domain_keys_.load(domain.id));

  // Encrypt without the lock (other writers go on meanwhile); take it only to commit a batch.
  std::vector<vault::SealedObject> batch;
  std::vector<std::string> batch_labels;
  std::uint64_t batch_bytes = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    EVHUB_ASSIGN_OR_RETURN(auto in, sources[i].open());
    auto sealed = vault::seal_object(*store_, *in, domain.id, key, config_.chunk_size);
    if (!sealed.is_ok()) return sealed.status().with_context("storing " + sources[i].label);
    batch_bytes += sealed->size;
    batch.push_back(std::move(sealed).value());
    batch_labels.push_back(sources[i].label);
    if (batch.size() >= kBatchFiles || batch_bytes >= kBatchBytes || i + 1 == sources.size()) {
      const std::vector<const catalog::KeyDomain*> domains(batch.size(), &domain);
      const std::vector<const Intake*> intakes(batch.size(), &intake);
      EVHUB_RETURN_IF_ERROR(commit_batch(batch, batch_labels, domains, intakes, on_stored));
      batch.clear();
      batch_labels.clear();
      batch_bytes = 0;
    }
  }
  return Status::ok();
}

Result<Hub::LiveObject> Hub::live_object(const std::string& id) {
  EVHUB_ASSIGN_OR_RETURN(auto rec, catalog_->find_object(id));
  if (!rec) return Status(Code::kNotFound, "there is no object " + id + " in this hub");
  EVHUB_ASSIGN_OR_RETURN(auto dom, catalog_->find_domain(rec->domain_id));
  if (!dom) return Status(Code::kIntegrity, "object " + id + " belongs to an unknown domain");
  if (dom->shredded) {
    return Status(Code::kErased,
                  fmt::format("object {} was erased: its domain {} was shredded on {} by {} ({})",
                              id, dom->name, dom->shredded_at.value_or("?"),
                              dom->shredded_by.value_or("?"), dom->shred_reason.value_or("")));
  }
  EVHUB_ASSIGN_OR_RETURN(crypto::SecretKey key, domain_keys_.load(dom->id));
  return LiveObject{std::move(*rec), std::move(*dom), std::move(key)};
}

Result<std::unique_ptr<vault::ObjectReader>> Hub::open_object(const std::string& id) {
  EVHUB_ASSIGN_OR_RETURN(LiveObject live, live_object(id));
  return vault::ObjectReader::open(*store_, id, live.domain.id, live.key);
}

Status Hub::commit_batch(std::vector<vault::SealedObject>& batch,
                         const std::vector<std::string>& paths,
                         const std::vector<const catalog::KeyDomain*>& domains,
                         const std::vector<const Intake*>& intakes,
                         const std::function<void(const StoredObject&)>& on_stored) {
  EVHUB_ASSIGN_OR_RETURN(FileLock lock, lock_exclusive());
  EVHUB_RETURN_IF_ERROR(recover());
  std::set<std::string> checked;
  for (const catalog::KeyDomain* domain : domains) {
    if (!checked.insert(domain->id).second) continue;
    EVHUB_ASSIGN_OR_RETURN(auto current, catalog_->find_domain(domain->id));
    if (!current || current->shredded) {
      return Status(Code::kErased, "domain " + domain->name +
                                       " was shredded while these files were being stored; "
                                       "nothing of this batch was kept");
    }
  }
  EVHUB_RETURN_IF_ERROR(write_file_atomic(fs_, layout_.commit_marker(), {}));
  std::vector<custody::Event> events;
  std::vector<StoredObject> results;
  // (domain id, sha256) -> id: duplicates inside the batch, which are deduplicated per domain.
  std::map<std::pair<std::string, std::string>, std::string> batch_ids;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    vault::SealedObject& s = batch[i];
    const catalog::KeyDomain& domain = *domains[i];
    const Intake& intake = *intakes[i];
    StoredObject r{paths[i],    s.id,  to_hex(s.sha256),  s.size,
                   domain.name, false, intake.sensitivity};
    const std::pair<std::string, std::string> key{domain.id, r.sha256};
    EVHUB_ASSIGN_OR_RETURN(auto existing, catalog_->find_object_by_hash(domain.id, r.sha256));
    if (existing && !store_->contains(existing->id)) {
      return Status(Code::kIntegrity,
                    fmt::format("{} is already recorded as object {}, but that object is missing "
                                "from the object store; run `evhub verify`",
                                paths[i], existing->id));
    }
    if (existing || batch_ids.count(key)) {
      r.id = existing ? existing->id : batch_ids[key];
      r.deduplicated = true;
      if (existing) r.sensitivity = existing->sensitivity;
      s.pending.reset();  // drops the new copy
    } else {
      EVHUB_RETURN_IF_ERROR(s.pending->commit());
      batch_ids[key] = r.id;
    }
    custody::Event e;
    e.action = "put";
    e.object = r.id;
    e.sha256 = r.sha256;
    e.details = {{"domain", domain.name},
                 {"domain_id", domain.id},
                 {"size", r.size},
                 {"media_type", !intake.media_type.empty() ? intake.media_type
                                : intake.record.empty()
                                    ? "application/octet-stream"
                                    : "application/vnd.evhub." + intake.record + "+json"},
                 {"origin", intake.derived_from.empty() ? "uploaded" : "derived"},
                 {"deduplicated", r.deduplicated},
                 {"sensitivity", r.sensitivity}};
    if (!intake.record.empty()) e.details["record"] = intake.record;
    if (!intake.derived_from.empty()) {
      e.details["derived_from"] = intake.derived_from;
      e.details["tool"] = intake.tool;
      e.details["tool_version"] = intake.tool_version;
      e.details["tool_parameters"] = intake.tool_parameters;
    }
    events.push_back(std::move(e));
    results.push_back(std::move(r));
  }
  EVHUB_RETURN_IF_ERROR(record(events));
  // Logged and signed: the batch is stored. A marker left behind only makes the next opener
  // look for unrecorded objects, and it will find none of these.
  for (const StoredObject& r : results) on_stored(r);
  (void)fs_.remove(layout_.commit_marker());
  return Status::ok();
}

Status Hub::check_output_path(const std::string& out_path, bool overwrite) {
  namespace stdfs = std::filesystem;
  std::error_code ec;
  if (out_path.empty()) return Status(Code::kInvalidArgument, "no output file given");
  if (stdfs::is_directory(out_path, ec)) {
    return Status(Code::kInvalidArgument, out_path + " is a directory; give a file name");
  }
  if (stdfs::exists(out_path, ec) && !stdfs::is_regular_file(out_path, ec)) {
    // Never replace a device, socket or pipe (think -o /dev/null --force as root).
    return Status(Code::kInvalidArgument, out_path + " exists and is not a regular file");
  }
  if (!overwrite && stdfs::exists(out_path, ec)) {
    return Status(Code::kAlreadyExists, out_path + " exists; choose another name or use --force");
  }
  // Plaintext must never land inside the hub directory, where it could replace hub files.
  auto out_dir = stdfs::weakly_canonical(stdfs::absolute(parent_dir(out_path), ec), ec);
  auto hub_dir = stdfs::weakly_canonical(stdfs::absolute(layout_.dir, ec), ec);
  if (!ec) {
    auto rel = out_dir.lexically_relative(hub_dir);
    if (!rel.empty() && *rel.begin() != "..") {
      return Status(Code::kInvalidArgument,
                    "refusing to write decrypted evidence inside the hub "
                    "directory; choose a path outside it");
    }
  }
  return Status::ok();
}

Status Hub::get(const std::string& id, const std::string& out_path, bool overwrite) {
  EVHUB_ASSIGN_OR_RETURN(LiveObject live, live_object(id));
  EVHUB_RETURN_IF_ERROR(check_output_path(out_path, overwrite));
  const catalog::ObjectRecord* rec = &live.record;
  const catalog::KeyDomain* dom = &live.domain;
  // Decrypt into an unnamed file beside the target; it gets the target's name only after the
  // hash matches and the read is logged. Killed before that, it leaves no plaintext behind.
  EVHUB_ASSIGN_OR_RETURN(auto out, fs_.create_unnamed(parent_dir(out_path)));
  auto opened = vault::open_object(*store_, id, live.domain.id, live.key, out.get());
  Status st = opened.status();
  if (st.is_ok() && (to_hex(opened->sha256) != rec->sha256 ||
                     opened->size != static_cast<std::uint64_t>(rec->size))) {
    st = Status(Code::kIntegrity,
                fmt::format("object {}: decrypted content has SHA-256 {} but {} was recorded at "
                            "intake; nothing was written",
                            id, to_hex(opened->sha256), rec->sha256));
  }
  if (st.is_ok()) st = out->sync();
  if (st.is_ok()) {
    auto lock = lock_exclusive();
    st = lock.status();
    if (st.is_ok()) st = recover();
    if (st.is_ok()) {
      // The domain may have been shredded while we decrypted: then nothing may come out.
      auto now = catalog_->find_domain(dom->id);
      st = now.status();
      if (st.is_ok() && (!*now || (*now)->shredded)) {
        st = Status(Code::kErased, fmt::format("object {} was erased while it was being read: its "
                                               "domain {} was shredded; nothing was written",
                                               id, dom->name));
      }
    }
    if (st.is_ok()) {
      custody::Event e;
      e.action = "get";
      e.object = id;
      e.sha256 = rec->sha256;
      e.details = {{"domain_id", dom->id}, {"size", rec->size}};
      std::vector<custody::Event> events{e};
      st = record(events);
    }
  }
  if (st.is_ok()) st = out->link_as(out_path, overwrite);
  if (st.is_ok()) st = out->close();
  if (!st.is_ok()) return st;  // destroying `out` discards the unnamed file
  return fs_.sync_dir(parent_dir(out_path));
}

Result<ShredReport> Hub::shred(const std::string& domain_name, const std::string& reason) {
  if (!is_printable_text(reason, 500)) {
    return Status(Code::kInvalidArgument,
                  "the reason must be at most 500 bytes of UTF-8 text without control characters");
  }
  EVHUB_ASSIGN_OR_RETURN(FileLock lock, lock_exclusive());
  EVHUB_RETURN_IF_ERROR(recover());
  EVHUB_ASSIGN_OR_RETURN(auto dom, catalog_->find_domain_by_name(domain_name));
  if (!dom) return Status(Code::kNotFound, "there is no key domain " + domain_name);
  if (dom->shredded) {
    return Status(Code::kErased,
                  fmt::format("domain {} was already shredded on {} by {}", domain_name,
                              dom->shredded_at.value_or("?"), dom->shredded_by.value_or("?")));
  }
  EVHUB_ASSIGN_OR_RETURN(std::int64_t count, catalog_->count_objects_in(dom->id));
  custody::Event e;
  e.action = "shred";
  e.details = {{"domain", domain_name},
               {"domain_id", dom->id},
               {"objects", count},
               {"reason", reason.empty() ? "crypto-shredded on request" : reason}};
  std::vector<custody::Event> events{e};
  // Log and catalogue the shred first, then destroy the key: a crash in between is finished
  // by recover(), which destroys the keys of domains whose shred is in the signed log.
  EVHUB_RETURN_IF_ERROR(record(events));
  EVHUB_RETURN_IF_ERROR(domain_keys_.destroy(dom->id));
  return ShredReport{domain_name, dom->id, count, events[0].time};
}

}  // namespace evhub::hub

namespace evhub::hub {

Result<std::vector<custody::Event>> Hub::events(std::int64_t before, const std::string& action,
                                                int limit) {
  EVHUB_ASSIGN_OR_RETURN(auto lines, log_->event_lines());
  std::vector<custody::Event> out;
  std::int64_t i = before < 0
                       ? static_cast<std::int64_t>(lines.size())
                       : std::min<std::int64_t>(before, static_cast<std::int64_t>(lines.size()));
  while (--i >= 0 && static_cast<int>(out.size()) < limit) {
    auto e = custody::parse_event(lines[static_cast<std::size_t>(i)]);
    if (!e.is_ok()) continue;  // verify names damaged lines
    if (!action.empty() && e->action != action) continue;
    out.push_back(std::move(e).value());
  }
  return out;
}

Result<StoredObject> Hub::put_derived(const std::string& label, std::string data,
                                      const std::string& source_id, Intake provenance) {
  EVHUB_ASSIGN_OR_RETURN(ListedObject source, describe(source_id));
  if (source.erased) {
    return Status(Code::kErased, "object " + source_id + " was erased; nothing is derived from it");
  }
  provenance.derived_from = source_id;
  provenance.organisation_id = source.organisation_id.value_or("");
  provenance.sensitivity = source.record.sensitivity;
  return put_data(label, std::move(data), source.domain, provenance);
}

Result<std::vector<StoredObject>> Hub::put_derived_batch(std::vector<DerivedData>& items) {
  if (items.empty()) return std::vector<StoredObject>{};
  // Each item's domain, intake and key, looked up once per source and domain.
  std::map<std::string, catalog::KeyDomain> domains;  // by name
  std::map<std::string, crypto::SecretKey> keys;      // by domain id
  std::vector<const catalog::KeyDomain*> item_domains;
  std::vector<const Intake*> item_intakes;
  std::vector<std::string> labels;
  for (DerivedData& item : items) {
    EVHUB_ASSIGN_OR_RETURN(ListedObject source, describe(item.source_id));
    if (source.erased) {
      return Status(Code::kErased,
                    "object " + item.source_id + " was erased; nothing is derived from it");
    }
    Intake& intake = item.provenance;
    intake.derived_from = item.source_id;
    intake.organisation_id = source.organisation_id.value_or("");
    intake.sensitivity = source.record.sensitivity;
    auto found = domains.find(source.domain);
    if (found == domains.end()) {
      EVHUB_ASSIGN_OR_RETURN(catalog::KeyDomain domain,
                             ensure_domain(source.domain, intake.organisation_id));
      EVHUB_ASSIGN_OR_RETURN(crypto::SecretKey key, domain_keys_.load(domain.id));
      keys.emplace(domain.id, std::move(key));
      found = domains.emplace(source.domain, std::move(domain)).first;
    }
    item_domains.push_back(&found->second);
    item_intakes.push_back(&intake);
    labels.push_back(item.label);
  }
  // Sealed without the lock, as put() does; committed under it, all in one append.
  std::vector<vault::SealedObject> batch;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto plain = std::make_shared<std::string>(std::move(items[i].data));
    items[i].data.clear();
    auto file = memory_file(plain);
    const std::string& domain_id = item_domains[i]->id;
    auto sealed =
        vault::seal_object(*store_, *file, domain_id, keys.at(domain_id), config_.chunk_size);
    file.reset();
    crypto::wipe(plain->data(), plain->size());
    if (!sealed.is_ok()) return sealed.status().with_context("storing " + labels[i]);
    batch.push_back(std::move(sealed).value());
  }
  std::vector<StoredObject> out;
  EVHUB_RETURN_IF_ERROR(commit_batch(batch, labels, item_domains, item_intakes,
                                     [&](const StoredObject& s) { out.push_back(s); }));
  return out;
}

Result<std::vector<custody::Event>> Hub::events_from(std::int64_t first, int limit) {
  EVHUB_ASSIGN_OR_RETURN(FileLock lock, lock_exclusive());
  EVHUB_RETURN_IF_ERROR(recover());
  // Only the lines asked for are read: views call this after every change they make.
  EVHUB_ASSIGN_OR_RETURN(
      auto lines,
      log_->event_lines_from(static_cast<std::uint64_t>(std::max<std::int64_t>(first, 0)),
                             static_cast<std::size_t>(std::max(limit, 0))));
  std::vector<custody::Event> out;
  for (const std::string& line : lines) {
    EVHUB_ASSIGN_OR_RETURN(auto e, custody::parse_event(line));
    out.push_back(std::move(e));
  }
  return out;
}

Status Hub::audit_all(const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return Status::ok();
  EVHUB_ASSIGN_OR_RETURN(FileLock lock, lock_exclusive());
  EVHUB_RETURN_IF_ERROR(recover());
  std::vector<custody::Event> events;
  for (const AuditEntry& entry : entries) {
    custody::Event e;
    e.action = entry.action;
    e.object = entry.object;
    e.details = entry.details;
    events.push_back(std::move(e));
  }
  return record(events);
}

Status Hub::audit(const std::string& action, const std::string& object, nlohmann::json details) {
  EVHUB_ASSIGN_OR_RETURN(FileLock lock, lock_exclusive());
  EVHUB_RETURN_IF_ERROR(recover());
  custody::Event e;
  e.action = action;
  e.object = object;
  e.details = std::move(details);
  std::vector<custody::Event> events{e};
  return record(events);
}

}  // namespace evhub::hub
