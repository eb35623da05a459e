// evhub search QUERY and evhub index rebuild|check: the search index from the command line.
// The operator who holds the passphrase searches everything unless --as USER narrows the
// search to what that user may see through the API (the same scopes, in the same query).
#include <unistd.h>

#include <iostream>
#include <memory>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "accounts/accounts.h"
#include "api/policy.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/terminal.h"
#include "collection/collection.h"
#include "collection/indexing.h"
#include "hub/hub.h"
#include "search/search.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

struct SearchArgs {
  std::string query;
  std::string as_user;
  std::vector<std::string> shards;
  int offset = 0;
  int limit = 10;
  std::string sort = "relevance";
  std::string action;  // rebuild | check
};
SearchArgs& args() {
  static SearchArgs a;
  return a;
}

// The scopes of --as USER, or every organisation and sensitivity for the operator.
Result<std::vector<search::Scope>> scopes_for(hub::Hub& hub, const std::string& username) {
  EVHUB_ASSIGN_OR_RETURN(auto accounts, accounts::Accounts::open(hub.layout().accounts()));
  EVHUB_ASSIGN_OR_RETURN(auto all, accounts->organisations());
  std::vector<search::Scope> scopes;
  if (username.empty()) {
    EVHUB_ASSIGN_OR_RETURN(auto summary, hub.summary());
    std::set<std::string> orgs;
    for (const auto& d : summary.domains) {
      if (d.organisation_id) orgs.insert(*d.organisation_id);
    }
    for (const auto& o : orgs) {
      scopes.push_back(
          {o, {std::begin(catalog::kSensitivities), std::end(catalog::kSensitivities)}, true});
    }
    return scopes;
  }
  EVHUB_ASSIGN_OR_RETURN(auto user, accounts->find_user(username));
  if (!user) return Status(Code::kNotFound, "no user " + username);
  for (const auto& s : api::read_scopes(*user, all)) {
    scopes.push_back({s.organisation_id, s.sensitivities,
                      api::holds_role_in(*user, api::witness_readers(), s.organisation_id, all)});
  }
  return scopes;
}

// <mark>…</mark> as bold on a terminal, entities back to characters.
std::string terminal_snippet(const std::string& html, bool colour) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "<mark>") == 0) {
      out += colour ? "\x1b[1m" : "[";
      i += 6;
    } else if (html.compare(i, 7, "</mark>") == 0) {
      out += colour ? "\x1b[0m" : "]";
      i += 7;
    } else if (html[i] == '&') {
      const std::size_t semi = html.find(';', i);
      const std::string entity = html.substr(i, semi - i + 1);
      out += entity == "&amp;"    ? "&"
             : entity == "&lt;"   ? "<"
             : entity == "&gt;"   ? ">"
             : entity == "&quot;" ? "\""
             : entity == "&#39;"  ? "'"
                                  : entity;
      i = semi == std::string::npos ? html.size() : semi + 1;
    } else if (html[i] == '\n' || html[i] == '\f') {
      out += ' ';
      ++i;
    } else {
      out += html[i++];
    }
  }
  return out;
}

int cmd_search(const Options& o) {
  const SearchArgs& a = args();
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  auto scopes = scopes_for(**hub, a.as_user);
  if (!scopes.is_ok()) return report_failure(o, scopes.status());
  auto index = search::Index::open_readonly(
      a.shards.empty() ? std::vector<std::string>{(*hub)->layout().index()} : a.shards);
  if (!index.is_ok()) return report_failure(o, index.status());
  auto register_ = collection::Collection::open(**hub);
  if (!register_.is_ok()) return report_failure(o, register_.status());
  search::SearchRequest r;
  r.query = a.query;
  r.scopes = std::move(*scopes);
  r.offset = a.offset;
  r.limit = a.limit;
  r.sort = a.sort == "newest"   ? search::SortOrder::kNewest
           : a.sort == "oldest" ? search::SortOrder::kOldest
                                : search::SortOrder::kRelevance;
  std::vector<std::string> shown;
  auto found = (*index)->search(r, [&](const std::string& id) -> Result<std::string> {
    auto t = collection::item_text(**hub, **register_, id);
    if (t.is_ok()) shown.push_back(id);
    return t;
  });
  if (!found.is_ok()) return report_failure(o, found.status());
  if (!shown.empty()) {
    (void)(*hub)->audit("search.read", "", {{"texts", shown}, {"hits", found->hits.size()}});
  }
  if (o.json) {
    json hits = json::array();
    for (const auto& h : found->hits) {
      json snippets = json::array();
      for (const auto& s : h.snippets) {
        snippets.push_back(
            {{"id", s.id}, {"type", s.type}, {"language", s.language}, {"html", s.html}});
      }
      hits.push_back({{"id", h.id},
                      {"type", h.type},
                      {"language", h.language},
                      {"organisation_id", h.organisation_id},
                      {"witness", h.witness},
                      {"date", h.date},
                      {"title", h.title},
                      {"open", h.open},
                      {"score", h.score},
                      {"snippets", snippets}});
    }
    json facets = json::object();
    for (const auto& [f, values] : found->facets) {
      json list = json::array();
      for (const auto& v : values) list.push_back({{"value", v.value}, {"count", v.count}});
      facets[f] = list;
    }
    std::cout << json{{"total", found->total},
                      {"total_exact", found->total_exact},
                      {"hits", hits},
                      {"facets", facets}}
                     .dump(-1, ' ', false, kReplaceBadUtf8)
              << "\n";
    return 0;
  }
  const bool colour = isatty(STDOUT_FILENO) == 1;
  std::cout << fmt::format("{}{} hits\n", found->total_exact ? "" : "about ", found->total);
  for (const auto& h : found->hits) {
    std::cout << fmt::format("\n{}  [{} {}] {}\n", h.title, h.type, h.language, h.id);
    for (const auto& s : h.snippets) {
      std::cout << fmt::format("  {}: {}\n", s.language.empty() ? s.type : s.language,
                               terminal_snippet(s.html, colour));
    }
  }
  return 0;
}

int cmd_index(const Options& o) {
  const SearchArgs& a = args();
  auto hub = open_hub(o);
  if (!hub.is_ok()) return report_failure(o, hub.status());
  std::mutex hub_mutex;
  const bool rebuild = a.action == "rebuild";
  auto index = search::Index::open_writable((*hub)->layout().index(), rebuild);
  if (!index.is_ok()) return report_failure(o, index.status());
  if (rebuild) {
    std::unique_ptr<Progress> bar;
    auto report =
        collection::rebuild_index(**hub, hub_mutex, **index, [&](std::int64_t, std::int64_t of) {
          if (!bar) {
            bar = std::make_unique<Progress>(!o.json && stderr_is_terminal(),
                                             static_cast<std::uint64_t>(of), "indexed");
          }
          bar->advance(0);
        });
    if (bar) bar->clear();
    if (!report.is_ok()) return report_failure(o, report.status());
    if (o.json) {
      std::cout << json{{"domains", report->domains}, {"indexed", report->indexed}}.dump() << "\n";
    } else {
      std::cout << fmt::format("indexed {} texts of {} key domains\n", report->indexed,
                               report->domains);
    }
    return 0;
  }
  auto check = collection::check_index(**hub, hub_mutex, **index);
  if (!check.is_ok()) return report_failure(o, check.status());
  if (o.json) {
    std::cout << json{{"ok", check->ok()},         {"expected", check->expected},
                      {"missing", check->missing}, {"stale", check->stale},
                      {"extra", check->extra},     {"events_behind", check->behind}}
                     .dump()
              << "\n";
  } else {
    std::cout << fmt::format(
        "{} texts should be indexed; {} missing, {} stale, {} no longer in "
        "the hub; {} custody events not yet followed\n",
        check->expected, check->missing.size(), check->stale.size(), check->extra.size(),
        check->behind);
    for (const auto& id : check->missing) std::cout << "missing " << id << "\n";
    for (const auto& id : check->stale) std::cout << "stale   " << id << "\n";
    for (const auto& id : check->extra) std::cout << "extra   " << id << "\n";
    if (!check->ok()) std::cout << "run `evhub index rebuild` (or let evhub serve catch up)\n";
  }
  return check->ok() ? 0 : exit_code_for(Code::kIntegrity);
}

}  // namespace

void register_search_commands(CLI::App& app, Options&) {
  SearchArgs& a = args();
  auto* search = app.add_subcommand(
      "search", "search every text the hub holds (query language: docs/search.md)");
  search->add_option("query", a.query, "e.g. 'Akrestsina date:2020-08 type:transcript'")
      ->required();
  search->add_option("--as", a.as_user, "see only what this user may see through the API");
  search->add_option("--shard", a.shards,
                     "search these indexes instead (directories or tcp://HOST:PORT of "
                     "xapian-tcpsrv); repeat for several");
  search->add_option("--offset", a.offset, "skip this many hits");
  search->add_option("--limit", a.limit, "show at most this many hits (default 10)");
  search->add_option("--sort", a.sort, "relevance (default), newest or oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  auto* index = app.add_subcommand("index", "the search index: rebuild it, or check it");
  index->add_option("action", a.action, "rebuild (from the hub, with progress) or check")
      ->required()
      ->check(CLI::IsMember({"rebuild", "check"}));
}

int run_search_command(CLI::App& app, const Options& o) {
  if (app.got_subcommand("search")) return cmd_search(o);
  return cmd_index(o);
}

}  // namespace evhub::cli
