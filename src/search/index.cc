#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "search/names.h"
#include "search/query.h"
#include "search/search.h"
#include "search/segmented_build.h"
#include "search/snippet.h"
#include "search/terms.h"
#include "search/text.h"
#include "search/write_queue.h"
#include "search/xapian_status.h"

namespace evhub::search {

using nlohmann::json;

namespace {

// Broad queries stop counting exactly after this many matches: totals are then Xapian's
// estimates and facets are scaled up from the matches examined (SearchResults::total_exact
// says so). Security is unaffected: the scopes are part of the query, so whatever is counted
// is visible to the reader.
constexpr auto kCheckAtLeast = static_cast<Xapian::doccount>(kExactCountLimit);
// Name queries re-rank this many of the best hits by how close the spellings are.
constexpr Xapian::doccount kRerankDepth = 100;
constexpr std::size_t kFacetValues = 20;
constexpr std::size_t kSnippetBytes = 240;
constexpr int kGroupSnippets = 3;

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string upper_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// The terms of a facility, place or person: the name key of each word (numbers as written).
void add_keyed_terms(Xapian::Document& doc, const char* prefix, const std::string& value) {
  for (const Token& t : tokenize(value)) {
    const std::string key =
        t.letters ? name_forms(std::string_view(value).substr(t.begin, t.end - t.begin)).key : "";
    doc.add_boolean_term(prefix + (key.empty() ? "#" + t.word : key));
  }
}

// A multi-valued facet in one slot, the values joined by kFacetSeparator (which is taken out of
// them): one ValueCountMatchSpy counts the joined strings, and the counts are split afterwards.
void add_facet_values(Xapian::Document& doc, Xapian::valueno slot,
                      const std::vector<std::string>& values) {
  std::set<std::string> seen;
  std::string joined;
  for (std::string v : values) {
    v.erase(std::remove(v.begin(), v.end(), terms::kFacetSeparator), v.end());
    if (v.empty() || !seen.insert(v).second) continue;
    if (!joined.empty()) joined += terms::kFacetSeparator;
    joined += v;
  }
  if (!joined.empty()) doc.add_value(slot, joined);
}

void index_text(Xapian::Document& doc, const std::string& text) {
  Xapian::termpos pos = 0;
  std::set<std::string> forms;  // "key:latin" of the capitalised words, for re-ranking
  for (const Token& t : tokenize(text)) {
    doc.add_posting(t.word, ++pos);
    const std::string stem = stem_word(t.word);
    if (!stem.empty()) doc.add_term(terms::kStem + stem);
    if (t.capitalised && t.letters) {
      const NameForms name = name_forms(std::string_view(text).substr(t.begin, t.end - t.begin));
      if (!name.key.empty()) {
        // With the word's position: a name of several words is matched by proximity.
        doc.add_posting(terms::kNameKey + name.key, pos);
        forms.insert(name.key + ":" + name.latin);
      }
    }
  }
  std::string joined;
  for (const auto& f : forms) {
    if (!joined.empty()) joined += terms::kFacetSeparator;
    joined += f;
  }
  if (!joined.empty()) doc.add_value(terms::kNameFormsSlot, joined);
}

// The date buckets of an item's date (docs/search.md): "2020" for a year alone; "2020-08" and
// "2020-08-" for a month without its day; "2020-08" and "2020-08-10" for a day.
std::vector<std::string> date_buckets(const std::string& date) {
  if (date.size() == 4) return {date};
  if (date.size() == 7) return {date, date + "-"};
  if (date.size() == 10) return {date.substr(0, 7), date};
  return {};
}

// The values of a boolean prefix the index holds (organisations, sensitivities): a handful.
std::set<std::string> present(const Xapian::Database& db, const std::string& prefix) {
  std::set<std::string> out;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    out.insert((*t).substr(prefix.size()));
  }
  return out;
}

// What the reader may see, as a query: the OR, per scope, of its organisation AND one of its
// sensitivities (less testimony where it is not theirs). Parts that would leave nothing out in
// this index are dropped — a scope with every sensitivity the index holds needs no
// sensitivity test, and scopes over every organisation the index holds need no filter at all —
// since every match pays for the filter's postings.
Xapian::Query scope_filter(const Xapian::Database& db, const std::vector<Scope>& scopes) {
  const std::set<std::string> sensitivities = present(db, terms::kSensitivity);
  const std::set<std::string> organisations = present(db, terms::kOrganisation);
  std::vector<Xapian::Query> any;
  std::set<std::string> whole;  // organisations the reader sees entirely
  for (const Scope& s : scopes) {
    if (s.organisation_id.empty() || s.sensitivities.empty()) continue;
    const std::set<std::string> theirs(s.sensitivities.begin(), s.sensitivities.end());
    const bool every_sensitivity =
        std::includes(theirs.begin(), theirs.end(), sensitivities.begin(), sensitivities.end());
    Xapian::Query scope(terms::kOrganisation + s.organisation_id);
    if (!every_sensitivity) {
      std::vector<Xapian::Query> sens;
      for (const auto& v : s.sensitivities) sens.emplace_back(terms::kSensitivity + v);
      scope = Xapian::Query(Xapian::Query::OP_AND, scope,
                            Xapian::Query(Xapian::Query::OP_OR, sens.begin(), sens.end()));
    }
    if (!s.witness_material) {
      scope =
          Xapian::Query(Xapian::Query::OP_AND_NOT, scope, Xapian::Query(terms::kWitnessMaterial));
    }
    if (every_sensitivity && s.witness_material) whole.insert(s.organisation_id);
    any.push_back(std::move(scope));
  }
  if (any.empty()) return Xapian::Query::MatchNothing;
  if (std::includes(whole.begin(), whole.end(), organisations.begin(), organisations.end())) {
    return Xapian::Query::MatchAll;
  }
  return Xapian::Query(Xapian::Query::OP_OR, any.begin(), any.end());
}

Hit hit_of(const Xapian::Document& doc, double score) {
  Hit h;
  const json d = json::parse(doc.get_data(), nullptr, false);
  if (d.is_object()) {
    h.id = d.value("id", "");
    h.type = d.value("type", "");
    h.language = d.value("language", "");
    h.organisation_id = d.value("organisation_id", "");
    h.witness = d.value("witness", "");
    h.date = d.value("date", "");
    h.title = d.value("title", "");
    h.open = d.value("open", "");
    h.group = d.value("group", "");
  }
  h.score = score;
  return h;
}

}  // namespace

struct Index::Impl {
  std::mutex mu;  // the database: one thread at a time
  bool writable = false;
  std::string dir;
  std::optional<Xapian::WritableDatabase> writer;
  Xapian::Database db;
  // Items are written by a thread of their own while the callers build the next documents.
  // Every other operation drains the queue first, so it sees every item put before it.
  std::unique_ptr<WriteQueue> queue;
  // A rebuild in progress (open_writable with `empty`) until commit.
  std::unique_ptr<SegmentedBuild> build;

  Status drain() {
    if (build) return build->drain();
    return queue ? queue->drain() : Status::ok();
  }
  Status readable() const {
    if (!build) return Status::ok();
    return Status(Code::kFailedPrecondition,
                  "the index is being rebuilt: it can be read once the rebuild is committed");
  }

  Status open_writer() {
    try {
      writer.emplace(dir, Xapian::DB_CREATE_OR_OPEN);
    } catch (const Xapian::Error& e) {
      return xapian_error("cannot open the search index in " + dir, e);
    }
    db = *writer;
    queue = std::make_unique<WriteQueue>([this](PendingDocument& p) { return write(p); });
    return Status::ok();
  }

  Status write(PendingDocument& p) {
    std::lock_guard lock(mu);
    try {
      // The revision the next commit makes: a search that saw revision R has seen every item
      // added at R or before. A replaced item keeps its mark: it is not new to saved searches.
      std::string added = Xapian::sortable_serialise(
          static_cast<double>(mark_base(*writer) + writer->get_revision() + 1));
      Xapian::PostingIterator it = writer->postlist_begin(p.id_term);
      if (it != writer->postlist_end(p.id_term)) {
        const std::string old = writer->get_document(*it).get_value(terms::kAddedSlot);
        if (!old.empty()) added = old;
      }
      p.doc.add_value(terms::kAddedSlot, added);
      writer->replace_document(p.id_term, p.doc);
    } catch (const Xapian::Error& e) {
      return xapian_error("cannot index " + p.id_term.substr(1), e);
    }
    return Status::ok();
  }

  // A rebuild's commit: the new index replaces the old, and this becomes its writer (opened
  // before the old lock goes, so no other writer slips in between).
  Status finish_build() {
    EVHUB_RETURN_IF_ERROR(build->finish());
    Status st = open_writer();
    build.reset();
    return st;
  }

  Result<SearchResults> search(const SearchRequest& request, const TextLoader& load_text);
  // The revision this reader sees (0 for several shards, which have no single revision: new
  // items of saved searches are then everything).
  std::int64_t revision_mark() {
    try {
      return mark_base(db) + static_cast<std::int64_t>(db.get_revision());
    } catch (const Xapian::InvalidOperationError&) {
      return 0;
    }
  }
  // Marks go on across rebuilds: a rebuilt index records where the revisions count on from
  // (saved searches keep their old marks).
  static std::int64_t mark_base(const Xapian::Database& d) {
    const std::string base = d.get_metadata(terms::kMarkBaseKey);
    return base.empty() ? 0 : std::stoll(base);
  }
  void rerank(const ParsedQuery& parsed, std::vector<std::pair<Xapian::docid, double>>& hits);
  std::vector<Snippet> snippets(const Hit& hit, const ParsedQuery& parsed,
                                const Xapian::Query& trim, const TextLoader& load_text);
};

Index::Index(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Index::~Index() = default;

Result<std::unique_ptr<Index>> Index::open_writable(const std::string& dir, bool empty,
                                                    const BuildOptions& build) {
  recover_rebuild(dir);
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->writable = true;
  if (!empty) {
    EVHUB_RETURN_IF_ERROR(impl->open_writer());
    return std::unique_ptr<Index>(new Index(std::move(impl)));
  }
  std::int64_t reached = 0;  // the mark the index being replaced had reached
  try {
    Xapian::Database old(dir);
    reached = Impl::mark_base(old) + static_cast<std::int64_t>(old.get_revision());
  } catch (const Xapian::DatabaseOpeningError&) {
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot read the search index in " + dir, e);
  }
  // Everything a rebuild indexes counts as new once to saved searches (never missed).
  EVHUB_ASSIGN_OR_RETURN(impl->build, SegmentedBuild::start(dir, build, reached + 1));
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

Result<std::unique_ptr<Index>> Index::open_readonly(const std::vector<std::string>& shards) {
  if (shards.empty()) return Status(Code::kInvalidArgument, "no index to search was given");
  auto impl = std::make_unique<Impl>();
  for (const std::string& s : shards) {
    try {
      if (s.rfind("tcp://", 0) == 0) {
        const std::string hostport = s.substr(6);
        const std::size_t colon = hostport.rfind(':');
        if (colon == std::string::npos || colon == 0) {
          return Status(Code::kInvalidArgument, "a remote shard is tcp://HOST:PORT, not " + s);
        }
        const int port = std::atoi(hostport.c_str() + colon + 1);
        if (port <= 0 || port > 65535) {
          return Status(Code::kInvalidArgument, "the port of shard " + s + " is not a port");
        }
        impl->db.add_database(
            Xapian::Remote::open(hostport.substr(0, colon), static_cast<unsigned>(port)));
      } else {
        recover_rebuild(s);
        impl->db.add_database(Xapian::Database(s));
      }
    } catch (const Xapian::DatabaseOpeningError& e) {
      return Status(Code::kNotFound, "there is no search index at " + s +
                                         " (`evhub index rebuild` makes one): " + e.get_msg());
    } catch (const Xapian::Error& e) {
      return xapian_error("cannot open search shard " + s, e);
    }
  }
  return std::unique_ptr<Index>(new Index(std::move(impl)));
}

// The document of an item, all but its addition mark (which needs the index): built on the
// caller's thread, so that tokenising, stemming and name keys run beside the writer.
Xapian::Document make_document(const IndexItem& item) {
  Xapian::Document doc;
  index_text(doc, item.text);
  doc.add_boolean_term(terms::kId + item.id);
  doc.add_boolean_term(terms::kOrganisation + item.organisation_id);
  doc.add_boolean_term(terms::kSensitivity + item.sensitivity);
  if (!item.type.empty()) doc.add_boolean_term(terms::kType + lower_ascii(item.type));
  if (!item.language.empty()) doc.add_boolean_term(terms::kLanguage + lower_ascii(item.language));
  if (!item.witness.empty()) {
    doc.add_boolean_term(terms::kWitness + upper_ascii(item.witness));
    doc.add_boolean_term(terms::kWitnessMaterial);
  }
  if (!item.domain_id.empty()) doc.add_boolean_term(terms::kDomain + item.domain_id);
  if (!item.group.empty()) doc.add_boolean_term(terms::kGroup + item.group);
  const std::string month = item.date.size() >= 7 ? item.date.substr(0, 7) : "";
  for (const std::string& bucket : date_buckets(item.date)) {
    doc.add_boolean_term(terms::kMonth + bucket);
  }
  for (const auto& f : item.facilities) add_keyed_terms(doc, terms::kFacility, f);
  for (const auto& p : item.places) add_keyed_terms(doc, terms::kPlace, p);
  for (const auto& p : item.persons) add_keyed_terms(doc, terms::kPerson, p);
  for (const auto& c : item.codes) doc.add_boolean_term(terms::kCode + lower_ascii(c));

  doc.add_value(terms::kTypeSlot, lower_ascii(item.type));
  doc.add_value(terms::kLanguageSlot, lower_ascii(item.language));
  doc.add_value(terms::kOrganisationSlot, item.organisation_id);
  doc.add_value(terms::kMonthSlot, month);
  doc.add_value(terms::kDateSlot, item.date);
  doc.add_value(terms::kWitnessSlot, upper_ascii(item.witness));
  add_facet_values(doc, terms::kFacilitySlot, item.facilities);
  add_facet_values(doc, terms::kPlaceSlot, item.places);
  std::vector<std::string> codes;
  for (const auto& c : item.codes) codes.push_back(lower_ascii(c));
  add_facet_values(doc, terms::kCodeSlot, codes);
  doc.set_data(json{{"id", item.id},
                    {"type", lower_ascii(item.type)},
                    {"language", lower_ascii(item.language)},
                    {"organisation_id", item.organisation_id},
                    {"domain_id", item.domain_id},
                    {"witness", upper_ascii(item.witness)},
                    {"date", item.date},
                    {"title", item.title},
                    {"open", item.open},
                    {"group", item.group},
                    {"version", item.version}}
                   .dump());
  return doc;
}

Status Index::put(const IndexItem& item) {
  if (item.id.empty()) return Status(Code::kInvalidArgument, "an index item needs an id");
  if (!impl_->writable) return Status(Code::kFailedPrecondition, "the index is open read-only");
  Xapian::Document doc;
  try {
    doc = make_document(item);
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot index " + item.id, e);
  }
  PendingDocument p{terms::kId + item.id, std::move(doc)};
  if (impl_->build) return impl_->build->put(std::move(p));
  return impl_->queue->push(std::move(p));
}

Status Index::remove(const std::string& id) {
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  if (!impl_->writable) return Status(Code::kFailedPrecondition, "the index is open read-only");
  if (impl_->build) return impl_->build->remove_term(terms::kId + id).status();
  try {
    impl_->writer->delete_document(terms::kId + id);
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot remove " + id + " from the index", e);
  }
  return Status::ok();
}

Result<std::int64_t> Index::remove_domain(const std::string& domain_id) {
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  if (!impl_->writable) return Status(Code::kFailedPrecondition, "the index is open read-only");
  if (impl_->build) return impl_->build->remove_term(terms::kDomain + domain_id);
  try {
    const std::string term = terms::kDomain + domain_id;
    const auto count = static_cast<std::int64_t>(impl_->writer->get_termfreq(term));
    impl_->writer->delete_document(term);
    return count;
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot remove a key domain's items from the index", e);
  }
}

Status Index::commit() {
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  if (!impl_->writable) return Status::ok();
  if (impl_->build) return impl_->finish_build();
  try {
    impl_->writer->commit();
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot commit the search index", e);
  }
  return Status::ok();
}

Result<std::string> Index::metadata(const std::string& key) {
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  if (impl_->build) return impl_->build->metadata(key);
  try {
    return impl_->db.get_metadata(key);
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot read the index's metadata", e);
  }
}

Status Index::set_metadata(const std::string& key, const std::string& value) {
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  if (!impl_->writable) return Status(Code::kFailedPrecondition, "the index is open read-only");
  if (impl_->build) {
    impl_->build->set_metadata(key, value);
    return Status::ok();
  }
  try {
    impl_->writer->set_metadata(key, value);
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot write the index's metadata", e);
  }
  return Status::ok();
}

Result<std::vector<IndexEntry>> Index::entries(const std::string& domain_id) {
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  EVHUB_RETURN_IF_ERROR(impl_->readable());
  std::vector<IndexEntry> out;
  try {
    if (!impl_->writable) impl_->db.reopen();
    const std::string term = domain_id.empty() ? "" : terms::kDomain + domain_id;
    for (auto it = impl_->db.postlist_begin(term); it != impl_->db.postlist_end(term); ++it) {
      const json d = json::parse(impl_->db.get_document(*it).get_data(), nullptr, false);
      if (!d.is_object()) continue;
      out.push_back({d.value("id", ""), d.value("version", ""), d.value("domain_id", "")});
    }
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot list the index", e);
  }
  return out;
}

Result<std::int64_t> Index::size() {
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  EVHUB_RETURN_IF_ERROR(impl_->readable());
  try {
    if (!impl_->writable) impl_->db.reopen();
    return static_cast<std::int64_t>(impl_->db.get_doccount());
  } catch (const Xapian::Error& e) {
    return xapian_error("cannot read the index", e);
  }
}

Result<SearchResults> Index::search(const SearchRequest& request, const TextLoader& load_text) {
  if (request.offset < 0 || request.limit < 0 || request.limit > 1000) {
    return Status(Code::kInvalidArgument, "offset must be 0 or more and limit 0 to 1000");
  }
  EVHUB_RETURN_IF_ERROR(impl_->drain());
  std::lock_guard lock(impl_->mu);
  EVHUB_RETURN_IF_ERROR(impl_->readable());
  try {
    if (!impl_->writable) impl_->db.reopen();  // see what writers committed since
    return impl_->search(request, load_text);
  } catch (const Xapian::QueryParserError& e) {
    return Status(Code::kInvalidArgument, e.get_msg());
  } catch (const Xapian::Error& e) {
    return xapian_error("the search failed", e);
  }
}

void Index::Impl::rerank(const ParsedQuery& parsed,
                         std::vector<std::pair<Xapian::docid, double>>& hits) {
  std::map<std::string, std::vector<std::string>> wanted;  // key -> query latin forms
  for (const auto& [key, latin] : parsed.names) wanted[key].push_back(latin);
  for (auto& [docid, score] : hits) {
    // The document's "key:latin" forms, joined, in a value slot (cheaper to read than terms).
    const std::string forms =
        db.get_document(docid, Xapian::DOC_ASSUME_VALID).get_value(terms::kNameFormsSlot);
    double penalty = 0;
    for (const auto& [key, latins] : wanted) {
      double best = 1;
      const std::string prefix = key + ":";
      for (std::size_t at = forms.find(prefix); at != std::string::npos;
           at = forms.find(prefix, at + 1)) {
        if (at != 0 && forms[at - 1] != terms::kFacetSeparator) continue;
        const std::size_t from = at + prefix.size();
        std::size_t to = forms.find(terms::kFacetSeparator, from);
        if (to == std::string::npos) to = forms.size();
        const std::string_view doc_latin(forms.data() + from, to - from);
        for (const auto& l : latins) best = std::min(best, name_distance(l, doc_latin));
      }
      penalty += best;
    }
    score *= 1.0 - 0.5 * penalty / static_cast<double>(wanted.size());
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
}

std::vector<Snippet> Index::Impl::snippets(const Hit& hit, const ParsedQuery& parsed,
                                           const Xapian::Query& trim, const TextLoader& load_text) {
  std::vector<Snippet> out;
  auto add = [&](const Hit& h) {
    auto text = load_text(h.id);
    if (!text.is_ok()) return;
    out.push_back({h.id, h.type, h.language, snippet_html(*text, parsed, kSnippetBytes)});
  };
  add(hit);
  if (hit.group.empty() || !parsed.has_words) return out;
  // Other texts of the same source (the original, its translations) that the reader may see,
  // shown when the query's words are in them too (filters such as lang: apply to hits only).
  Xapian::Enquire related(db);
  related.set_query(Xapian::Query(
      Xapian::Query::OP_AND_NOT,
      Xapian::Query(Xapian::Query::OP_AND, trim, Xapian::Query(terms::kGroup + hit.group)),
      Xapian::Query(terms::kId + hit.id)));
  Xapian::MSet m = related.get_mset(0, kGroupSnippets);
  for (auto it = m.begin(); it != m.end(); ++it) {
    const Hit other = hit_of(it.get_document(), 0);
    auto text = load_text(other.id);
    if (!text.is_ok()) continue;
    std::string html = snippet_html(*text, parsed, kSnippetBytes);
    if (html.find("<mark>") == std::string::npos) continue;
    out.push_back({other.id, other.type, other.language, std::move(html)});
  }
  return out;
}

Result<SearchResults> Index::Impl::search(const SearchRequest& request,
                                          const TextLoader& load_text) {
  std::vector<std::string> buckets;
  if (lower_ascii(request.query).find("date:") != std::string::npos) {
    const std::set<std::string> present_buckets = present(db, terms::kMonth);
    buckets.assign(present_buckets.begin(), present_buckets.end());
  }
  EVHUB_ASSIGN_OR_RETURN(ParsedQuery parsed, parse_query(request.query, buckets));
  const Xapian::Query trim = scope_filter(db, request.scopes);
  Xapian::Query q(Xapian::Query::OP_FILTER, parsed.query, trim);
  if (request.added_after > 0) {
    q = Xapian::Query(
        Xapian::Query::OP_FILTER, q,
        Xapian::Query(Xapian::Query::OP_VALUE_GE, terms::kAddedSlot,
                      Xapian::sortable_serialise(static_cast<double>(request.added_after + 1))));
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  const bool by_relevance = request.sort == SortOrder::kRelevance && parsed.has_words;
  if (request.sort == SortOrder::kNewest) {
    enquire.set_sort_by_value_then_relevance(terms::kDateSlot, true);
  } else if (request.sort == SortOrder::kOldest) {
    enquire.set_sort_by_value_then_relevance(terms::kDateSlot, false);
  } else if (!parsed.has_words) {
    enquire.set_sort_by_value_then_relevance(terms::kAddedSlot, true);  // filters only: newest
  }
  // One spy per facet; multi-valued facets hold their values joined in one slot.
  const std::vector<std::pair<std::string, Xapian::valueno>> facets = {
      {"type", terms::kTypeSlot},
      {"language", terms::kLanguageSlot},
      {"organisation", terms::kOrganisationSlot},
      {"month", terms::kMonthSlot},
      {"facility", terms::kFacilitySlot},
      {"place", terms::kPlaceSlot},
      {"code", terms::kCodeSlot}};
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  if (request.facets) {
    for (const auto& f : facets) {
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(f.second));
      enquire.add_matchspy(spies.back().get());
    }
  }
  const auto offset = static_cast<Xapian::doccount>(request.offset);
  const auto limit = static_cast<Xapian::doccount>(request.limit);
  const bool rerank = by_relevance && !parsed.names.empty() && offset + limit <= kRerankDepth;
  const Xapian::doccount first = rerank ? 0 : offset;
  const Xapian::doccount count = rerank ? kRerankDepth : limit;
  Xapian::MSet mset = enquire.get_mset(first, count, kCheckAtLeast);

  SearchResults out;
  out.total = static_cast<std::int64_t>(mset.get_matches_estimated());
  out.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  // Xapian may know a total exactly (one term's frequency) without having examined every
  // match: the facets are then still counted over part of them.
  const double examined = spies.empty() ? 0 : static_cast<double>(spies[0]->get_total());
  if (!spies.empty() && examined < static_cast<double>(out.total)) out.total_exact = false;
  out.mark = revision_mark();
  std::vector<std::pair<Xapian::docid, double>> ranked;
  for (auto it = mset.begin(); it != mset.end(); ++it) ranked.emplace_back(*it, it.get_weight());
  if (rerank) {
    this->rerank(parsed, ranked);
    ranked.erase(ranked.begin(), ranked.begin() + std::min<std::ptrdiff_t>(
                                                      static_cast<std::ptrdiff_t>(offset),
                                                      static_cast<std::ptrdiff_t>(ranked.size())));
    if (ranked.size() > limit) ranked.resize(limit);
  }
  for (const auto& [docid, score] : ranked) {
    Hit h = hit_of(db.get_document(docid), score);
    if (request.snippets && load_text) h.snippets = snippets(h, parsed, trim, load_text);
    out.hits.push_back(std::move(h));
  }
  for (std::size_t spy = 0; spy < spies.size(); ++spy) {
    const auto& f = facets[spy];
    // Counted over the matches examined; when those are not all, scaled to the total.
    const double scale =
        out.total_exact || examined == 0 ? 1.0 : static_cast<double>(out.total) / examined;
    std::map<std::string, std::int64_t> counts;
    for (auto v = spies[spy]->values_begin(); v != spies[spy]->values_end(); ++v) {
      const std::string joined = *v;
      const auto n = std::max<std::int64_t>(
          1, std::llround(static_cast<double>(v.get_termfreq()) * std::max(1.0, scale)));
      for (std::size_t from = 0; from <= joined.size();) {
        std::size_t to = joined.find(terms::kFacetSeparator, from);
        if (to == std::string::npos) to = joined.size();
        if (to > from) counts[joined.substr(from, to - from)] += n;
        from = to + 1;
      }
    }
    std::vector<FacetValue> values;
    for (const auto& [value, n] : counts) values.push_back({value, n});
    std::stable_sort(values.begin(), values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
    if (values.size() > kFacetValues) values.resize(kFacetValues);
    out.facets[f.first] = std::move(values);
  }
  return out;
}

}  // namespace evhub::search
