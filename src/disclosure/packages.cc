#include "disclosure/packages.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "hub/log_view.h"
#include "hub/record_io.h"

namespace evhub::disclosure {

using catalog::Database;
using catalog::Statement;
using nlohmann::json;

namespace {

constexpr const char* kRecordKind = "package";
constexpr std::size_t kMaxRecordBytes = 16 << 20;
constexpr std::size_t kMaxItems = 100'000;

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

// packages.db is derived data: deleting it makes the next open replay the log.
const std::vector<catalog::Migration>& view_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "follows the custody log", hub::kViewStateSql}, {2, "packages", R"sql(
CREATE TABLE packages (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  state TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  changed_seq INTEGER NOT NULL
);
CREATE UNIQUE INDEX packages_by_number ON packages(year, number);
CREATE TABLE package_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE TABLE package_items (
  package_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  object_id TEXT NOT NULL,
  witness TEXT NOT NULL,
  consent_version INTEGER NOT NULL,
  PRIMARY KEY (package_id, position)
);
CREATE INDEX package_items_by_witness ON package_items(witness);
)sql"}};
  return kMigrations;
}

json item_json(const PackageItem& i) {
  return {{"object_id", i.object_id},
          {"witness", i.witness},
          {"folder", i.folder},
          {"description", i.description},
          {"gate",
           {{"allowed", i.gate.allowed},
            {"reason", i.gate.reason},
            {"consent_version", i.gate.consent_version}}},
          {"delivered_object_id", i.delivered_object_id},
          {"redaction_reviewed_by", i.redaction_reviewed_by}};
}

PackageItem item_from(const json& j) {
  PackageItem i;
  i.object_id = j.value("object_id", "");
  i.witness = j.value("witness", "");
  i.folder = j.value("folder", "");
  i.description = j.value("description", "");
  const json gate = j.value("gate", json::object());
  i.gate.allowed = gate.value("allowed", false);
  i.gate.reason = gate.value("reason", "");
  i.gate.consent_version = gate.value("consent_version", 0);
  i.delivered_object_id = j.value("delivered_object_id", "");
  i.redaction_reviewed_by = j.value("redaction_reviewed_by", "");
  return i;
}

json package_json(const Package& p) {
  json items = json::array();
  for (const auto& i : p.items) items.push_back(item_json(i));
  return {{"id", p.id},
          {"version", p.version},
          {"organisation_id", p.organisation_id},
          {"request_id", p.request_id},
          {"year", p.year},
          {"number", p.number},
          {"state", p.state},
          {"items", std::move(items)},
          {"note", p.note},
          {"editors", p.editors},
          {"approved_by", p.approved_by},
          {"updated_by", p.updated_by},
          {"updated_at", p.updated_at}};
}

Package package_from(const json& j) {
  Package p;
  p.id = j.value("id", "");
  p.version = j.value("version", 0);
  p.organisation_id = j.value("organisation_id", "");
  p.request_id = j.value("request_id", "");
  p.year = j.value("year", 0);
  p.number = j.value("number", 0);
  p.state = j.value("state", "draft");
  for (const auto& i : j.value("items", json::array())) p.items.push_back(item_from(i));
  p.note = j.value("note", "");
  p.editors = j.value("editors", std::vector<std::string>());
  p.approved_by = j.value("approved_by", "");
  p.updated_by = j.value("updated_by", "");
  p.updated_at = j.value("updated_at", "");
  return p;
}

Status check_user(const std::string& by) {
  if (by.empty() || !is_printable_text(by, 200)) return bad("say who changes the package");
  return Status::ok();
}

Status check_items(const std::vector<PackageItem>& items) {
  if (items.size() > kMaxItems)
    return bad(fmt::format("a package holds at most {} items", kMaxItems));
  for (std::size_t n = 0; n < items.size(); ++n) {
    const auto& i = items[n];
    if (i.object_id.empty() || !is_printable_text(i.object_id, 100)) {
      return bad(fmt::format("item {} names no object", n + 1));
    }
    for (const std::string* s :
         {&i.witness, &i.folder, &i.delivered_object_id, &i.redaction_reviewed_by}) {
      if (!is_printable_text(*s, 200))
        return bad(fmt::format("item {} has a malformed field", n + 1));
    }
    if (!is_printable_text(i.description, 2000) || !is_printable_text(i.gate.reason, 2000)) {
      return bad(fmt::format("item {}'s description or reason is too long", n + 1));
    }
  }
  return Status::ok();
}

}  // namespace

std::string disclosure_domain(const std::string& organisation_id) {
  return "disclosure-" + organisation_id;
}

struct PackageStore::Impl {
  hub::Hub& hub;
  Database db;

  Status sync() {
    return hub::follow_log(db, hub, [this](const custody::Event& e) { return apply(e); });
  }

  Status apply(const custody::Event& e) {
    if (e.action != "put" || !e.details.is_object() ||
        e.details.value("record", "") != std::string(kRecordKind)) {
      return Status::ok();
    }
    auto record = hub::read_record(hub, e.object, kMaxRecordBytes);
    if (!record.is_ok() && record.status().code() == Code::kErased) return Status::ok();
    EVHUB_RETURN_IF_ERROR(record.status());
    const Package p = package_from(*record);
    EVHUB_ASSIGN_OR_RETURN(
        Statement up,
        db.prepare("INSERT INTO packages(id, version, record_object, organisation_id, request_id, "
                   "year, number, state, updated_at, changed_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                   "?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, record_object "
                   "= excluded.record_object, state = excluded.state, updated_at = "
                   "excluded.updated_at, changed_seq = excluded.changed_seq"));
    up.bind(1, p.id).bind(2, std::int64_t{p.version}).bind(3, e.object).bind(4, p.organisation_id);
    up.bind(5, p.request_id).bind(6, std::int64_t{p.year}).bind(7, std::int64_t{p.number});
    up.bind(8, p.state).bind(9, p.updated_at).bind(10, static_cast<std::int64_t>(e.seq));
    EVHUB_RETURN_IF_ERROR(up.run());
    EVHUB_ASSIGN_OR_RETURN(Statement version,
                           db.prepare("INSERT OR REPLACE INTO package_versions(id, version, "
                                      "record_object) VALUES (?, ?, ?)"));
    version.bind(1, p.id).bind(2, std::int64_t{p.version}).bind(3, e.object);
    EVHUB_RETURN_IF_ERROR(version.run());
    EVHUB_ASSIGN_OR_RETURN(Statement clear,
                           db.prepare("DELETE FROM package_items WHERE package_id = ?"));
    clear.bind(1, p.id);
    EVHUB_RETURN_IF_ERROR(clear.run());
    for (std::size_t n = 0; n < p.items.size(); ++n) {
      EVHUB_ASSIGN_OR_RETURN(
          Statement item, db.prepare("INSERT INTO package_items(package_id, position, object_id, "
                                     "witness, consent_version) VALUES (?, ?, ?, ?, ?)"));
      item.bind(1, p.id).bind(2, static_cast<std::int64_t>(n)).bind(3, p.items[n].object_id);
      item.bind(4, p.items[n].witness).bind(5, std::int64_t{p.items[n].gate.consent_version});
      EVHUB_RETURN_IF_ERROR(item.run());
    }
    return Status::ok();
  }

  Status store(Package& p) {
    p.updated_at = now_rfc3339();
    std::string text = package_json(p).dump();
    if (text.size() > kMaxRecordBytes) {
      crypto::wipe(text.data(), text.size());
      return bad("the package is too large as a record");
    }
    auto stored = hub.put_data("package record", text, disclosure_domain(p.organisation_id),
                               hub::Intake::record_of(p.organisation_id, kRecordKind));
    crypto::wipe(text.data(), text.size());
    EVHUB_RETURN_IF_ERROR(stored.status());
    return sync();
  }

  Result<std::optional<Package>> load(const std::string& record_object) {
    auto record = hub::read_record(hub, record_object, kMaxRecordBytes);
    if (!record.is_ok()) {
      if (record.status().code() == Code::kErased) return std::optional<Package>();
      return record.status();
    }
    return std::optional<Package>(package_from(*record));
  }

  Result<std::optional<std::string>> newest_record(const std::string& id) {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT record_object FROM packages WHERE id = ?"));
    st.bind(1, id);
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.text(0));
  }

  Result<int> next_number(int year) {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st, db.prepare("SELECT COALESCE(MAX(number), 0) FROM packages WHERE year = ?"));
    st.bind(1, std::int64_t{year});
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    return row ? static_cast<int>(st.integer(0)) + 1 : 1;
  }

  // Loads the newest version, checks it is `version` and in one of `from`, lets `change` edit
  // it (refusing with a status), and stores the next version.
  Result<Package> change(const std::string& id, int version, const std::string& by,
                         std::initializer_list<const char*> from,
                         const std::function<Status(Package&)>& edit) {
    EVHUB_RETURN_IF_ERROR(check_user(by));
    EVHUB_RETURN_IF_ERROR(sync());
    EVHUB_ASSIGN_OR_RETURN(auto record, newest_record(id));
    if (!record) return Status(Code::kNotFound, "there is no package " + id);
    EVHUB_ASSIGN_OR_RETURN(auto current, load(*record));
    if (!current) return Status(Code::kErased, "the organisation's packages were erased");
    if (current->version != version) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("package {} was changed since version {} (it is at version {}); "
                                "reload it and apply your change again",
                                id, version, current->version));
    }
    if (std::none_of(from.begin(), from.end(),
                     [&](const char* s) { return current->state == s; })) {
      return Status(Code::kFailedPrecondition,
                    fmt::format("package {} is {}: this cannot be done now", id, current->state));
    }
    Package next = std::move(*current);
    EVHUB_RETURN_IF_ERROR(edit(next));
    next.version += 1;
    next.updated_by = by;
    EVHUB_RETURN_IF_ERROR(store(next));
    return next;
  }
};

PackageStore::PackageStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PackageStore::~PackageStore() = default;

Result<std::unique_ptr<PackageStore>> PackageStore::open(hub::Hub& hub) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(hub.layout().packages(), true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, view_migrations(), "packages.db"));
  auto store = std::unique_ptr<PackageStore>(
      new PackageStore(std::unique_ptr<Impl>(new Impl{hub, std::move(db)})));
  EVHUB_RETURN_IF_ERROR(store->sync());
  return store;
}

Status PackageStore::sync() {
  return impl_->sync();
}

Result<Package> PackageStore::create(const std::string& organisation_id,
                                     const std::string& request_id, const std::string& by) {
  EVHUB_RETURN_IF_ERROR(check_user(by));
  if (organisation_id.empty() || !is_printable_text(organisation_id, 100)) {
    return bad("a package needs the organisation it belongs to");
  }
  EVHUB_RETURN_IF_ERROR(hub::check_domain_name(disclosure_domain(organisation_id)));
  if (request_id.empty() || !is_printable_text(request_id, 100)) {
    return bad("a package answers a request: name it");
  }
  EVHUB_RETURN_IF_ERROR(sync());
  Package p;
  p.id = "pk-" + random_name();
  p.version = 1;
  p.organisation_id = organisation_id;
  p.request_id = request_id;
  p.year = std::stoi(now_rfc3339().substr(0, 4));
  EVHUB_ASSIGN_OR_RETURN(p.number, impl_->next_number(p.year));
  if (p.number > 9999) return Status(Code::kFailedPrecondition, "this year has 9,999 packages");
  p.updated_by = by;
  p.editors = {by};
  EVHUB_RETURN_IF_ERROR(impl_->store(p));
  return p;
}

Result<Package> PackageStore::set_items(const std::string& id, int version,
                                        std::vector<PackageItem> items, const std::string& by) {
  EVHUB_RETURN_IF_ERROR(check_items(items));
  return impl_->change(id, version, by, {"draft", "changes-requested"}, [&](Package& p) {
    p.items = std::move(items);
    if (std::find(p.editors.begin(), p.editors.end(), by) == p.editors.end()) {
      p.editors.push_back(by);
    }
    return Status::ok();
  });
}

Result<Package> PackageStore::submit(const std::string& id, int version, const std::string& by) {
  return impl_->change(id, version, by, {"draft", "changes-requested"}, [](Package& p) {
    if (p.items.empty()) return bad("the package is empty");
    for (const auto& i : p.items) {
      if (!i.gate.allowed) {
        return Status(Code::kFailedPrecondition,
                      fmt::format("{} is blocked ({}): remove it, or renew the consent and "
                                  "check again",
                                  i.object_id, i.gate.reason));
      }
      if (!i.delivered_object_id.empty() && i.redaction_reviewed_by.empty()) {
        return Status(Code::kFailedPrecondition,
                      fmt::format("the redaction of {} has not been reviewed", i.object_id));
      }
    }
    p.state = "in-review";
    p.note.clear();
    return Status::ok();
  });
}

Result<Package> PackageStore::request_changes(const std::string& id, int version,
                                              const std::string& by, const std::string& note) {
  if (note.empty() || !is_printable_text(note, 20000)) return bad("say what must change");
  return impl_->change(id, version, by, {"in-review"}, [&](Package& p) {
    p.state = "changes-requested";
    p.note = note;
    return Status::ok();
  });
}

Result<Package> PackageStore::approve(const std::string& id, int version, const std::string& by) {
  return impl_->change(id, version, by, {"in-review"}, [&](Package& p) {
    if (std::find(p.editors.begin(), p.editors.end(), by) != p.editors.end()) {
      return Status(Code::kFailedPrecondition,
                    "a package is approved by a legal officer who did not build or change it");
    }
    p.state = "approved";
    p.approved_by = by;
    return Status::ok();
  });
}

Result<Package> PackageStore::mark_exported(const std::string& id, int version,
                                            const std::string& by) {
  return impl_->change(id, version, by, {"approved"}, [](Package& p) {
    p.state = "exported";
    return Status::ok();
  });
}

Result<std::optional<Package>> PackageStore::get(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto record, impl_->newest_record(id));
  if (!record) return std::optional<Package>();
  return impl_->load(*record);
}

Result<std::vector<Package>> PackageStore::history(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(
      auto records,
      impl_->db.texts("SELECT record_object FROM package_versions WHERE id = ? ORDER BY version",
                      id));
  std::vector<Package> out;
  for (const auto& r : records) {
    EVHUB_ASSIGN_OR_RETURN(auto p, impl_->load(r));
    if (p) out.push_back(std::move(*p));
  }
  return out;
}

Result<std::vector<Package>> PackageStore::list(const std::vector<std::string>& organisation_ids) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT id, version, organisation_id, request_id, year, "
                                           "number, state, updated_at FROM packages ORDER BY "
                                           "changed_seq DESC"));
  std::vector<Package> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    Package p;
    p.id = st.text(0);
    p.version = static_cast<int>(st.integer(1));
    p.organisation_id = st.text(2);
    if (!organisation_ids.empty() && std::find(organisation_ids.begin(), organisation_ids.end(),
                                               p.organisation_id) == organisation_ids.end()) {
      continue;
    }
    p.request_id = st.text(3);
    p.year = static_cast<int>(st.integer(4));
    p.number = static_cast<int>(st.integer(5));
    p.state = st.text(6);
    p.updated_at = st.text(7);
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

constexpr const char* kDisclosureSelect =
    "SELECT p.id, p.request_id, p.organisation_id, i.object_id, i.witness, i.consent_version, "
    "p.updated_at FROM package_items i JOIN packages p ON p.id = i.package_id WHERE "
    "p.state = 'exported' AND ";

Result<std::vector<Disclosure>> disclosure_rows(Statement& st) {
  std::vector<Disclosure> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4),
                   static_cast<int>(st.integer(5)), st.text(6)});
  }
  return out;
}

}  // namespace

Result<std::vector<Disclosure>> PackageStore::disclosures_of(const std::string& witness) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare(std::string(kDisclosureSelect) +
                                           "i.witness = ? ORDER BY p.changed_seq, i.position"));
  st.bind(1, witness);
  return disclosure_rows(st);
}

Result<std::vector<Disclosure>> PackageStore::disclosures(
    const std::vector<std::string>& organisation_ids) {
  EVHUB_RETURN_IF_ERROR(sync());
  if (organisation_ids.empty()) return std::vector<Disclosure>();
  EVHUB_ASSIGN_OR_RETURN(Statement st, impl_->db.prepare(std::string(kDisclosureSelect) +
                                                         "1 ORDER BY p.changed_seq, i.position"));
  EVHUB_ASSIGN_OR_RETURN(auto all, disclosure_rows(st));
  std::erase_if(all, [&](const Disclosure& d) {
    return std::find(organisation_ids.begin(), organisation_ids.end(), d.organisation_id) ==
           organisation_ids.end();
  });
  return all;
}

Result<std::vector<std::string>> PackageStore::requests_holding(const std::string& witness) {
  EVHUB_ASSIGN_OR_RETURN(auto items, disclosures_of(witness));
  std::vector<std::string> out;
  for (const auto& d : items) {
    if (std::find(out.begin(), out.end(), d.request_id) == out.end()) out.push_back(d.request_id);
  }
  return out;
}

}  // namespace evhub::disclosure
