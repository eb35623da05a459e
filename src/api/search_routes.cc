// Search and saved searches (docs/openapi.yaml: /search, /saved-searches). The caller's read
// scopes go into the index query itself (search/search.h), so hits, totals, facets and
// snippets only ever count what the caller may open. Queries are never logged: they may name
// people. Each search that shows snippets is logged with the ids whose text it showed.
#include <nlohmann/json.hpp>

#include "api/policy.h"
#include "api/route_support.h"
#include "collection/indexing.h"
#include "core/clock.h"
#include "search/query.h"

namespace evhub::api {

using nlohmann::json;

namespace {

Response bad_query(const Status& st) {
  return error_response(400, "bad_query", st.message());
}

}  // namespace

Result<search::Index*> Api::search_index() {
  if (search_reader_) return search_reader_.get();
  auto reader = search::Index::open_readonly({hub_.layout().index()});
  if (!reader.is_ok() && reader.status().code() == Code::kNotFound) {
    // No index yet (a new hub): make an empty one, which the index jobs fill.
    auto made = search::Index::open_writable(hub_.layout().index());
    if (made.is_ok()) made->reset();
    reader = search::Index::open_readonly({hub_.layout().index()});
  }
  EVHUB_RETURN_IF_ERROR(reader.status());
  search_reader_ = std::move(*reader);
  return search_reader_.get();
}

Result<search::SavedSearches*> Api::saved_searches() {
  if (!saved_) {
    EVHUB_ASSIGN_OR_RETURN(saved_,
                           search::SavedSearches::open(hub_.layout().saved_searches(),
                                                       hub_.derive_key("evhub saved searches v1")));
  }
  return saved_.get();
}

// The caller's scopes in the index's terms: per organisation, the sensitivities they may read,
// and whether they may see testimony there (witness readers) or open sources only.
Result<std::vector<search::Scope>> Api::search_scopes(const accounts::User& user) {
  EVHUB_ASSIGN_OR_RETURN(auto all, organisations());
  std::vector<search::Scope> scopes;
  for (const auto& s : read_scopes(user, all)) {
    scopes.push_back({s.organisation_id, s.sensitivities,
                      holds_role_in(user, witness_readers(), s.organisation_id, all)});
  }
  return scopes;
}

// Runs `request` for `caller` and answers with hits, facets and snippets; logs what was shown.
Response Api::search_response(const accounts::Caller& caller, search::SearchRequest request,
                              json extra) {
  auto scopes = search_scopes(caller.user);
  if (!scopes.is_ok()) return error_response(500, "internal", "could not read organisations");
  request.scopes = std::move(*scopes);
  auto index = search_index();
  if (!index.is_ok()) return status_response(index.status(), "opening the search index");
  std::vector<std::string> shown;
  auto found = (*index)->search(request, [&](const std::string& id) -> Result<std::string> {
    auto text = collection::item_text(hub_, *witnesses_, id);
    if (text.is_ok()) shown.push_back(id);
    return text;
  });
  if (!found.is_ok()) {
    if (found.status().code() == Code::kInvalidArgument) return bad_query(found.status());
    return status_response(found.status(), "searching");
  }
  const auto names = organisation_names();
  auto name_of = [&](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? std::string() : it->second;
  };
  json hits = json::array();
  for (auto& h : found->hits) {
    json snippets = json::array();
    for (auto& s : h.snippets) {
      snippets.push_back(
          {{"id", s.id}, {"type", s.type}, {"language", s.language}, {"html", std::move(s.html)}});
    }
    hits.push_back({{"id", h.id},
                    {"type", h.type},
                    {"language", h.language},
                    {"organisation", name_of(h.organisation_id)},
                    {"witness", h.witness},
                    {"date", h.date},
                    {"title", h.title},
                    {"open", h.open},
                    {"score", h.score},
                    {"snippets", std::move(snippets)}});
  }
  json facets = json::object();
  for (const auto& [facet, values] : found->facets) {
    json list = json::array();
    for (const auto& v : values) {
      list.push_back(
          {{"value", facet == "organisation" ? name_of(v.value) : v.value}, {"count", v.count}});
    }
    facets[facet] = std::move(list);
  }
  if (!shown.empty()) {
    (void)hub_.audit("search.read", "",
                     {{"user_id", caller.user.id}, {"texts", shown}, {"hits", hits.size()}});
  }
  json out = {
      {"query", request.query},   {"total", found->total},      {"total_exact", found->total_exact},
      {"offset", request.offset}, {"limit", request.limit},     {"mark", found->mark},
      {"hits", std::move(hits)},  {"facets", std::move(facets)}};
  out.update(extra);
  Response response = json_response(200, out);
  wipe(out);  // snippets hold the witnesses' words
  return response;
}

json Api::saved_search_json(const search::SavedSearch& s, std::int64_t fresh) {
  return {{"id", s.id},
          {"name", s.name},
          {"query", s.query},
          {"created_at", format_rfc3339(s.created_ms)},
          {"new", fresh}};
}

// How many items are new for a saved search (0 if its query no longer parses).
std::int64_t Api::new_items(const accounts::User& user, const search::SavedSearch& s) {
  auto scopes = search_scopes(user);
  auto index = search_index();
  if (!scopes.is_ok() || !index.is_ok()) return 0;
  search::SearchRequest r;
  r.query = s.query;
  r.scopes = std::move(*scopes);
  r.limit = 0;
  r.facets = false;
  r.snippets = false;
  r.added_after = s.seen_mark;
  auto found = (*index)->search(r, {});
  return found.is_ok() ? found->total : 0;
}

void Api::add_search_routes(const AddRoute& route) {
  route("GET", "/api/v1/search", Access{true, evidence_readers()}, [this](Context& c) {
    search::SearchRequest r;
    r.query = c.request.query("q");
    const auto offset = number_in(c.request.query("offset"), 0, 100000);
    const auto limit = number_in(c.request.query("limit"), 20, 100);
    if (!offset || !limit) {
      return error_response(400, "bad_request", "offset must be 0 to 100000 and limit 0 to 100");
    }
    r.offset = *offset;
    r.limit = *limit;
    const std::string sort = c.request.query("sort");
    if (sort == "newest")
      r.sort = search::SortOrder::kNewest;
    else if (sort == "oldest")
      r.sort = search::SortOrder::kOldest;
    else if (!sort.empty() && sort != "relevance") {
      return error_response(400, "bad_request", "sort must be relevance, newest or oldest");
    }
    r.facets = c.request.query("facets") != "0";
    return search_response(*c.caller, std::move(r), json::object());
  });

  route("GET", "/api/v1/saved-searches", Access{true, evidence_readers()}, [this](Context& c) {
    auto saved = saved_searches();
    if (!saved.is_ok()) return status_response(saved.status(), "reading saved searches");
    auto mine = (*saved)->of_user(c.caller->user.id);
    if (!mine.is_ok()) return status_response(mine.status(), "reading saved searches");
    json list = json::array();
    for (const auto& s : *mine) list.push_back(saved_search_json(s, new_items(c.caller->user, s)));
    return json_response(200, {{"saved_searches", std::move(list)}});
  });

  route("POST", "/api/v1/saved-searches", Access{true, evidence_readers()}, [this](Context& c) {
    auto body = parse_body(c.request.body, "send {\"name\": …, \"query\": …}",
                           {{"name", FieldType::kText}, {"query", FieldType::kText}});
    if (!body.is_ok()) return error_response(400, "bad_request", body.status().message());
    const std::string name = body->value("name", ""), query = body->value("query", "");
    if (name.empty() || name.size() > 200) {
      return error_response(400, "bad_request", "give the search a name of 1 to 200 characters");
    }
    if (auto parsed = search::parse_query(query); !parsed.is_ok())
      return bad_query(parsed.status());
    auto saved = saved_searches();
    auto index = search_index();
    if (!saved.is_ok()) return status_response(saved.status(), "saving the search");
    if (!index.is_ok()) return status_response(index.status(), "opening the search index");
    // What exists now is not new: the mark is the index revision as of saving.
    search::SearchRequest probe;
    probe.query = query;
    probe.limit = 0;
    probe.facets = false;
    probe.snippets = false;
    auto now = (*index)->search(probe, {});
    auto s = (*saved)->add(c.caller->user.id, name, query, now.is_ok() ? now->mark : 0,
                           options_.clock());
    if (!s.is_ok()) return status_response(s.status(), "saving the search");
    return json_response(201, saved_search_json(*s, 0));
  });

  auto saved_id = [](const Context& c) -> std::optional<std::int64_t> {
    const std::string& id = c.request.params.at("id");
    if (!is_small_number(id, 12)) return std::nullopt;
    return std::stoll(id);
  };

  route("GET", "/api/v1/saved-searches/{id}/new", Access{true, evidence_readers()},
        [this, saved_id](Context& c) {
          const auto id = saved_id(c);
          auto saved = saved_searches();
          if (!saved.is_ok()) return status_response(saved.status(), "reading saved searches");
          if (!id) return error_response(404, "not_found", "no such saved search");
          auto s = (*saved)->find(c.caller->user.id, *id);
          if (!s.is_ok()) return status_response(s.status(), "reading the saved search");
          const auto offset = number_in(c.request.query("offset"), 0, 100000);
          const auto limit = number_in(c.request.query("limit"), 20, 100);
          if (!offset || !limit) {
            return error_response(400, "bad_request",
                                  "offset must be 0 to 100000 and limit 0 to 100");
          }
          search::SearchRequest r;
          r.query = s->query;
          r.added_after = s->seen_mark;
          r.offset = *offset;
          r.limit = *limit;
          r.sort = search::SortOrder::kNewest;
          return search_response(*c.caller, std::move(r),
                                 {{"saved", saved_search_json(*s, new_items(c.caller->user, *s))}});
        });

  route("POST", "/api/v1/saved-searches/{id}/seen", Access{true, evidence_readers()},
        [this, saved_id](Context& c) {
          const auto id = saved_id(c);
          auto saved = saved_searches();
          if (!saved.is_ok()) return status_response(saved.status(), "reading saved searches");
          if (!id) return error_response(404, "not_found", "no such saved search");
          const json raw = json::parse(c.request.body, nullptr, false);
          if (!raw.is_object() || !raw.contains("mark") || !raw["mark"].is_number_integer() ||
              raw["mark"].get<std::int64_t>() < 0) {
            return error_response(400, "bad_request",
                                  "send {\"mark\": N}, the mark of the results you saw");
          }
          Status st = (*saved)->mark_seen(c.caller->user.id, *id, raw["mark"].get<std::int64_t>());
          if (!st.is_ok()) return status_response(st, "marking the saved search");
          auto s = (*saved)->find(c.caller->user.id, *id);
          if (!s.is_ok()) return status_response(s.status(), "reading the saved search");
          return json_response(200, saved_search_json(*s, new_items(c.caller->user, *s)));
        });

  route("DELETE", "/api/v1/saved-searches/{id}", Access{true, evidence_readers()},
        [this, saved_id](Context& c) {
          const auto id = saved_id(c);
          auto saved = saved_searches();
          if (!saved.is_ok()) return status_response(saved.status(), "reading saved searches");
          if (!id) return error_response(404, "not_found", "no such saved search");
          Status st = (*saved)->remove(c.caller->user.id, *id);
          if (!st.is_ok()) return status_response(st, "deleting the saved search");
          Response r;
          r.status = 204;
          return r;
        });
}

}  // namespace evhub::api
