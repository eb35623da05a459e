// evhub verify: re-hash every object, re-check the custody log and its signed heads, and check
// that the catalog says exactly what replaying the log says. Every problem is reported, not
// just the first.
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "hub/hub.h"

namespace evhub::hub {

namespace {

struct Expected {
  std::map<std::string, catalog::KeyDomain> domains;
  std::map<std::string, catalog::ObjectRecord> objects;
};

// What the catalog must hold according to the log (the same rules as apply_events).
Expected replay(const std::vector<std::string>& lines) {
  Expected x;
  for (const std::string& line : lines) {
    auto e = custody::parse_event(line);
    if (!e.is_ok()) continue;  // reported by verify_log
    const auto& d = e->details;
    if (e->action == "domain.create" && d.contains("domain_id")) {
      catalog::KeyDomain dom;
      dom.id = d.value("domain_id", "");
      dom.name = d.value("domain", "");
      if (d.contains("organisation_id")) dom.organisation_id = d.value("organisation_id", "");
      x.domains[dom.id] = dom;
    } else if (e->action == "put" && !d.value("deduplicated", false)) {
      catalog::ObjectRecord o;
      o.id = e->object;
      o.domain_id = d.value("domain_id", "");
      o.sha256 = e->sha256;
      o.size = d.value("size", std::int64_t{-1});
      x.objects[o.id] = o;
    } else if (e->action == "shred") {
      auto it = x.domains.find(d.value("domain_id", ""));
      if (it != x.domains.end()) it->second.shredded = true;
    }
  }
  return x;
}

void compare_catalog(const Expected& x, const std::vector<catalog::KeyDomain>& domains,
                     const std::vector<catalog::ObjectRecord>& objects,
                     std::vector<std::string>& problems) {
  std::set<std::string> seen;
  for (const auto& d : domains) {
    seen.insert(d.id);
    auto it = x.domains.find(d.id);
    if (it == x.domains.end()) {
      problems.push_back(
          fmt::format("catalog: domain {} was never created in the custody log", d.name));
    } else if (it->second.name != d.name || it->second.shredded != d.shredded ||
               it->second.organisation_id != d.organisation_id) {
      problems.push_back(fmt::format("catalog: domain {} differs from the custody log", d.name));
    }
  }
  for (const auto& [id, d] : x.domains) {
    if (!seen.count(id)) {
      problems.push_back(fmt::format("catalog: domain {} of the custody log is missing", d.name));
    }
  }
  seen.clear();
  for (const auto& o : objects) {
    seen.insert(o.id);
    auto it = x.objects.find(o.id);
    if (it == x.objects.end()) {
      problems.push_back(
          fmt::format("catalog: object {} has no put event in the custody log", o.id));
    } else if (it->second.sha256 != o.sha256 || it->second.size != o.size ||
               it->second.domain_id != o.domain_id) {
      problems.push_back(fmt::format(
          "catalog: object {} differs from its put event (SHA-256, size or domain)", o.id));
    }
  }
  for (const auto& [id, o] : x.objects) {
    if (!seen.count(id)) {
      problems.push_back(fmt::format("catalog: object {} of the custody log is missing", id));
    }
  }
}

}  // namespace

Result<VerifyReport> Hub::verify(
    const std::function<void(std::uint64_t, std::uint64_t, std::uint64_t)>& progress) {
  {
    EVHUB_ASSIGN_OR_RETURN(FileLock lock, lock_exclusive());
    Status st = recover();
    // A damaged log is what verify is for: go on and name every problem.
    if (!st.is_ok() && damaged_.is_ok()) return st;
  }
  // A shared lock keeps writers out while we read log, catalog, keys and the store's listing,
  // so that they are seen at one moment. It is released before the long part, re-hashing the
  // objects, which are immutable and whose keys are then in memory.
  std::optional<FileLock> lock;
  {
    EVHUB_ASSIGN_OR_RETURN(FileLock shared,
                           FileLock::acquire(layout_.lock(), false, options_.lock_wait_ms));
    lock.emplace(std::move(shared));
  }
  EVHUB_RETURN_IF_ERROR(log_->refresh());
  VerifyReport report;
  auto& problems = report.problems;

  Status integrity = catalog_->integrity_check();
  if (!integrity.is_ok()) problems.push_back(integrity.message());

  // The custody log and its heads, against the public key the hub's own secret key implies.
  Bytes public_key = signing_.public_key();
  auto published = log_->public_key();
  if (!published.is_ok() || *published != public_key) {
    problems.push_back(
        "custody/signing-key.pub is not the hub's signing key: it was replaced or damaged");
  }
  auto pem = read_text_file(fs_, join_path(layout_.custody(), custody::kPublicKeyPemFile));
  if (!pem.is_ok() || *pem != custody::public_key_pem(public_key)) {
    problems.push_back(
        "custody/signing-key.pem is not the hub's signing key: it was replaced or damaged");
  }
  for (std::string& p : custody::verify_log(*log_, public_key)) problems.push_back(std::move(p));
  EVHUB_ASSIGN_OR_RETURN(auto lines, log_->event_lines());
  for (const std::string& line : lines) {
    auto e = custody::parse_event(line);
    if (!e.is_ok()) continue;
    if (e->action == "recover") {
      report.notices.push_back(
          fmt::format("event {} ({}): {} unsigned custody events were set aside to {} — left by an "
                      "interrupted command, or written without the hub's key; inspect them",
                      e->seq, e->time, e->details.value("unsigned_events_set_aside", 0),
                      e->details.value("file", "?")));
    } else if (e->action == "catalog.rebuild") {
      report.notices.push_back(
          fmt::format("event {} ({}): the catalog was rebuilt from the log", e->seq, e->time));
    }
  }
  for (const char* dir : {"objects/unrecorded", "keys/unrecorded-domains"}) {
    auto names = fs_.list_dir(join_path(layout_.dir, dir));
    if (names.is_ok() && !names->empty()) {
      report.notices.push_back(
          fmt::format("{} holds {} files that no record names (left by interrupted commands)", dir,
                      names->size()));
    }
  }
  auto heads = log_->heads();  // a damaged head was reported by verify_log
  report.events = lines.size();
  report.heads = heads.is_ok() ? heads->size() : 0;

  // The catalog must say what the log says.
  EVHUB_ASSIGN_OR_RETURN(std::int64_t applied, catalog_->applied_seq());
  if (applied != static_cast<std::int64_t>(lines.size())) {
    problems.push_back(fmt::format("catalog: it has applied {} custody events, the log holds {}",
                                   applied, lines.size()));
  }
  EVHUB_ASSIGN_OR_RETURN(auto domains, catalog_->domains());
  EVHUB_ASSIGN_OR_RETURN(auto objects, catalog_->objects());
  compare_catalog(replay(lines), domains, objects, problems);

  // Keys: every live domain has one that unwraps; no shredded domain has one.
  std::map<std::string, catalog::KeyDomain> by_id;
  for (const auto& d : domains) {
    by_id[d.id] = d;
    if (d.shredded && domain_keys_.exists(d.id)) {
      problems.push_back(
          fmt::format("keys: domain {} is shredded but its key still exists", d.name));
    }
  }

  // Every object: present, decrypts, and hashes to what intake recorded.
  struct Work {
    const catalog::ObjectRecord* object;
    const crypto::SecretKey* key;
    std::string domain_id;
  };
  std::vector<Work> work;
  std::set<std::string> catalogued;
  std::map<std::string, std::optional<crypto::SecretKey>> keys;
  for (const auto& o : objects) {
    catalogued.insert(o.id);
    const auto& dom = by_id[o.domain_id];
    if (dom.shredded) {
      ++report.objects_erased;
      continue;
    }
    if (!keys.count(dom.id)) {
      auto loaded = domain_keys_.load(dom.id);
      if (loaded.is_ok()) {
        keys[dom.id] = std::move(loaded).value();
      } else {
        keys[dom.id] = std::nullopt;
        problems.push_back(fmt::format("keys: domain {}: {}", dom.name, loaded.status().message()));
      }
    }
    if (!keys[dom.id]) continue;
    if (!store_->contains(o.id)) {
      problems.push_back(fmt::format("object {} is missing from the object store", o.id));
      continue;
    }
    work.push_back(Work{&o, &*keys[dom.id], dom.id});
  }
  EVHUB_ASSIGN_OR_RETURN(auto stored, store_->list());
  for (const std::string& id : stored) {
    if (!catalogued.count(id)) {
      problems.push_back(fmt::format("object store: {} is not recorded in the catalog", id));
    }
  }
  lock.reset();

  for (const Work& w : work) {
    const catalog::ObjectRecord& o = *w.object;
    auto opened = vault::open_object(*store_, o.id, w.domain_id, *w.key, nullptr);
    ++report.objects_checked;
    if (!opened.is_ok()) {
      problems.push_back(opened.status().message());
    } else if (to_hex(opened->sha256) != o.sha256 ||
               opened->size != static_cast<std::uint64_t>(o.size)) {
      problems.push_back(fmt::format("object {} has SHA-256 {} but {} was recorded at intake", o.id,
                                     to_hex(opened->sha256), o.sha256));
    } else {
      report.bytes_checked += opened->size;
    }
    if (progress)
      progress(static_cast<std::uint64_t>(report.objects_checked), work.size(),
               opened.is_ok() ? opened->size : 0);
  }
  return report;
}

std::int64_t Hub::event_count() const { return static_cast<std::int64_t>(log_->size()); }

Result<Summary> Hub::summary() {
  Summary s;
  s.hub_id = config_.hub_id;
  s.created_at = config_.created_at;
  EVHUB_ASSIGN_OR_RETURN(s.counts, catalog_->counts());
  EVHUB_ASSIGN_OR_RETURN(s.domains, catalog_->domains());
  for (const auto& d : s.domains) {
    EVHUB_ASSIGN_OR_RETURN(std::int64_t n, catalog_->count_objects_in(d.id));
    s.objects_per_domain.push_back(n);
  }
  EVHUB_RETURN_IF_ERROR(log_->refresh());
  s.events = log_->size();
  auto heads = log_->heads();
  if (heads.is_ok() && !heads->empty()) s.latest_head = heads->back();
  return s;
}

}  // namespace evhub::hub

namespace evhub::hub {

namespace {

// Names each record's domain, reading each domain once.
Result<std::vector<ListedObject>> with_domains(catalog::Catalog& catalog,
                                               std::vector<catalog::ObjectRecord> records) {
  std::map<std::string, catalog::KeyDomain> domains;
  std::vector<ListedObject> out;
  for (auto& r : records) {
    auto it = domains.find(r.domain_id);
    if (it == domains.end()) {
      EVHUB_ASSIGN_OR_RETURN(auto d, catalog.find_domain(r.domain_id));
      if (!d) return Status(Code::kIntegrity, "object " + r.id + " has an unknown domain");
      it = domains.emplace(r.domain_id, *d).first;
    }
    out.push_back(ListedObject{std::move(r), it->second.name, it->second.organisation_id,
                               it->second.shredded});
  }
  return out;
}

}  // namespace

Result<std::vector<ListedObject>> Hub::list_for(const std::vector<catalog::ReadScope>& scopes,
                                                const std::string& after_id, int limit) {
  EVHUB_ASSIGN_OR_RETURN(auto records, catalog_->objects_of(scopes, after_id, limit));
  return with_domains(*catalog_, std::move(records));
}

Result<std::vector<ListedObject>> Hub::newest_for(const std::vector<catalog::ReadScope>& scopes,
                                                  int limit) {
  EVHUB_ASSIGN_OR_RETURN(auto records, catalog_->newest_objects_of(scopes, limit));
  return with_domains(*catalog_, std::move(records));
}

Result<catalog::Counts> Hub::summary_for(const std::vector<catalog::ReadScope>& scopes) {
  return catalog_->counts_of(scopes);
}

Result<ObjectCheck> Hub::check_object(const std::string& id) {
  EVHUB_ASSIGN_OR_RETURN(LiveObject live, live_object(id));
  const catalog::ObjectRecord* rec = &live.record;
  ObjectCheck check;
  auto opened = vault::open_object(*store_, id, live.domain.id, live.key, nullptr);
  if (!opened.is_ok()) {
    check.problem = opened.status().message();
    return check;
  }
  check.sha256 = to_hex(opened->sha256);
  check.ok = check.sha256 == rec->sha256 && opened->size == static_cast<std::uint64_t>(rec->size);
  if (!check.ok) {
    check.problem =
        fmt::format("SHA-256 is {} but {} was recorded at intake", check.sha256, rec->sha256);
  }
  return check;
}

Result<ListedObject> Hub::describe(const std::string& id) {
  EVHUB_ASSIGN_OR_RETURN(auto rec, catalog_->find_object(id));
  if (!rec) return Status(Code::kNotFound, "there is no object " + id);
  EVHUB_ASSIGN_OR_RETURN(auto d, catalog_->find_domain(rec->domain_id));
  if (!d) return Status(Code::kIntegrity, "object " + id + " has an unknown domain");
  return ListedObject{std::move(*rec), d->name, d->organisation_id, d->shredded};
}

Result<std::vector<ListedObject>> Hub::list(const std::string& domain) {
  EVHUB_ASSIGN_OR_RETURN(auto domains, catalog_->domains());
  std::map<std::string, catalog::KeyDomain> by_id;
  for (auto& d : domains) by_id[d.id] = d;
  if (!domain.empty()) {
    bool known = false;
    for (const auto& d : domains) known |= d.name == domain;
    if (!known) return Status(Code::kNotFound, "there is no key domain " + domain);
  }
  EVHUB_ASSIGN_OR_RETURN(auto objects, catalog_->objects());
  std::vector<ListedObject> out;
  for (auto& o : objects) {
    const auto& d = by_id[o.domain_id];
    if (!domain.empty() && d.name != domain) continue;
    out.push_back(ListedObject{std::move(o), d.name, d.organisation_id, d.shredded});
  }
  return out;
}

}  // namespace evhub::hub
