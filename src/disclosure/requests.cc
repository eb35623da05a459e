#include "disclosure/requests.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "collection/consent.h"
#include "core/clock.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "disclosure/requests_internal.h"
#include "hub/log_view.h"
#include "hub/record_io.h"

namespace evhub::disclosure {

using catalog::Database;
using catalog::Statement;
using nlohmann::json;

namespace {

// The first version of a request, which gives it its number, and every later one.
constexpr const char* kOpenedKind = "request";
constexpr const char* kUpdateKind = "request-update";
constexpr const char* kLetterKind = "request-correspondence";
constexpr std::size_t kMaxRecordBytes = 8 << 20;

// requests.db is derived data: deleting it makes the next open replay the log.
// request_numbers holds every request the log ever opened, by the custody event that opened
// it, erased ones included: numbers are counted from the log alone (the event's year and
// order), so an organisation's erased requests never renumber another's. requests holds the
// newest version of each request still readable; assignees is a JSON array of user ids;
// changed_seq is the custody event of the newest version (lists show the latest change first).
const std::vector<catalog::Migration>& view_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "follows the custody log", hub::kViewStateSql}, {2, "requests", R"sql(
CREATE TABLE request_numbers (
  seq INTEGER PRIMARY KEY,
  year TEXT NOT NULL,
  number INTEGER NOT NULL,
  UNIQUE (year, number)
);
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  requester_kind TEXT NOT NULL,
  body TEXT NOT NULL,
  reference TEXT NOT NULL,
  received_on TEXT NOT NULL,
  deadline TEXT NOT NULL,
  status TEXT NOT NULL,
  assignees TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  changed_seq INTEGER NOT NULL
);
CREATE INDEX requests_by_organisation ON requests(organisation_id, changed_seq);
CREATE INDEX requests_by_deadline ON requests(deadline);
CREATE TABLE request_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL UNIQUE,
  domain_id TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
)sql"}};
  return kMigrations;
}

Status bad(const std::string& what) {
  return Status(Code::kInvalidArgument, what);
}

Status stale(const std::string& id, int seen, int newest) {
  return Status(Code::kFailedPrecondition,
                fmt::format("request {} was changed since version {} (it is at version {}); "
                            "reload it and apply your change again",
                            id, seen, newest));
}

Status check_organisation(const std::string& organisation_id) {
  if (organisation_id.empty() || !is_printable_text(organisation_id, 100)) {
    return bad("a request needs the organisation answering it");
  }
  return hub::check_domain_name(requests_domain(organisation_id));
}

// Violation types new to this version must be codes of the framework; those the previous
// version has stay.
Status check_violation_types(const Request& r, const Request* previous,
                             const coding::Framework& framework) {
  for (const auto& code : r.scope.violation_types) {
    if (previous != nullptr && std::count(previous->scope.violation_types.begin(),
                                          previous->scope.violation_types.end(), code) > 0) {
      continue;
    }
    if (framework.find(code) == nullptr) {
      return bad("violation type " + code + ": the coding framework has no such code");
    }
  }
  return Status::ok();
}

void wipe(std::string& text) {
  crypto::wipe(text.data(), text.size());
  text.clear();
}

constexpr const char* kListedColumns =
    "id, version, organisation_id, requester_kind, body, reference, received_on, deadline, "
    "status, assignees, updated_at";

ListedRequest listed_from(const Statement& st) {
  ListedRequest l;
  l.id = st.text(0);
  l.version = static_cast<int>(st.integer(1));
  l.organisation_id = st.text(2);
  l.requester_kind = st.text(3);
  l.body = st.text(4);
  l.reference = st.text(5);
  l.received_on = st.text(6);
  l.deadline = st.text(7);
  l.status = st.text(8);
  const json assignees = json::parse(st.text(9), nullptr, false);
  if (assignees.is_array()) {
    for (const auto& a : assignees) {
      if (a.is_string()) l.assignees.push_back(a.get<std::string>());
    }
  }
  l.updated_at = st.text(10);
  return l;
}

}  // namespace

struct RequestRegister::Impl {
  hub::Hub& hub;
  Database db;

  Result<json> read_record(const std::string& object_id) {
    return hub::read_record(hub, object_id, kMaxRecordBytes);
  }

  // Stores a version as a record of `kind`; returns the record's object id.
  Result<std::string> put(Request& r, const char* kind) {
    r.updated_at = now_rfc3339();
    if (r.version == 1) r.created_at = r.updated_at;
    std::string text = internal::request_json(r).dump();
    if (text.size() > kMaxRecordBytes) {
      wipe(text);
      return bad(fmt::format("the request is larger than {} bytes as a record", kMaxRecordBytes));
    }
    auto stored = hub.put_data("request record", text, requests_domain(r.organisation_id),
                               hub::Intake::record_of(r.organisation_id, kind));
    wipe(text);
    EVHUB_RETURN_IF_ERROR(stored.status());
    EVHUB_RETURN_IF_ERROR(sync());
    return stored->id;
  }

  // The request a record object is a version of (empty if the view does not know it).
  Result<std::string> id_of_record(const std::string& record_object) {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT id FROM request_versions WHERE record_object = ?"));
    st.bind(1, record_object);
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    return row ? st.text(0) : std::string();
  }

  // The newest version in the view: (version, record object), or nothing.
  Result<std::optional<std::pair<int, std::string>>> newest(const std::string& id) {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare("SELECT version, record_object FROM requests WHERE id = ?"));
    st.bind(1, id);
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<std::pair<int, std::string>>();
    return std::optional<std::pair<int, std::string>>(
        std::make_pair(static_cast<int>(st.integer(0)), st.text(1)));
  }

  // A version of request `id`, decrypted (nullopt if its domain was erased). The first
  // version's record does not hold the id (it is numbered from the log): the view gives it.
  Result<std::optional<Request>> load(const std::string& id, const std::string& record_object) {
    auto record = read_record(record_object);
    if (!record.is_ok()) {
      if (record.status().code() == Code::kErased) return std::optional<Request>();
      return record.status();
    }
    Request r = internal::request_from(*record);
    r.id = id;
    return std::optional<Request>(std::move(r));
  }

  // Rows of the requests table chosen by `where` (with `params`) in `order`.
  Result<std::vector<ListedRequest>> listed(const std::string& where,
                                            const std::vector<std::string>& params,
                                            const std::string& order) {
    EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare(std::string("SELECT ") + kListedColumns +
                                                    " FROM requests WHERE " + where + order));
    int n = 0;
    for (const auto& p : params) st.bind(++n, p);
    std::vector<ListedRequest> out;
    for (;;) {
      EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      out.push_back(listed_from(st));
    }
    return out;
  }

  Status sync() {
    return hub::follow_log(db, hub, [this](const custody::Event& e) { return apply(e); });
  }
  Status apply(const custody::Event& e);
  Result<std::string> number(const custody::Event& e);
  Status apply_version(const custody::Event& e, const std::string& id);
  Status apply_shred(const custody::Event& e);
};

Status RequestRegister::Impl::apply(const custody::Event& e) {
  if (e.action == "shred" && e.details.is_object()) return apply_shred(e);
  if (e.action != "put" || !e.details.is_object()) return Status::ok();
  const std::string kind = e.details.value("record", "");
  if (kind == kOpenedKind) {
    // Numbered whether or not the record can still be read (its domain may be erased later).
    EVHUB_ASSIGN_OR_RETURN(std::string id, number(e));
    return apply_version(e, id);
  }
  if (kind == kUpdateKind) return apply_version(e, "");
  return Status::ok();
}

// "RQ-2026-0007": the year of the event that opened the request (UTC), and one more than the
// requests opened before it that year.
Result<std::string> RequestRegister::Impl::number(const custody::Event& e) {
  const std::string year = e.time.substr(0, 4);
  EVHUB_ASSIGN_OR_RETURN(Statement next,
                         db.prepare("SELECT COALESCE(MAX(number), 0) + 1 FROM request_numbers "
                                    "WHERE year = ?"));
  next.bind(1, year);
  EVHUB_ASSIGN_OR_RETURN(bool row, next.step());
  const std::int64_t n = row ? next.integer(0) : 1;
  EVHUB_ASSIGN_OR_RETURN(
      Statement add, db.prepare("INSERT INTO request_numbers(seq, year, number) VALUES (?, ?, ?)"));
  add.bind(1, e.seq).bind(2, year).bind(3, n);
  EVHUB_RETURN_IF_ERROR(add.run());
  return fmt::format("RQ-{}-{:04}", year, n);
}

// A version of a request: `id` is given for the first version (numbered from the log) and
// read from the record for the others.
Status RequestRegister::Impl::apply_version(const custody::Event& e, const std::string& id) {
  auto record = read_record(e.object);
  // Erased later in the log: the shred that follows removes whatever this would have added.
  if (!record.is_ok() && record.status().code() == Code::kErased) return Status::ok();
  EVHUB_RETURN_IF_ERROR(record.status());
  Request r = internal::request_from(*record);
  if (!id.empty()) r.id = id;
  EVHUB_ASSIGN_OR_RETURN(
      Statement up,
      db.prepare("INSERT INTO requests(id, version, record_object, domain_id, organisation_id, "
                 "requester_kind, body, reference, received_on, deadline, status, assignees, "
                 "updated_at, changed_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT(id) DO UPDATE SET version = excluded.version, record_object = "
                 "excluded.record_object, requester_kind = excluded.requester_kind, body = "
                 "excluded.body, reference = excluded.reference, received_on = "
                 "excluded.received_on, deadline = excluded.deadline, status = excluded.status, "
                 "assignees = excluded.assignees, updated_at = excluded.updated_at, "
                 "changed_seq = excluded.changed_seq"));
  const std::string domain_id = e.details.value("domain_id", "");
  up.bind(1, r.id).bind(2, std::int64_t{r.version}).bind(3, e.object).bind(4, domain_id);
  up.bind(5, r.organisation_id).bind(6, r.requester.kind).bind(7, r.requester.body);
  up.bind(8, r.reference).bind(9, r.received_on).bind(10, r.deadline).bind(11, r.status);
  up.bind(12, json(r.assignees).dump()).bind(13, r.updated_at).bind(14, e.seq);
  EVHUB_RETURN_IF_ERROR(up.run());
  EVHUB_ASSIGN_OR_RETURN(Statement version,
                         db.prepare("INSERT OR REPLACE INTO request_versions(id, version, "
                                    "record_object, domain_id) VALUES (?, ?, ?, ?)"));
  version.bind(1, r.id).bind(2, std::int64_t{r.version}).bind(3, e.object).bind(4, domain_id);
  return version.run();
}

// An organisation's requests domain: its requests are gone (their numbers stay taken).
Status RequestRegister::Impl::apply_shred(const custody::Event& e) {
  const std::string domain_id = e.details.value("domain_id", "");
  for (const char* sql : {"DELETE FROM request_versions WHERE domain_id = ?",
                          "DELETE FROM requests WHERE domain_id = ?"}) {
    EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare(sql));
    st.bind(1, domain_id);
    EVHUB_RETURN_IF_ERROR(st.run());
  }
  return Status::ok();
}

RequestRegister::RequestRegister(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RequestRegister::~RequestRegister() = default;

Result<std::unique_ptr<RequestRegister>> RequestRegister::open(hub::Hub& hub) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(hub.layout().requests(), true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, view_migrations(), "requests.db"));
  auto reg = std::unique_ptr<RequestRegister>(
      new RequestRegister(std::unique_ptr<Impl>(new Impl{hub, std::move(db)})));
  EVHUB_RETURN_IF_ERROR(reg->sync());
  return reg;
}

Status RequestRegister::sync() {
  return impl_->sync();
}

Result<Request> RequestRegister::add(Request request, const coding::Framework& framework) {
  if (request.status.empty()) request.status = "received";
  EVHUB_RETURN_IF_ERROR(internal::check_content(request));
  EVHUB_RETURN_IF_ERROR(check_organisation(request.organisation_id));
  if (request.status != "received") {
    return bad("a new request starts as received, not " + request.status);
  }
  if (!request.correspondence.empty()) {
    return bad("register the request first, then add its correspondence");
  }
  EVHUB_RETURN_IF_ERROR(check_violation_types(request, nullptr, framework));
  request.id.clear();
  request.version = 1;
  request.created_by = request.updated_by;
  EVHUB_ASSIGN_OR_RETURN(std::string record, impl_->put(request, kOpenedKind));
  EVHUB_ASSIGN_OR_RETURN(request.id, impl_->id_of_record(record));
  if (request.id.empty()) {
    return Status(Code::kIntegrity, "the request was stored but its number was not given");
  }
  return request;
}

// The newest version of `id`, which must be `version`.
Result<Request> RequestRegister::current_at(const std::string& id, int version) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto newest, impl_->newest(id));
  if (!newest) return Status(Code::kNotFound, "there is no request " + id);
  if (newest->first != version) return stale(id, version, newest->first);
  EVHUB_ASSIGN_OR_RETURN(auto current, impl_->load(id, newest->second));
  if (!current) return Status(Code::kErased, "the organisation's requests were erased");
  return std::move(*current);
}

Result<Request> RequestRegister::store_version(Request request, const Request& current) {
  if (auto problem = request_transition_problem(current.status, request.status)) {
    return Status(Code::kFailedPrecondition, *problem);
  }
  request.id = current.id;
  request.version = current.version + 1;
  request.organisation_id = current.organisation_id;
  request.created_by = current.created_by;
  request.created_at = current.created_at;
  EVHUB_RETURN_IF_ERROR(impl_->put(request, kUpdateKind).status());
  return request;
}

Result<Request> RequestRegister::update(Request request, const coding::Framework& framework) {
  EVHUB_RETURN_IF_ERROR(internal::check_content(request));
  EVHUB_ASSIGN_OR_RETURN(Request current, current_at(request.id, request.version));
  if (!request.organisation_id.empty() && request.organisation_id != current.organisation_id) {
    return bad("a request stays with the organisation that registered it");
  }
  EVHUB_RETURN_IF_ERROR(check_violation_types(request, &current, framework));
  request.correspondence = std::move(current.correspondence);
  return store_version(std::move(request), current);
}

Result<Request> RequestRegister::move(const std::string& id, int version, const std::string& to,
                                      const std::string& by) {
  if (by.empty() || !is_printable_text(by, 200)) return bad("say who moves the request");
  EVHUB_ASSIGN_OR_RETURN(Request current, current_at(id, version));
  Request next = current;
  next.status = to;
  next.updated_by = by;
  EVHUB_RETURN_IF_ERROR(internal::check_content(next));  // an unknown status, say
  return store_version(std::move(next), current);
}

Result<Request> RequestRegister::add_correspondence(const std::string& id, int version,
                                                    Correspondence letter, std::string data,
                                                    const std::string& by) {
  auto file = memory_file(std::make_shared<const std::string>(std::move(data)));
  return add_correspondence(id, version, std::move(letter), *file, by);
}

Result<Request> RequestRegister::add_correspondence(const std::string& id, int version,
                                                    Correspondence letter, ReadableFile& file,
                                                    const std::string& by) {
  if (by.empty() || !is_printable_text(by, 200)) return bad("say who adds the letter");
  EVHUB_RETURN_IF_ERROR(internal::check_correspondence(letter));
  EVHUB_ASSIGN_OR_RETURN(Request current, current_at(id, version));
  if (current.correspondence.size() >= kMaxCorrespondence) {
    return bad(fmt::format("at most {} letters a request", kMaxCorrespondence));
  }
  hub::Intake intake = hub::Intake::record_of(current.organisation_id, kLetterKind);
  intake.media_type = letter.media_type;
  EVHUB_ASSIGN_OR_RETURN(
      auto stored,
      impl_->hub.put_file(letter.label, file, requests_domain(current.organisation_id), intake));
  for (const auto& c : current.correspondence) {
    if (c.object_id == stored.id) {
      return Status(Code::kAlreadyExists, "this letter is already listed on the request, as \"" +
                                              c.label + "\" of " + c.on);
    }
  }
  letter.object_id = stored.id;
  letter.added_by = by;
  letter.added_at = now_rfc3339();
  Request next = current;
  next.correspondence.push_back(std::move(letter));
  next.updated_by = by;
  return store_version(std::move(next), current);
}

Result<std::optional<Request>> RequestRegister::get(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(auto newest, impl_->newest(id));
  if (!newest) return std::optional<Request>();
  return impl_->load(id, newest->second);
}

Result<std::vector<Request>> RequestRegister::history(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(sync());
  EVHUB_ASSIGN_OR_RETURN(
      auto objects,
      impl_->db.texts("SELECT record_object FROM request_versions WHERE id = ? ORDER BY version",
                      id));
  std::vector<Request> out;
  for (const auto& o : objects) {
    EVHUB_ASSIGN_OR_RETURN(auto r, impl_->load(id, o));
    if (r) out.push_back(std::move(*r));
  }
  return out;
}

Result<std::vector<ListedRequest>> RequestRegister::list(
    const std::vector<std::string>& organisation_ids, const RequestFilter& filter) {
  if (!filter.status.empty() && !is_request_status(filter.status)) {
    return bad("there is no status \"" + filter.status + "\" to filter by");
  }
  if (!filter.requester_kind.empty() && !is_requester_kind(filter.requester_kind)) {
    return bad("there is no requester kind \"" + filter.requester_kind + "\" to filter by");
  }
  EVHUB_RETURN_IF_ERROR(sync());
  std::string where = "1";
  std::vector<std::string> params;
  auto add = [&](const std::string& value, const char* sql) {
    if (value.empty()) return;
    where += sql;
    params.push_back(value);
  };
  // A list as one JSON parameter: the SQL text (and its prepared statement) stays the same.
  add(organisation_ids.empty() ? std::string() : json(organisation_ids).dump(),
      " AND organisation_id IN (SELECT value FROM json_each(?))");
  add(filter.status, " AND status = ?");
  add(filter.requester_kind, " AND requester_kind = ?");
  add(filter.assignee, " AND EXISTS (SELECT 1 FROM json_each(assignees) WHERE value = ?)");
  return impl_->listed(where, params, " ORDER BY changed_seq DESC");
}

Result<std::vector<DeadlineEntry>> RequestRegister::deadlines(
    const std::vector<std::string>& organisation_ids, const std::string& today, int within_days) {
  if (!collection::is_date(today)) return bad("the day asked about is a date, YYYY-MM-DD");
  if (within_days < 0) return bad("due soon counts days from today: 0 or more");
  EVHUB_RETURN_IF_ERROR(sync());
  std::string where = "deadline != '' AND status NOT IN ('delivered', 'closed')";
  std::vector<std::string> params;
  if (!organisation_ids.empty()) {
    where += " AND organisation_id IN (SELECT value FROM json_each(?))";
    params.push_back(json(organisation_ids).dump());
  }
  EVHUB_ASSIGN_OR_RETURN(auto rows, impl_->listed(where, params, " ORDER BY deadline, id"));
  std::vector<DeadlineEntry> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    DeadlineEntry entry;
    entry.days_left = internal::days_between(today, row.deadline);
    entry.state = entry.days_left < 0              ? DeadlineState::kOverdue
                  : entry.days_left <= within_days ? DeadlineState::kDueSoon
                                                   : DeadlineState::kLater;
    entry.request = std::move(row);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace evhub::disclosure
