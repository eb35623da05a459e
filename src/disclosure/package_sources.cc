#include "disclosure/package_sources.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>

namespace evhub::disclosure {

namespace {

using nlohmann::json;

bool has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// What people call a kind of bytes, for descriptions.
std::string kind_of_media(const std::string& media_type) {
  if (media_type == "application/pdf") return "PDF";
  if (media_type.rfind("text/", 0) == 0) return "text";
  if (media_type.rfind("image/", 0) == 0) return "image";
  if (media_type.rfind("video/", 0) == 0) return "video";
  if (media_type.rfind("audio/", 0) == 0) return "audio";
  if (media_type.find("wordprocessingml") != std::string::npos) return "DOCX";
  return "file";
}

std::string document_kind(const std::string& kind) {
  if (kind == "medical") return "Medical document";
  if (kind == "court") return "Court document";
  if (kind == "official") return "Official document";
  if (kind == "photo") return "Photograph";
  if (kind == "video") return "Video";
  if (kind == "audio") return "Audio recording";
  return "Document";
}

std::string dated(const std::string& text, const std::string& date) {
  return date.empty() ? text : fmt::format("{} ({})", text, date);
}

json parameters_of(const catalog::ObjectRecord& r) {
  json p = json::parse(r.tool_parameters.value_or("{}"), nullptr, false);
  return p.is_object() ? p : json::object();
}

// A field of a tool's parameters, or the fallback when it is missing or of another type (a
// translator run by the operator's own command writes what it writes).
std::string text_of(const json& p, const char* key) {
  auto it = p.find(key);
  return it != p.end() && it->is_string() ? it->get<std::string>() : "";
}
bool flag_of(const json& p, const char* key) {
  auto it = p.find(key);
  return it != p.end() && it->is_boolean() && it->get<bool>();
}
int number_of(const json& p, const char* key) {
  auto it = p.find(key);
  return it != p.end() && it->is_number_integer() ? it->get<int>() : 0;
}

// YYYY, YYYY-MM or YYYY-MM-DD (digits where digits go).
bool is_partial_date(const std::string& d) {
  if (d.size() != 4 && d.size() != 7 && d.size() != 10) return false;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return false;
  }
  return true;
}

// Whether a passage dated `date` falls within [from, to], compared at each bound's precision.
bool within(const std::string& date, const std::string& from, const std::string& to) {
  if (from.empty() && to.empty()) return true;
  if (date.empty()) return false;
  if (!from.empty() && date.substr(0, from.size()) < from) return false;
  if (!to.empty() && date.substr(0, to.size()) > to) return false;
  return true;
}

}  // namespace

std::string incident_folder(const std::string& incident_id) {
  const std::string hex = incident_id.rfind("in-", 0) == 0 ? incident_id.substr(3) : incident_id;
  return "INC-" + hex.substr(0, 8);
}

void append_unique(std::vector<ItemSource>& into, const std::vector<ItemSource>& more) {
  std::set<std::string> held;
  for (const auto& i : into) held.insert(i.object_id);
  for (const auto& i : more) {
    if (held.insert(i.object_id).second) into.push_back(i);
  }
}

struct PackageSources::Impl {
  hub::Hub& hub;
  collection::Collection& witnesses;
  std::vector<catalog::ReadScope> reads;

  // What the register says of one key domain's objects, read once per domain.
  struct DomainContext {
    bool is_witness = false;
    std::map<std::string, std::string> described;  // object -> description
  };
  std::map<std::string, DomainContext> contexts;

  bool reads_organisation(const std::string& organisation_id) const {
    return std::any_of(reads.begin(), reads.end(), [&](const catalog::ReadScope& s) {
      return s.organisation_id == organisation_id;
    });
  }
  bool may_read(const std::optional<std::string>& organisation_id,
                const std::string& sensitivity) const {
    if (!organisation_id) return false;
    return std::any_of(reads.begin(), reads.end(), [&](const catalog::ReadScope& s) {
      return s.organisation_id == *organisation_id && has(s.sensitivities, sensitivity);
    });
  }

  // The witness's interviews in the order they took place (then by id).
  Result<std::vector<collection::Interview>> interviews_in_order(const std::string& code) {
    EVHUB_ASSIGN_OR_RETURN(auto interviews, witnesses.interviews(code));
    std::stable_sort(interviews.begin(), interviews.end(), [](const auto& a, const auto& b) {
      return std::tie(a.on, a.id) < std::tie(b.on, b.id);
    });
    return interviews;
  }
  Result<std::vector<collection::WitnessDocument>> documents_in_order(const std::string& code) {
    EVHUB_ASSIGN_OR_RETURN(auto documents, witnesses.documents(code));
    std::stable_sort(documents.begin(), documents.end(), [](const auto& a, const auto& b) {
      return std::tie(a.date, a.object_id) < std::tie(b.date, b.object_id);
    });
    return documents;
  }

  Result<DomainContext*> context(const std::string& domain) {
    auto found = contexts.find(domain);
    if (found != contexts.end()) return &found->second;
    DomainContext ctx;
    EVHUB_ASSIGN_OR_RETURN(auto w, witnesses.witness(domain));
    if (w && !w->erased) {
      ctx.is_witness = true;
      EVHUB_ASSIGN_OR_RETURN(auto interviews, interviews_in_order(domain));
      for (std::size_t n = 0; n < interviews.size(); ++n) {
        const auto& iv = interviews[n];
        const std::string of = fmt::format("interview {} of {}", n + 1, domain);
        if (!iv.transcript.empty()) {
          ctx.described[iv.transcript] = dated("Transcript of " + of, iv.on);
        }
        for (std::size_t k = 0; k < iv.recordings.size(); ++k) {
          const std::string which =
              iv.recordings.size() == 1 ? "Recording" : fmt::format("Recording {}", k + 1);
          ctx.described.emplace(iv.recordings[k], dated(which + " of " + of, iv.on));
        }
        for (const auto& t : iv.translations) {
          auto object = hub.describe(t);
          const std::string to = object.is_ok() ? text_of(parameters_of(object->record), "to") : "";
          ctx.described.emplace(t, dated(to.empty() ? "Translation of " + of
                                                    : fmt::format("Translation ({}) of {}", to, of),
                                         iv.on));
        }
      }
      EVHUB_ASSIGN_OR_RETURN(auto documents, documents_in_order(domain));
      for (const auto& d : documents) {
        // The document's own description stays out: it may name people.
        ctx.described.emplace(
            d.object_id, dated(fmt::format("{} from {}", document_kind(d.kind), domain), d.date));
      }
    }
    return &contexts.emplace(domain, std::move(ctx)).first->second;
  }

  // What the index should say an object is, from the register and its provenance.
  Result<std::string> describe(const hub::ListedObject& o, int depth = 0) {
    EVHUB_ASSIGN_OR_RETURN(DomainContext * ctx, context(o.domain));
    if (auto known = ctx->described.find(o.record.id); known != ctx->described.end()) {
      return known->second;
    }
    const catalog::ObjectRecord& r = o.record;
    const std::string tool = r.tool.value_or("");
    if (tool == coding::kSummaryExportTool) {
      return fmt::format("Witness summary of {} (v{}, {})", o.domain,
                         number_of(parameters_of(r), "version"), kind_of_media(r.media_type));
    }
    if (r.derived_from && depth < 8) {
      auto source = hub.describe(*r.derived_from);
      if (source.is_ok()) {
        EVHUB_ASSIGN_OR_RETURN(std::string of, describe(*source, depth + 1));
        const std::string to = text_of(parameters_of(r), "to");
        if (!to.empty()) return fmt::format("Translation ({}) of: {}", to, of);
        if (tool.find("tesseract") != std::string::npos) return "Text recognised (OCR) in: " + of;
        if (r.media_type.rfind("text/plain", 0) == 0 && tool.find("redact") == std::string::npos) {
          return "Text extracted from: " + of;
        }
        std::string kind = kind_of_media(r.media_type);
        kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
        return fmt::format("{} made from: {}", kind, of);
      }
    }
    const std::string what = fmt::format("{} {}", kind_of_media(r.media_type), r.id.substr(0, 8));
    std::string text =
        ctx->is_witness ? fmt::format("Material of {}: {}", o.domain, what) : "Material: " + what;
    return text;
  }

  // Collects items, each object once, counting what is left out.
  struct Collector {
    SourceItems out;
    std::set<std::string> seen;
  };

  enum class Admission { kAdmitted, kWithheld, kErased };

  // Whether the caller may have the object as an item: evidence (no module's record), not
  // erased, and within their read scopes (and `extra` when given).
  Result<Admission> admission(const hub::ListedObject& o,
                              const std::vector<catalog::ReadScope>* extra = nullptr) {
    if (o.erased) return Admission::kErased;
    if (o.record.record) return Admission::kWithheld;
    if (!may_read(o.organisation_id, o.record.sensitivity)) return Admission::kWithheld;
    if (extra) {
      const bool inside = std::any_of(extra->begin(), extra->end(), [&](const auto& s) {
        return o.organisation_id && s.organisation_id == *o.organisation_id &&
               has(s.sensitivities, o.record.sensitivity);
      });
      if (!inside) return Admission::kWithheld;
    }
    return Admission::kAdmitted;
  }

  // Adds object `id` (described from the register unless `description` is given, with
  // `suffix` after it), in `folder` (its witness's code when empty and it is a witness's).
  Status add(Collector& c, const std::string& id, std::string folder,
             const std::string& description = "", const std::string& suffix = "",
             const std::vector<catalog::ReadScope>* extra = nullptr) {
    if (id.empty() || c.seen.count(id)) return Status::ok();
    auto found = hub.describe(id);
    if (!found.is_ok() && found.status().code() == Code::kNotFound) {
      c.seen.insert(id);
      ++c.out.erased;  // named by a record but gone from the catalog: nothing to deliver
      return Status::ok();
    }
    EVHUB_RETURN_IF_ERROR(found.status());
    c.seen.insert(id);
    EVHUB_ASSIGN_OR_RETURN(Admission a, admission(*found, extra));
    if (a == Admission::kErased) {
      ++c.out.erased;
      return Status::ok();
    }
    if (a == Admission::kWithheld) {
      ++c.out.withheld;
      return Status::ok();
    }
    EVHUB_ASSIGN_OR_RETURN(DomainContext * ctx, context(found->domain));
    if (folder.empty() && ctx->is_witness) folder = found->domain;
    ItemSource item;
    item.object_id = id;
    item.folder = std::move(folder);
    if (description.empty()) {
      EVHUB_ASSIGN_OR_RETURN(item.description, describe(*found));
    } else {
      item.description = description;
    }
    item.description += suffix;
    c.out.items.push_back(std::move(item));
    return Status::ok();
  }

  Result<SourceItems> run_search(search::Index& index, const std::string& query,
                                 const std::vector<search::Scope>& scopes) {
    // The index's scopes as read scopes: what the search may show is also what may be taken.
    std::vector<catalog::ReadScope> searched;
    std::set<std::string> no_testimony;
    for (const auto& s : scopes) {
      searched.push_back({s.organisation_id, s.sensitivities});
      if (!s.witness_material) no_testimony.insert(s.organisation_id);
    }
    search::SearchRequest r;
    r.query = query;
    r.scopes = scopes;
    r.limit = 500;
    r.sort = search::SortOrder::kOldest;
    r.facets = false;
    r.snippets = false;
    const search::TextLoader no_text = [](const std::string&) -> Result<std::string> {
      return Status(Code::kNotFound, "no snippets");
    };
    Collector c;
    for (;;) {
      EVHUB_ASSIGN_OR_RETURN(auto found, index.search(r, no_text));
      if (found.total > kMaxSearchItems) {
        return Status(Code::kInvalidArgument,
                      fmt::format("the query finds {} texts, more than the {} a package takes "
                                  "from one search: narrow it",
                                  found.total, kMaxSearchItems));
      }
      for (const auto& hit : found.hits) {
        // The object the text is of: a transcript, the document a text was extracted from or
        // translated, the object a coded passage or a document's description is on.
        std::string object = hit.group.empty() ? hit.id : hit.group;
        if (const auto colon = object.find(':'); colon != std::string::npos) {
          object = object.substr(colon + 1);
        }
        if (!hit.witness.empty() && no_testimony.count(hit.organisation_id)) continue;
        EVHUB_RETURN_IF_ERROR(add(c, object, "", "", "", &searched));
      }
      r.offset += static_cast<int>(found.hits.size());
      if (found.hits.empty() || r.offset >= found.total) break;
    }
    return std::move(c.out);
  }
};

PackageSources::PackageSources(hub::Hub& hub, collection::Collection& witnesses,
                               std::vector<catalog::ReadScope> reads)
    : impl_(new Impl{hub, witnesses, std::move(reads), {}}) {}

PackageSources::~PackageSources() = default;

Result<SourceItems> PackageSources::incident(coding::IncidentStore& incidents,
                                             const std::string& incident_id) {
  EVHUB_ASSIGN_OR_RETURN(auto found, incidents.get(incident_id));
  if (!found || !impl_->reads_organisation(found->organisation_id)) {
    return Status(Code::kNotFound, "there is no incident " + incident_id);
  }
  if (found->removed) {
    return Status(Code::kFailedPrecondition,
                  "incident " + incident_id + " was removed: its material is not offered");
  }
  Impl::Collector c;
  const std::string folder = incident_folder(found->id);
  for (const auto& e : found->evidence) {
    if (e.erased) {
      if (!e.object_id.empty() && c.seen.insert(e.object_id).second) ++c.out.erased;
      continue;
    }
    EVHUB_RETURN_IF_ERROR(
        impl_->add(c, e.object_id, folder, "",
                   e.role == "contradicts" ? " (cited as contradicting the incident)" : ""));
  }
  return std::move(c.out);
}

Result<SourceItems> PackageSources::witness(const std::string& code) {
  EVHUB_ASSIGN_OR_RETURN(auto w, impl_->witnesses.witness(code));
  if (!w || !impl_->reads_organisation(w->organisation_id)) {
    return Status(Code::kNotFound, "there is no witness " + code);
  }
  if (w->erased) {
    return Status(Code::kErased, fmt::format("witness {} was erased on {}: nothing of theirs "
                                             "is left to disclose",
                                             code, w->erased_at));
  }
  Impl::Collector c;
  EVHUB_ASSIGN_OR_RETURN(auto interviews, impl_->interviews_in_order(code));
  for (const auto& iv : interviews) {
    EVHUB_RETURN_IF_ERROR(impl_->add(c, iv.transcript, code));
    for (const auto& r : iv.recordings) EVHUB_RETURN_IF_ERROR(impl_->add(c, r, code));
    for (const auto& t : iv.translations) EVHUB_RETURN_IF_ERROR(impl_->add(c, t, code));
  }
  EVHUB_ASSIGN_OR_RETURN(auto documents, impl_->documents_in_order(code));
  for (const auto& d : documents) EVHUB_RETURN_IF_ERROR(impl_->add(c, d.object_id, code));
  return std::move(c.out);
}

Result<SourceItems> PackageSources::witness_summary(coding::SummaryStore& summaries,
                                                    const std::string& summary_id,
                                                    bool with_references) {
  EVHUB_ASSIGN_OR_RETURN(auto newest, summaries.get(summary_id));
  if (!newest || !impl_->reads_organisation(newest->organisation_id)) {
    return Status(Code::kNotFound, "there is no witness summary " + summary_id);
  }
  EVHUB_ASSIGN_OR_RETURN(auto exports, summaries.exports(summary_id));
  // The approved, unwatermarked exports of each version; the newest such version wins, and
  // within it the newest export of each format.
  std::map<int, std::map<std::string, std::string>> approved;  // version -> format -> object
  std::map<int, bool> is_approved;
  for (const auto& e : exports) {
    if (!is_approved.count(e.version)) {
      EVHUB_ASSIGN_OR_RETURN(auto v, summaries.get_version(summary_id, e.version));
      is_approved[e.version] = v && v->status == coding::SummaryStatus::kApproved;
    }
    if (!is_approved[e.version]) continue;
    EVHUB_ASSIGN_OR_RETURN(auto object, impl_->hub.describe(e.object_id));
    if (flag_of(parameters_of(object.record), "draft_watermark")) continue;
    approved[e.version][e.format] = e.object_id;
  }
  if (approved.empty()) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("witness summary {} of {} has no export of an approved version: "
                              "have it approved, then export it (evhub summary export {}), "
                              "and add it again",
                              summary_id, newest->witness_code, summary_id));
  }
  const auto& [version, formats] = *approved.rbegin();
  Impl::Collector c;
  const std::string code = newest->witness_code;
  for (const char* format : {"pdf", "docx"}) {
    auto f = formats.find(format);
    if (f == formats.end()) continue;
    std::string upper = format;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EVHUB_RETURN_IF_ERROR(
        impl_->add(c, f->second, code,
                   fmt::format("Witness summary of {} (approved v{}, {})", code, version, upper)));
  }
  if (with_references) {
    EVHUB_ASSIGN_OR_RETURN(auto s, summaries.get_version(summary_id, version));
    if (s) {
      auto cite = [&](const coding::SummaryText& t) -> Status {
        for (const auto& r : t.references) {
          EVHUB_RETURN_IF_ERROR(impl_->add(c, r.object_id, code));
        }
        return Status::ok();
      };
      for (const auto& i : s->incidents) {
        EVHUB_RETURN_IF_ERROR(cite(i.saw));
        EVHUB_RETURN_IF_ERROR(cite(i.suffered));
      }
      EVHUB_RETURN_IF_ERROR(cite(s->perpetrators));
      EVHUB_RETURN_IF_ERROR(cite(s->injuries));
      for (const auto& d : s->documents) EVHUB_RETURN_IF_ERROR(impl_->add(c, d.object_id, code));
    }
  }
  return std::move(c.out);
}

Result<SourceItems> PackageSources::coded_passages(coding::AnnotationStore& annotations,
                                                   const coding::Framework& framework,
                                                   const CodedPassageQuery& query) {
  if (framework.find(query.code) == nullptr) {
    return Status(Code::kNotFound, "the coding framework has no code " + query.code);
  }
  for (const std::string* d : {&query.from, &query.to}) {
    if (!d->empty() && !is_partial_date(*d)) {
      return Status(Code::kInvalidArgument,
                    "a date is YYYY, YYYY-MM or YYYY-MM-DD, not \"" + *d + "\"");
    }
  }
  std::vector<std::string> codes;
  for (const auto& code : framework.codes()) {
    if (code.id == query.code) {
      codes.push_back(code.id);
    } else if (query.narrower_codes) {
      for (const auto* up : framework.path(code.id)) {
        if (up->id == query.code) {
          codes.push_back(code.id);
          break;
        }
      }
    }
  }
  std::vector<std::string> organisations;
  for (const auto& s : impl_->reads) organisations.push_back(s.organisation_id);
  Impl::Collector c;
  if (organisations.empty()) return std::move(c.out);
  EVHUB_ASSIGN_OR_RETURN(auto passages, annotations.with_codes(codes, organisations));
  // A restricted code (sexual violence, health) raises a passage above its object's
  // sensitivity, whichever code it was found by: the caller must be cleared for that too.
  std::vector<std::string> restricted;
  for (const auto& code : framework.codes()) {
    if (coding::sensitivity_of_code(framework, code.id) != "normal") restricted.push_back(code.id);
  }
  std::map<std::string, std::string> raised;  // annotation -> the sensitivity its codes give
  if (!restricted.empty()) {
    EVHUB_ASSIGN_OR_RETURN(auto coded, annotations.with_codes(restricted, organisations));
    for (const auto& p : coded) {
      std::string& s = raised[p.annotation_id];
      s = catalog::stricter_sensitivity(s.empty() ? "normal" : s,
                                        coding::sensitivity_of_code(framework, p.code_id));
    }
  }
  std::vector<const coding::CodedPassage*> kept;
  for (const auto& p : passages) {
    if (!query.facility.empty() && p.facility != query.facility) continue;
    if (!query.place.empty() && p.place != query.place) continue;
    if (!within(p.incident_from, query.from, query.to)) continue;
    std::string sensitivity = p.sensitivity;
    if (auto r = raised.find(p.annotation_id); r != raised.end()) {
      sensitivity = catalog::stricter_sensitivity(sensitivity, r->second);
    }
    // An object with any such passage the caller may not read is withheld as a whole.
    if (!impl_->may_read(p.organisation_id, sensitivity)) {
      if (c.seen.insert(p.object_id).second) ++c.out.withheld;
      continue;
    }
    kept.push_back(&p);
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto* a, const auto* b) {
    return std::tie(a->domain, a->object_id) < std::tie(b->domain, b->object_id);
  });
  for (const auto* p : kept) EVHUB_RETURN_IF_ERROR(impl_->add(c, p->object_id, ""));
  return std::move(c.out);
}

Result<SourceItems> PackageSources::search(search::Index& index, const std::string& query,
                                           const std::vector<search::Scope>& scopes) {
  if (query.empty()) return Status(Code::kInvalidArgument, "give a query");
  return impl_->run_search(index, query, scopes);
}

Result<SourceItems> PackageSources::saved_search(search::Index& index, search::SavedSearches& saved,
                                                 const std::string& user_id,
                                                 std::int64_t saved_search_id,
                                                 const std::vector<search::Scope>& scopes) {
  EVHUB_ASSIGN_OR_RETURN(auto s, saved.find(user_id, saved_search_id));
  return impl_->run_search(index, s.query, scopes);
}

}  // namespace evhub::disclosure
