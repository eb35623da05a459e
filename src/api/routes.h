// The HTTP API under /api/v1: who may call what (one gate, in routes.cc, through which every
// route file registers), sign-in with a session cookie (HttpOnly, SameSite=Strict, Secure under
// TLS) plus a CSRF token on every change, and the routes themselves: evidence, accounts, the
// audit trail and the witness register with its consent (routes.cc); interviews, documents,
// contacts, human translations, the job monitor and bulk import (collection_routes.cc). Every
// sign-in and every refusal of one is written to the custody log through the hub.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "accounts/accounts.h"
#include "api/server.h"
#include "coding/annotations.h"
#include "coding/framework_store.h"
#include "coding/incidents.h"
#include "coding/places.h"
#include "coding/summary.h"
#include "collection/collection.h"
#include "disclosure/packages.h"
#include "disclosure/requests.h"
#include "hub/hub.h"
#include "jobs/job_queue.h"
#include "jobs/worker_pool.h"
#include "search/saved_searches.h"
#include "search/search.h"
#include "translate/translator.h"

namespace evhub::api {

struct Access;  // who may call a route (api/route_support.h)

struct ApiOptions {
  bool tls = false;  // adds Secure to the session cookie
  accounts::SignInPolicy policy;
  std::function<std::int64_t()> clock;  // milliseconds since the epoch; default: the real clock
};

class Api {
 public:
  static Result<std::unique_ptr<Api>> open(hub::Hub& hub, ApiOptions options = {});
  void add_routes(Router& router);
  // Works through the processing queue (text, OCR, translation) on `threads` background
  // threads, sharing the hub lock with the requests; stopped when the Api is destroyed.
  void start_processing(int threads);

 private:
  Api(hub::Hub& hub, std::unique_ptr<accounts::Accounts> accounts,
      std::unique_ptr<collection::Collection> witnesses, std::unique_ptr<jobs::JobQueue> jobs,
      ApiOptions options);
  struct Context;
  using Handle = std::function<Response(Context&)>;
  // Registers a route behind the one gate of routes.cc (session, CSRF token, roles).
  using AddRoute =
      std::function<void(const char* method, const char* path, Access access, Handle handler)>;
  // Interviews, documents, contacts, translations, jobs and import (collection_routes.cc).
  void add_collection_routes(const AddRoute& route);
  // Search and saved searches (search_routes.cc).
  void add_search_routes(const AddRoute& route);
  // The coding framework, the coding workspace, annotations, passages, agreement
  // (coding_routes.cc).
  void add_coding_routes(const AddRoute& route);
  Result<coding::AnnotationStore*> annotation_store();
  Result<coding::FrameworkStore*> framework_store();
  Response framework_response(int status, const coding::Framework& framework, nlohmann::json extra);
  Response store_framework(const accounts::Caller& caller, const coding::Framework& next,
                           int based_on);
  struct VisibleAnnotation {
    std::optional<coding::Annotation> annotation;  // set when the caller may see it
    std::optional<coding::Framework> framework;    // the framework in force, with it
    Response refusal;                              // otherwise
  };
  VisibleAnnotation visible_annotation(const accounts::Caller& caller, const std::string& id,
                                       const std::vector<accounts::Role>& roles);
  // Incidents and the timeline (incident_routes.cc).
  void add_incident_routes(const AddRoute& route);
  Result<coding::IncidentStore*> incident_store();
  Response incident_response(int status, const accounts::Caller& caller,
                             const coding::Incident& incident, const coding::Framework& framework);
  struct ReachableIncident {
    std::optional<coding::Incident> incident;
    Response refusal;
  };
  ReachableIncident reachable_incident(const accounts::Caller& caller, const std::string& id,
                                       const std::vector<accounts::Role>& roles);
  // Witness summaries: drafts, the review workflow, versions, exports (summary_routes.cc).
  void add_summary_routes(const AddRoute& route);
  Result<coding::SummaryStore*> summary_store();
  Response summary_response(int status, const coding::WitnessSummary& summary);
  struct ReachableSummary {
    std::optional<coding::WitnessSummary> summary;
    Response refusal;
  };
  ReachableSummary reachable_summary(const accounts::Caller& caller, const std::string& id,
                                     const std::vector<accounts::Role>& roles);
  // Requests for assistance, disclosure packages, the disclosure log (disclosure_routes.cc).
  void add_disclosure_routes(const AddRoute& route);
  Result<disclosure::RequestRegister*> request_register();
  Result<disclosure::PackageStore*> package_store();
  // The recipients who hold some of the witness's material (disclosure/holders.h), as the
  // API shows them: whom to notify when the witness withdraws consent.
  Result<nlohmann::json> holders_json(const std::string& witness);
  struct ReachableRequest {
    std::optional<disclosure::Request> request;
    Response refusal;
  };
  ReachableRequest reachable_request(const accounts::Caller& caller, const std::string& id,
                                     const std::vector<accounts::Role>& roles);
  struct ReachablePackage {
    std::optional<disclosure::Package> package;
    Response refusal;
  };
  ReachablePackage reachable_package(const accounts::Caller& caller, const std::string& id,
                                     const std::vector<accounts::Role>& roles);
  // The objects of a package's items: each must be evidence of the request's organisation that
  // the caller may read (a refusal names the item, not what it holds).
  std::optional<Response> check_package_objects(const accounts::Caller& caller,
                                                const std::string& organisation_id,
                                                const nlohmann::json& items);
  Response package_response(int status, const disclosure::Package& p, nlohmann::json extra);
  // The gazetteer and the facility registry (places_routes.cc).
  void add_places_routes(const AddRoute& route);
  Result<const coding::Gazetteer*> gazetteer();
  Result<coding::FacilityRegistry*> facility_registry();
  Result<search::Index*> search_index();
  Result<search::SavedSearches*> saved_searches();
  Result<std::vector<search::Scope>> search_scopes(const accounts::User& user);
  Response search_response(const accounts::Caller& caller, search::SearchRequest request,
                           nlohmann::json extra);
  static nlohmann::json saved_search_json(const search::SavedSearch& s, std::int64_t fresh);
  std::int64_t new_items(const accounts::User& user, const search::SavedSearch& s);
  hub::Hub& hub_;
  std::unique_ptr<accounts::Accounts> accounts_;
  // The witness register, a view of the custody log like the catalog: used under hub_mu_ only.
  std::unique_ptr<collection::Collection> witnesses_;
  ApiOptions options_;
  crypto::SecretKey sealing_key_;
  // The hub is used by one request at a time (hub_mu_), and so is the accounts database
  // (accounts_mu_, taken inside hub_mu_ by handlers, alone by the session check: one order).
  std::mutex hub_mu_;
  std::mutex accounts_mu_;
  struct LockedAccounts {
    std::unique_lock<std::mutex> lock;
    accounts::Accounts* accounts;
    accounts::Accounts* operator->() { return accounts; }
  };
  // accounts()->f(…) holds the accounts lock for the call.
  LockedAccounts accounts() { return {std::unique_lock(accounts_mu_), accounts_.get()}; }

  std::unique_ptr<jobs::JobQueue> jobs_;
  std::unique_ptr<translate::Translator> translator_;
  // Opened on first use, under hub_mu_ like everything a handler touches.
  std::unique_ptr<search::Index> search_reader_;
  std::unique_ptr<search::SavedSearches> saved_;
  std::unique_ptr<coding::AnnotationStore> annotations_;
  std::unique_ptr<coding::FrameworkStore> frameworks_;
  std::unique_ptr<coding::IncidentStore> incidents_;  // after annotations_, which it uses
  std::unique_ptr<coding::SummaryStore> summaries_;   // after annotations_ and witnesses_
  std::shared_ptr<const coding::Gazetteer> gazetteer_;
  std::unique_ptr<coding::FacilityRegistry> facilities_;
  std::unique_ptr<disclosure::RequestRegister> requests_;
  std::unique_ptr<disclosure::PackageStore> packages_;
  // The custody log length when the index was last asked to catch up (see start_processing).
  std::int64_t index_requested_at_ = -1;
  // Declared after everything it uses, so it stops (joining its threads) before they go.
  std::unique_ptr<jobs::WorkerPool> workers_;

  // Sessions and organisations, remembered for a second (see routes.cc).
  static constexpr std::int64_t kCacheMs = 1000;
  struct CachedCaller {
    accounts::Caller caller;
    std::int64_t until = 0;
  };
  Result<accounts::Caller> resume(const std::string& token, bool api_token);
  bool totp_enabled(const std::string& username);
  struct Readable {
    std::optional<hub::ListedObject> object;  // set when the caller may read it
    Response refusal;                         // otherwise
  };
  Readable readable_object(const accounts::Caller& caller, const std::string& id);
  // A witness the caller may act on with one of `roles` in the witness's organisation; the
  // refusal otherwise (404 unknown, 403 another organisation's or a role not held there).
  struct Reachable {
    std::optional<collection::Witness> witness;
    Response refusal;
  };
  Reachable reachable_witness(const accounts::Caller& caller, const std::string& code,
                              const std::vector<accounts::Role>& roles);
  // An upload into key domain `domain`: if it is a registered witness's, the witness must be
  // one the caller may add to (the organisation is the witness's; `organisation_id` is set to
  // it), else the refusal. Other domains are left to the caller's choice of organisation.
  std::optional<Response> witness_upload(const accounts::Caller& caller, const std::string& domain,
                                         std::string& organisation_id);
  // Processing jobs on objects the caller may read, newest first: at most `limit`, looking at
  // no more than `scan` jobs older than `before_id` (0: the newest). `next` is where the next
  // page starts (0 when there is no more).
  struct ReadableJob {
    jobs::Job job;
    hub::ListedObject object;
  };
  struct JobPage {
    std::vector<ReadableJob> jobs;
    std::int64_t next = 0;
  };
  Result<JobPage> readable_jobs(const std::vector<catalog::ReadScope>& scopes,
                                const std::string& state, std::int64_t before_id, int limit,
                                int scan);
  // Organisation names by id ("" for an unknown id).
  std::map<std::string, std::string> organisation_names();
  // Who erased each erased witness through the API (code → username), from witness.erase.
  std::map<std::string, std::string> erasers();
  // A witness's page: profile (or tombstone), consent history as `user` may see it in the
  // witness's organisation, and what else they may do there.
  Response witness_page(int status, const accounts::User& user, const collection::Witness& w);
  // Today (UTC, YYYY-MM-DD) by options_.clock: consent states and decisions are as of this day.
  std::string today() const;
  std::string organisation_id(const std::string& name);  // "" if unknown
  std::map<std::string, std::string> usernames();        // by user id
  Response user_response(int status, const std::string& username);
  Response change_grant(const accounts::User& by, const std::string& username,
                        const std::string& body, std::string organisation, std::string role,
                        bool grant);
  // After a change of roles or a disabled account: no remembered session outlives it.
  void forget_sessions();
  void forget(const std::string& token);
  Result<std::vector<accounts::Organisation>> organisations();
  std::unordered_map<std::string, CachedCaller> session_cache_;
  std::vector<accounts::Organisation> organisations_;
  std::int64_t organisations_until_ = 0;
};

}  // namespace evhub::api
