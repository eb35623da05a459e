#include "disclosure/source_spec.h"

#include <algorithm>
#include <charconv>

namespace evhub::disclosure {
namespace {

Status missing(const std::string& kind) {
  return Status(Code::kInvalidArgument, "a " + kind + " source cannot be used here");
}

}  // namespace

Result<SourceSpec> parse_source(const std::string& text) {
  const auto colon = text.find(':');
  SourceSpec spec;
  spec.kind = text.substr(0, colon);
  if (spec.kind == "summary+refs") {
    spec.kind = "summary";
    spec.with_references = true;
  }
  const bool known = std::find(std::begin(kSourceKinds), std::end(kSourceKinds), spec.kind) !=
                     std::end(kSourceKinds);
  if (colon == std::string::npos || !known || colon + 1 == text.size()) {
    return Status(Code::kInvalidArgument,
                  "a source is KIND:VALUE, with KIND incident, witness, summary (summary+refs "
                  "for the objects it quotes too), code, search or saved-search: " +
                      text.substr(0, 80));
  }
  spec.value = text.substr(colon + 1);
  spec.passages.code = spec.value;
  return spec;
}

Result<SourceItems> expand_source(PackageSources& sources, const SourceSpec& spec,
                                  const SourceStores& stores) {
  if (spec.kind == "witness") return sources.witness(spec.value);
  if (spec.kind == "incident") {
    if (!stores.incidents) return missing(spec.kind);
    return sources.incident(*stores.incidents, spec.value);
  }
  if (spec.kind == "summary") {
    if (!stores.summaries) return missing(spec.kind);
    return sources.witness_summary(*stores.summaries, spec.value, spec.with_references);
  }
  if (spec.kind == "code") {
    if (!stores.annotations || !stores.framework) return missing(spec.kind);
    CodedPassageQuery query = spec.passages;
    query.code = spec.value;
    return sources.coded_passages(*stores.annotations, *stores.framework, query);
  }
  if (spec.kind == "search") {
    if (!stores.index) return missing(spec.kind);
    return sources.search(*stores.index, spec.value, stores.scopes);
  }
  if (spec.kind == "saved-search") {
    if (!stores.index || !stores.saved || stores.user_id.empty()) return missing(spec.kind);
    std::int64_t id = 0;
    const auto* end = spec.value.data() + spec.value.size();
    if (std::from_chars(spec.value.data(), end, id).ptr != end || id <= 0) {
      return Status(Code::kInvalidArgument, "saved-search: the saved search's number");
    }
    return sources.saved_search(*stores.index, *stores.saved, stores.user_id, id, stores.scopes);
  }
  return Status(Code::kInvalidArgument, "unknown source kind " + spec.kind.substr(0, 40));
}

}  // namespace evhub::disclosure
