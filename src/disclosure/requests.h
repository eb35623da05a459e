// The register of requests for assistance: who asked (a prosecution service, the ICC Office of
// the Prosecutor, a UN or OSCE mechanism, a lawyer, an NGO), for what, on which terms and by
// when, and how far the answer has got — the request every disclosure package answers.
//
// Each version of a request is an encrypted record in the organisation's key domain
// "requests-<organisation id>" (kind "request" for the first version, "request-update" for each
// later one); letters exchanged with the requester are objects of the same domain (kind
// "request-correspondence"). requests.db is a view of those records rebuilt from the custody
// log, holding only what lists and the deadlines view need: the requester's contact, the legal
// basis, the scope, the terms and the correspondence stay in the encrypted record.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coding/framework.h"
#include "core/fs.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::disclosure {

// Who may ask, as the CLI, the API and the records write them.
inline constexpr const char* kRequesterKinds[] = {
    "national-prosecution-service",  // a State's prosecution service or investigating judge
    "icc-otp",                       // the ICC Office of the Prosecutor
    "un-mechanism",                  // a UN investigative body or special procedure
    "osce-mechanism",                // an OSCE mechanism (e.g. the Moscow Mechanism)
    "lawyer",                        // counsel for a victim or a party
    "ngo"};
bool is_requester_kind(const std::string& kind);

// Where a request stands. The order is the usual path; request_transition_problem() says which
// steps are allowed:
//   received     -> scoping
//   scoping      -> collecting
//   collecting   -> legal-review
//   legal-review -> approved, or back to collecting (the review asks for changes)
//   approved     -> delivered, or back to collecting (the package must change again)
//   delivered    -> back to collecting (a supplementary delivery under the same request)
// and every state but closed -> closed (answered, declined or withdrawn); closed is final.
inline constexpr const char* kRequestStatuses[] = {
    "received", "scoping", "collecting", "legal-review", "approved", "delivered", "closed"};
bool is_request_status(const std::string& status);
// Why a request in `from` may not go to `to` ("a request in legal-review can go to approved or
// closed, or back to collecting, not to delivered"), or nullopt if it may. Staying is allowed.
std::optional<std::string> request_transition_problem(const std::string& from,
                                                      const std::string& to);

// The restricted categories (catalog sensitivities) a request's scope may cover explicitly;
// material of these sensitivities goes only to a request that names them.
inline constexpr const char* kRestrictedCategories[] = {"health", "sexual-violence"};

struct Requester {
  std::string kind;  // kRequesterKinds
  std::string body;  // the State or body: "Lithuania", "ICC Office of the Prosecutor", "IIIM"
  // Names, addresses, telephones of the people handling it: only in the encrypted record,
  // never in the view.
  std::string contact;
};

// A span of days the request asks about, both ends YYYY-MM-DD (to may equal from).
struct Period {
  std::string from;
  std::string to;
};

// What is asked for. Every list may be empty; an empty scope is a request still to be scoped.
struct RequestScope {
  std::string description;              // the request in its own words
  std::vector<std::string> incidents;   // incident ids
  std::vector<std::string> persons;     // victims, witnesses (codes) or suspects, as written
  std::vector<std::string> facilities;  // names of the facility registry
  std::vector<std::string> places;      // names of the gazetteer
  std::vector<Period> periods;
  std::vector<std::string> violation_types;  // code ids of the coding framework
  // The restricted categories it explicitly covers (kRestrictedCategories).
  std::vector<std::string> restricted;
};

// The terms agreed with the requester: each a yes/no that the package builder and the recipients'
// README can rely on, with the wording agreed.
struct Terms {
  bool confidential = false;  // the recipient keeps the material confidential
  std::string confidentiality;
  bool onward_sharing_allowed = false;  // the recipient may pass it on (to whom: below)
  std::string onward_sharing;
  bool minimise_reinterviews = false;  // the recipient will not re-interview without need
  std::string reinterviews;
  std::string agreed_on;  // YYYY-MM-DD, or empty while not agreed
};

inline constexpr const char* kDirections[] = {"in", "out"};

// A letter, e-mail or note exchanged with the requester: an object in the request's key domain.
struct Correspondence {
  std::string object_id;
  std::string direction;  // "in" (from the requester) or "out" (from us)
  std::string on;         // YYYY-MM-DD, the date of the letter
  std::string label;      // "letter of request", "acknowledgement", "extension granted"
  std::string media_type;
  std::string added_by;  // set by the register
  std::string added_at;
};

struct Request {
  std::string id;  // "RQ-2026-0007", given by the register (see RequestRegister)
  int version = 0;
  std::string organisation_id;
  Requester requester;
  std::string received_on;  // YYYY-MM-DD
  std::string reference;    // the requester's own reference
  std::string legal_basis;  // treaty, statute or mandate relied on
  RequestScope scope;
  Terms terms;
  std::string deadline;                        // YYYY-MM-DD, not before received_on; or empty
  std::vector<std::string> assignees;          // user ids of the team answering it
  std::string status = "received";             // kRequestStatuses
  std::vector<Correspondence> correspondence;  // kept by the register, in the order added
  std::string created_by;  // set by the register from the first version's updated_by
  std::string created_at;
  std::string updated_by;  // the user making this version (required)
  std::string updated_at;  // set by the register
};

// A request as lists show it, from the view alone (nothing decrypted).
struct ListedRequest {
  std::string id;
  int version = 0;
  std::string organisation_id;
  std::string requester_kind;
  std::string body;
  std::string reference;
  std::string received_on;
  std::string deadline;
  std::string status;
  std::vector<std::string> assignees;
  std::string updated_at;
};

// Filters of list(); empty fields do not filter.
struct RequestFilter {
  std::string status;          // kRequestStatuses
  std::string requester_kind;  // kRequesterKinds
  std::string assignee;        // a user id
};

// How a deadline stands on a given day.
enum class DeadlineState { kOverdue, kDueSoon, kLater };
const char* deadline_state_name(DeadlineState state);  // "overdue", "due-soon", "later"

struct DeadlineEntry {
  ListedRequest request;
  int days_left = 0;  // deadline minus the day asked about; negative when overdue
  DeadlineState state = DeadlineState::kLater;
};

// Limits that refuse absurd input.
inline constexpr std::size_t kMaxScopeEntries = 500;  // each list of the scope
inline constexpr std::size_t kMaxAssignees = 50;
inline constexpr std::size_t kMaxCorrespondence = 2'000;
inline constexpr std::size_t kMaxRequestTextBytes = 20'000;  // contact, basis, terms, scope

class RequestRegister {
 public:
  // Opens requests.db (creating it) and catches up with the log.
  static Result<std::unique_ptr<RequestRegister>> open(hub::Hub& hub);
  ~RequestRegister();

  Status sync();

  // Registers a new request (status "received"; id, version, created_* and updated_at given
  // here). Its id is "RQ-<year>-<number>": the year the hub registered it (UTC) and its place
  // among the requests registered in the hub that year, counted in the order of the custody
  // log — so the log alone fixes every number, and a rebuilt view gives the same ones.
  // Refused with a reason (kInvalidArgument): an unknown requester kind, no body, a date that
  // is not YYYY-MM-DD, a deadline before the day received, an unknown restricted category or
  // violation type (`framework` tells), texts too long or not UTF-8, no updated_by,
  // correspondence (add it with add_correspondence).
  Result<Request> add(Request request, const coding::Framework& framework);
  // A new version; `request.version` must be the newest (kFailedPrecondition otherwise: "it is
  // at version N; reload"). The organisation and the correspondence stay as they are; a change
  // of status must be one request_transition_problem() allows (kFailedPrecondition). Violation
  // types the newest version has are kept even if the framework has since dropped them.
  Result<Request> update(Request request, const coding::Framework& framework);
  // A new version in status `to`, everything else unchanged.
  Result<Request> move(const std::string& id, int version, const std::string& to,
                       const std::string& by);
  // Stores `file` as correspondence of the request (in its key domain) and lists it in a new
  // version. `letter.object_id`, added_by and added_at are given here; `version` as in update().
  Result<Request> add_correspondence(const std::string& id, int version, Correspondence letter,
                                     ReadableFile& file, const std::string& by);
  Result<Request> add_correspondence(const std::string& id, int version, Correspondence letter,
                                     std::string data, const std::string& by);

  // The newest version, decrypted (nullopt if unknown, or if the organisation's requests
  // domain was erased).
  Result<std::optional<Request>> get(const std::string& id);
  // Every version, oldest first.
  Result<std::vector<Request>> history(const std::string& id);
  // Requests of these organisations (all if empty) that pass the filter, the most recently
  // changed first.
  Result<std::vector<ListedRequest>> list(const std::vector<std::string>& organisation_ids,
                                          const RequestFilter& filter);
  // Open requests (neither delivered nor closed) with a deadline, the earliest deadline first,
  // as they stand on `today` (YYYY-MM-DD): overdue if the deadline has passed, due soon if it
  // falls within `within_days` days (the deadline day itself counts as due soon).
  Result<std::vector<DeadlineEntry>> deadlines(const std::vector<std::string>& organisation_ids,
                                               const std::string& today, int within_days);

 private:
  struct Impl;
  explicit RequestRegister(std::unique_ptr<Impl> impl);
  Result<Request> store_version(Request request, const Request& current);
  Result<Request> current_at(const std::string& id, int version);
  std::unique_ptr<Impl> impl_;
};

// The key domain holding an organisation's requests and their correspondence.
std::string requests_domain(const std::string& organisation_id);

}  // namespace evhub::disclosure
