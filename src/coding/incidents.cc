#include "coding/incidents.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "coding/incidents_internal.h"
#include "coding/record_io.h"
#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "hub/log_view.h"

namespace evhub::coding {

using catalog::Database;
using catalog::Statement;
using nlohmann::json;

namespace {

constexpr const char* kRecordKind = "incident";
constexpr std::int64_t kMaxRecordBytes = 8 << 20;

// incidents.db is derived data: deleting it makes the next open replay the log. `starts` and
// `ends` are the first and last day an incident's date can mean ('' if undated): what the
// timeline sorts by and date filters compare. erased_domains names every key domain shredded,
// so that evidence from an erased witness reads as erased whichever came first in the log.
// changed_seq is the custody event of the newest version: lists show the latest change first.
const std::vector<catalog::Migration>& view_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "follows the custody log", hub::kViewStateSql}, {2, "incidents", R"sql(
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  title TEXT NOT NULL,
  date_from TEXT NOT NULL,
  date_to TEXT NOT NULL,
  date_precision TEXT NOT NULL,
  starts TEXT NOT NULL,
  ends TEXT NOT NULL,
  place TEXT NOT NULL,
  facility TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  changed_seq INTEGER NOT NULL,
  removed INTEGER NOT NULL
);
CREATE INDEX incidents_by_organisation ON incidents(organisation_id, starts);
CREATE INDEX incidents_by_domain ON incidents(domain_id);
CREATE TABLE incident_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE TABLE incident_acts (
  incident_id TEXT NOT NULL,
  code_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (incident_id, code_id)
);
CREATE INDEX incident_acts_by_code ON incident_acts(code_id);
CREATE TABLE incident_evidence (
  incident_id TEXT NOT NULL,
  annotation_id TEXT NOT NULL,
  role TEXT NOT NULL,
  domain TEXT NOT NULL,
  object_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (incident_id, annotation_id)
);
CREATE INDEX incident_evidence_by_annotation ON incident_evidence(annotation_id);
CREATE TABLE erased_domains (
  domain TEXT PRIMARY KEY
);
)sql"}};
  return kMigrations;
}

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

// Annotations read to check or draft from hold plaintext testimony: wiped once used.
void forget(Annotation& a) {
  for (std::string* s : {&a.passage, &a.memo, &a.facets.victims, &a.facets.perpetrators}) {
    crypto::wipe(s->data(), s->size());
    s->clear();
  }
}

Status check_organisation(const std::string& organisation_id) {
  if (organisation_id.empty() || !is_printable_text(organisation_id, 100)) {
    return bad("an incident needs the organisation it belongs to");
  }
  return hub::check_domain_name(incidents_domain(organisation_id));
}

const Evidence* find_evidence(const Incident* in, const std::string& annotation_id) {
  if (in == nullptr) return nullptr;
  for (const auto& e : in->evidence) {
    if (e.annotation_id == annotation_id) return &e;
  }
  return nullptr;
}

bool has_act(const Incident* in, const CodeRef& act) {
  return in != nullptr && std::any_of(in->acts.begin(), in->acts.end(), [&](const CodeRef& c) {
           return c.id == act.id && c.revision == act.revision;
         });
}

// A list as one parameter (a JSON array read with json_each): the SQL text, and so the
// prepared statement kept for it, stays the same however many organisations or codes there are.
std::string json_list(const std::vector<std::string>& values) {
  return json(values).dump();
}

constexpr const char* kTimelineOrder = " ORDER BY starts = '', starts, ends, title, id";

}  // namespace

struct IncidentStore::Impl {
  hub::Hub& hub;
  AnnotationStore& annotations;
  Database db;

  Result<json> read_record(const std::string& id) {
    return internal::read_record(hub, id, static_cast<std::size_t>(kMaxRecordBytes));
  }

  Status store(Incident& in) {
    in.updated_at = now_rfc3339();
    if (in.version == 1) in.created_at = in.updated_at;
    for (auto& e : in.evidence) e.erased = false;  // said when read, never stored
    std::string text = internal::incident_json(in).dump();
    if (static_cast<std::int64_t>(text.size()) > kMaxRecordBytes) {
      crypto::wipe(text.data(), text.size());
      return bad(fmt::format("the incident is larger than {} bytes as a record", kMaxRecordBytes));
    }
    auto stored = hub.put_data("incident record", text, incidents_domain(in.organisation_id),
                               hub::Intake::record_of(in.organisation_id, kRecordKind));
    crypto::wipe(text.data(), text.size());
    EVHUB_RETURN_IF_ERROR(stored.status());
    EVHUB_RETURN_IF_ERROR(sync());
    return flag_erased(in.evidence);
  }

  // The newest version in the view: (version, record object), or nothing.
  Result<std::optional<std::pair<int, std::string>>> newest(const std::string& id) {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT version, record_object FROM incidents WHERE id = ?"));
    st.bind(1, id);
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<std::pair<int, std::string>>();
    return std::optional<std::pair<int, std::string>>(
        std::make_pair(static_cast<int>(st.integer(0)), st.text(1)));
  }

  // A version, decrypted, evidence flagged (nullopt if its domain was erased).
  Result<std::optional<Incident>> load(const std::string& record_object) {
    auto record = read_record(record_object);
    if (!record.is_ok()) {
      if (record.status().code() == Code::kErased) return std::optional<Incident>();
      return record.status();
    }
    Incident in = internal::incident_from(*record);
    EVHUB_RETURN_IF_ERROR(flag_erased(in.evidence));
    return std::optional<Incident>(std::move(in));
  }

  Result<bool> domain_erased(const std::string& domain) {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT 1 FROM erased_domains WHERE domain = ?"));
    st.bind(1, domain);
    return st.step();
  }

  Status flag_erased(std::vector<Evidence>& evidence) {
    for (auto& e : evidence) {
      EVHUB_ASSIGN_OR_RETURN(e.erased, domain_erased(e.domain));
    }
    return Status::ok();
  }

  // Acts new to this version must be codes of the framework at the revision given, and not
  // retired; those the previous version has stay as they were.
  Status check_acts(const Incident& in, const Incident* previous, const Framework& framework) {
    for (const auto& act : in.acts) {
      if (has_act(previous, act)) continue;
      if (framework.find(act.id) == nullptr) {
        return bad("act " + act.id + ": the coding framework has no such code");
      }
      if (!framework.code_at(act.id, act.revision).is_ok()) {
        return bad(fmt::format("act {}: the code has no revision {} (it is at revision {})", act.id,
                               act.revision, framework.find(act.id)->revision));
      }
      if (framework.find(act.id)->retired) {
        return bad("act " + act.id + ": the code is retired; choose the code that replaced it");
      }
    }
    return Status::ok();
  }

  // Evidence new to this version must be an annotation that exists, is not removed and is of
  // the incident's organisation; its domain and object are taken from it. Evidence the
  // previous version cites keeps what was recorded then, even if since removed or erased.
  Status check_evidence(Incident& in, const Incident* previous) {
    for (auto& e : in.evidence) {
      if (const Evidence* before = find_evidence(previous, e.annotation_id)) {
        e.domain = before->domain;
        e.object_id = before->object_id;
        continue;
      }
      EVHUB_ASSIGN_OR_RETURN(auto a, annotations.get(e.annotation_id));
      if (!a) {
        return Status(Code::kNotFound, "there is no annotation " + e.annotation_id +
                                           " to cite (or its material was erased)");
      }
      forget(*a);
      if (a->removed) {
        return Status(Code::kFailedPrecondition,
                      "annotation " + e.annotation_id + " was removed; cite a current one");
      }
      if (a->organisation_id != in.organisation_id) {
        return bad("annotation " + e.annotation_id + " is not " + in.organisation_id +
                   "'s: an incident cites its own organisation's material");
      }
      e.domain = a->domain;
      e.object_id = a->target.object_id;
    }
    return Status::ok();
  }

  // Rows of the incidents table chosen by `where` (with `params`) in `order`, with their acts
  // and evidence. The rows are read to the end before the other queries run.
  Result<std::vector<ListedIncident>> listed(const std::string& where,
                                             const std::vector<std::string>& params,
                                             const std::string& order) {
    std::vector<ListedIncident> out;
    {
      EVHUB_ASSIGN_OR_RETURN(
          Statement st,
          db.prepare("SELECT id, version, organisation_id, title, date_from, date_to, "
                     "date_precision, place, facility, updated_at, removed FROM incidents WHERE " +
                     where + order));
      int n = 0;
      for (const auto& p : params) st.bind(++n, p);
      for (;;) {
        EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
        if (!row) break;
        ListedIncident l;
        l.id = st.text(0);
        l.version = static_cast<int>(st.integer(1));
        l.organisation_id = st.text(2);
        l.title = st.text(3);
        l.date.from = st.text(4);
        l.date.to = st.text(5);
        l.date.precision = st.text(6);
        l.place = st.text(7);
        l.facility = st.text(8);
        l.updated_at = st.text(9);
        l.removed = st.integer(10) != 0;
        out.push_back(std::move(l));
      }
    }
    for (auto& l : out) {
      {
        EVHUB_ASSIGN_OR_RETURN(Statement st,
                               db.prepare("SELECT code_id, revision FROM incident_acts WHERE "
                                          "incident_id = ? ORDER BY position"));
        st.bind(1, l.id);
        for (;;) {
          EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
          if (!row) break;
          l.acts.push_back({st.text(0), static_cast<int>(st.integer(1))});
        }
      }
      EVHUB_ASSIGN_OR_RETURN(
          Statement st,
          db.prepare("SELECT e.annotation_id, e.role, e.domain, e.object_id, EXISTS (SELECT 1 "
                     "FROM erased_domains d WHERE d.domain = e.domain) FROM incident_evidence e "
                     "WHERE e.incident_id = ? ORDER BY e.position"));
      st.bind(1, l.id);
      for (;;) {
        EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
        if (!row) break;
        Evidence e;
        e.annotation_id = st.text(0);
        e.role = st.text(1);
        e.domain = st.text(2);
        e.object_id = st.text(3);
        e.erased = st.integer(4) != 0;
        l.evidence.push_back(std::move(e));
      }
    }
    return out;
  }

  // The WHERE clause and its parameters for list() and timeline().
  Result<std::pair<std::string, std::vector<std::string>>> filtered(
      const std::vector<std::string>& organisation_ids, const IncidentFilter& filter,
      const Framework& framework) {
    std::string where = filter.include_removed ? "1 = 1" : "removed = 0";
    std::vector<std::string> params;
    if (!organisation_ids.empty()) {
      where += " AND organisation_id IN (SELECT value FROM json_each(?))";
      params.push_back(json_list(organisation_ids));
    }
    if (!filter.place.empty()) {
      where += " AND place = ?";
      params.push_back(filter.place);
    }
    if (!filter.facility.empty()) {
      where += " AND facility = ?";
      params.push_back(filter.facility);
    }
    for (const auto* d : {&filter.from, &filter.to}) {
      if (!d->empty() && internal::date_granularity(*d) < 0) {
        return bad("filter date \"" + *d + "\" is not a date written YYYY-MM-DD, YYYY-MM or YYYY");
      }
    }
    if (!filter.from.empty()) {
      where += " AND starts != '' AND ends >= ?";
      params.push_back(internal::first_day(filter.from));
    }
    if (!filter.to.empty()) {
      where += " AND starts != '' AND starts <= ?";
      params.push_back(internal::last_day(filter.to));
    }
    if (!filter.act.empty()) {
      if (framework.find(filter.act) == nullptr) {
        return bad("there is no code " + filter.act + " in the coding framework");
      }
      // The code and every code under it, wherever it has been moved since.
      std::vector<std::string> codes;
      for (const auto& c : framework.codes()) {
        const auto path = framework.path(c.id);
        if (std::any_of(path.begin(), path.end(),
                        [&](const FrameworkCode* p) { return p->id == filter.act; })) {
          codes.push_back(c.id);
        }
      }
      where +=
          " AND EXISTS (SELECT 1 FROM incident_acts a WHERE a.incident_id = incidents.id AND "
          "a.code_id IN (SELECT value FROM json_each(?)))";
      params.push_back(json_list(codes));
    }
    return std::make_pair(std::move(where), std::move(params));
  }

  Status sync();
  Status apply(const custody::Event& e);
  Status apply_record(const custody::Event& e);
  Status apply_shred(const custody::Event& e);
};

Status IncidentStore::Impl::sync() {
  return hub::follow_log(db, hub, [this](const custody::Event& e) { return apply(e); });
}

Status IncidentStore::Impl::apply(const custody::Event& e) {
  if (e.action == "put" && e.details.is_object() &&
      e.details.value("record", "") == std::string(kRecordKind)) {
    return apply_record(e);
  }
  if (e.action == "shred" && e.details.is_object()) return apply_shred(e);
  return Status::ok();
}

Status IncidentStore::Impl::apply_record(const custody::Event& e) {
  auto record = read_record(e.object);
  // Erased later in the log: the shred that follows removes whatever this would have added.
  if (!record.is_ok() && record.status().code() == Code::kErased) return Status::ok();
  EVHUB_RETURN_IF_ERROR(record.status());
  const Incident in = internal::incident_from(*record);
  const auto [starts, ends] = internal::date_span(in.date);
  EVHUB_ASSIGN_OR_RETURN(
      Statement up,
      db.prepare("INSERT INTO incidents(id, version, record_object, domain_id, organisation_id, "
                 "title, date_from, date_to, date_precision, starts, ends, place, facility, "
                 "updated_at, changed_seq, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?) "
                 "ON CONFLICT(id) DO UPDATE SET version = excluded.version, record_object = "
                 "excluded.record_object, title = excluded.title, date_from = excluded.date_from, "
                 "date_to = excluded.date_to, date_precision = excluded.date_precision, starts = "
                 "excluded.starts, ends = excluded.ends, place = excluded.place, facility = "
                 "excluded.facility, updated_at = excluded.updated_at, changed_seq = "
                 "excluded.changed_seq, removed = excluded.removed"));
  up.bind(1, in.id).bind(2, std::int64_t{in.version}).bind(3, e.object);
  up.bind(4, e.details.value("domain_id", "")).bind(5, in.organisation_id).bind(6, in.title);
  up.bind(7, in.date.from).bind(8, in.date.to).bind(9, in.date.precision);
  up.bind(10, starts).bind(11, ends).bind(12, in.place).bind(13, in.facility);
  up.bind(14, in.updated_at).bind(15, e.seq).bind(16, std::int64_t{in.removed ? 1 : 0});
  EVHUB_RETURN_IF_ERROR(up.run());
  EVHUB_ASSIGN_OR_RETURN(Statement version,
                         db.prepare("INSERT OR REPLACE INTO incident_versions(id, version, "
                                    "record_object) VALUES (?, ?, ?)"));
  version.bind(1, in.id).bind(2, std::int64_t{in.version}).bind(3, e.object);
  EVHUB_RETURN_IF_ERROR(version.run());
  for (const char* sql : {"DELETE FROM incident_acts WHERE incident_id = ?",
                          "DELETE FROM incident_evidence WHERE incident_id = ?"}) {
    EVHUB_ASSIGN_OR_RETURN(Statement clear, db.prepare(sql));
    clear.bind(1, in.id);
    EVHUB_RETURN_IF_ERROR(clear.run());
  }
  // A removed incident keeps its acts and evidence here: lists that include removed incidents
  // show them; the others leave removed incidents out.
  std::int64_t position = 0;
  for (const auto& c : in.acts) {
    EVHUB_ASSIGN_OR_RETURN(Statement act,
                           db.prepare("INSERT OR REPLACE INTO incident_acts(incident_id, code_id, "
                                      "revision, position) VALUES (?, ?, ?, ?)"));
    act.bind(1, in.id).bind(2, c.id).bind(3, std::int64_t{c.revision}).bind(4, position++);
    EVHUB_RETURN_IF_ERROR(act.run());
  }
  position = 0;
  for (const auto& ev : in.evidence) {
    EVHUB_ASSIGN_OR_RETURN(
        Statement cite,
        db.prepare("INSERT OR REPLACE INTO incident_evidence(incident_id, annotation_id, role, "
                   "domain, object_id, position) VALUES (?, ?, ?, ?, ?, ?)"));
    cite.bind(1, in.id).bind(2, ev.annotation_id).bind(3, ev.role).bind(4, ev.domain);
    cite.bind(5, ev.object_id).bind(6, position++);
    EVHUB_RETURN_IF_ERROR(cite.run());
  }
  return Status::ok();
}

Status IncidentStore::Impl::apply_shred(const custody::Event& e) {
  // A witness's domain: evidence from it reads as erased from now on.
  EVHUB_ASSIGN_OR_RETURN(Statement erased,
                         db.prepare("INSERT OR IGNORE INTO erased_domains(domain) VALUES (?)"));
  erased.bind(1, e.details.value("domain", ""));
  EVHUB_RETURN_IF_ERROR(erased.run());
  // An organisation's incidents domain: its incidents are gone.
  const std::string domain_id = e.details.value("domain_id", "");
  for (const char* sql :
       {"DELETE FROM incident_acts WHERE incident_id IN (SELECT id FROM incidents WHERE "
        "domain_id = ?)",
        "DELETE FROM incident_evidence WHERE incident_id IN (SELECT id FROM incidents WHERE "
        "domain_id = ?)",
        "DELETE FROM incident_versions WHERE id IN (SELECT id FROM incidents WHERE domain_id = ?)",
        "DELETE FROM incidents WHERE domain_id = ?"}) {
    EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare(sql));
    st.bind(1, domain_id);
    EVHUB_RETURN_IF_ERROR(st.run());
  }
  return Status::ok();
}

IncidentStore::IncidentStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IncidentStore::~IncidentStore() = default;

Result<std::unique_ptr<IncidentStore>> IncidentStore::open(hub::Hub& hub,
                                                           AnnotationStore& annotations) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(hub.layout().incidents(), true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, view_migrations(), "incidents.db"));
  auto store = std::unique_ptr<IncidentStore>(
      new IncidentStore(std::unique_ptr<Impl>(new Impl{hub, annotations, std::move(db)})));
  EVHUB_RETURN_IF_ERROR(store->sync());
  return store;
}

Status IncidentStore::sync() {
  return impl_->sync();
}

Result<Incident> IncidentStore::add(Incident incident, const Framework& framework) {
  EVHUB_RETURN_IF_ERROR(internal::check_content(incident));
  EVHUB_RETURN_IF_ERROR(check_organisation(incident.organisation_id));
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_RETURN_IF_ERROR(impl_->check_acts(incident, nullptr, framework));
  EVHUB_RETURN_IF_ERROR(impl_->check_evidence(incident, nullptr));
  incident.id = "in-" + random_name();
  incident.version = 1;
  incident.removed = false;
  incident.created_by = incident.updated_by;
  EVHUB_RETURN_IF_ERROR(impl_->store(incident));
  return incident;
}

Result<Incident> IncidentStore::update(Incident incident, const Framework& framework) {
  EVHUB_RETURN_IF_ERROR(internal::check_content(incident));
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto newest, impl_->newest(incident.id));
  if (!newest) return Status(Code::kNotFound, "there is no incident " + incident.id);
  if (newest->first != incident.version) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("incident {} was changed since version {} (it is at version {}); "
                              "reload it and apply your change again",
                              incident.id, incident.version, newest->first));
  }
  EVHUB_ASSIGN_OR_RETURN(auto current, impl_->load(newest->second));
  if (!current) return Status(Code::kErased, "the organisation's incidents were erased");
  if (current->removed) return Status(Code::kFailedPrecondition, "the incident was removed");
  if (incident.organisation_id.empty()) incident.organisation_id = current->organisation_id;
  if (incident.organisation_id != current->organisation_id) {
    return bad("an incident stays in its organisation");
  }
  EVHUB_RETURN_IF_ERROR(impl_->check_acts(incident, &*current, framework));
  EVHUB_RETURN_IF_ERROR(impl_->check_evidence(incident, &*current));
  incident.version = current->version + 1;
  incident.created_by = current->created_by;
  incident.created_at = current->created_at;
  incident.removed = false;
  EVHUB_RETURN_IF_ERROR(impl_->store(incident));
  return incident;
}

Result<Incident> IncidentStore::remove(const std::string& id, int version, const std::string& by) {
  if (by.empty() || !is_printable_text(by, 200)) return bad("say who removes the incident");
  EVHUB_ASSIGN_OR_RETURN(auto current, get(id));
  if (!current) return Status(Code::kNotFound, "there is no incident " + id);
  if (current->version != version) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("incident {} was changed since version {} (it is at version {}); "
                              "reload it",
                              id, version, current->version));
  }
  if (current->removed) return Status(Code::kFailedPrecondition, "the incident was removed");
  Incident in = std::move(*current);
  in.version += 1;
  in.removed = true;
  in.updated_by = by;
  EVHUB_RETURN_IF_ERROR(impl_->store(in));
  return in;
}

Result<std::optional<Incident>> IncidentStore::get(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto newest, impl_->newest(id));
  if (!newest) return std::optional<Incident>();
  return impl_->load(newest->second);
}

Result<std::vector<Incident>> IncidentStore::history(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(
      auto objects,
      impl_->db.texts("SELECT record_object FROM incident_versions WHERE id = ? ORDER BY version",
                      id));
  std::vector<Incident> out;
  for (const auto& o : objects) {
    EVHUB_ASSIGN_OR_RETURN(auto in, impl_->load(o));
    if (in) out.push_back(std::move(*in));
  }
  return out;
}

Result<std::vector<ListedIncident>> IncidentStore::list(
    const std::vector<std::string>& organisation_ids, const IncidentFilter& filter,
    const Framework& framework) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto where, impl_->filtered(organisation_ids, filter, framework));
  return impl_->listed(where.first, where.second, " ORDER BY changed_seq DESC");
}

Result<std::vector<TimelineEntry>> IncidentStore::timeline(
    const std::vector<std::string>& organisation_ids, const IncidentFilter& filter,
    const Framework& framework) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto where, impl_->filtered(organisation_ids, filter, framework));
  EVHUB_ASSIGN_OR_RETURN(auto rows, impl_->listed(where.first, where.second, kTimelineOrder));
  std::vector<TimelineEntry> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    TimelineEntry entry;
    entry.placement = internal::placement_of(row.date);
    std::tie(entry.placed_at, entry.ends_at) = internal::date_span(row.date);
    entry.incident = std::move(row);
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::vector<ListedIncident>> IncidentStore::of_annotation(const std::string& annotation_id) {
  EVHUB_RETURN_IF_ERROR(sync());
  return impl_->listed(
      "removed = 0 AND id IN (SELECT incident_id FROM incident_evidence WHERE annotation_id = ?)",
      {annotation_id}, kTimelineOrder);
}

Result<std::vector<CitedEvidence>> IncidentStore::cited(const Incident& incident) {
  EVHUB_RETURN_IF_ERROR(sync());
  std::vector<CitedEvidence> out;
  for (const auto& e : incident.evidence) {
    CitedEvidence c;
    c.evidence = e;
    EVHUB_ASSIGN_OR_RETURN(c.evidence.erased, impl_->domain_erased(e.domain));
    if (!c.evidence.erased) {
      EVHUB_ASSIGN_OR_RETURN(c.annotation, impl_->annotations.get(e.annotation_id));
    }
    // Annotations are never deleted, only erased with their domain: one the annotation store
    // no longer knows was erased (after this view last looked).
    if (!c.annotation) {
      c.evidence.erased = true;
      c.state = EvidenceState::kErased;
    } else if (c.annotation->removed) {
      c.state = EvidenceState::kRemoved;
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<Incident> IncidentStore::draft_from_annotations(
    const std::vector<std::string>& annotation_ids) {
  if (annotation_ids.empty()) return bad("choose the annotations to draft an incident from");
  if (annotation_ids.size() > kMaxIncidentEvidence) {
    return bad(fmt::format("at most {} passages an incident", kMaxIncidentEvidence));
  }
  std::vector<Annotation> all;
  for (const auto& id : annotation_ids) {
    if (std::any_of(all.begin(), all.end(), [&](const Annotation& a) { return a.id == id; })) {
      continue;  // chosen twice: cited once
    }
    EVHUB_ASSIGN_OR_RETURN(auto a, impl_->annotations.get(id));
    if (!a) {
      return Status(Code::kNotFound,
                    "there is no annotation " + id + " (or its material was erased)");
    }
    forget(*a);
    if (a->removed) {
      return Status(Code::kFailedPrecondition, "annotation " + id + " was removed");
    }
    if (!all.empty() && a->organisation_id != all.front().organisation_id) {
      return bad(
          "the annotations belong to different organisations; an incident is one "
          "organisation's");
    }
    all.push_back(std::move(*a));
  }
  return internal::draft_from(all);
}

}  // namespace evhub::coding
