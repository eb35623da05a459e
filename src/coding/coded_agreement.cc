#include "coding/coded_agreement.h"

#include "coding/record_io.h"

#include <algorithm>
#include <map>
#include <set>

#include "crypto/crypto.h"

namespace evhub::coding {

Result<AgreementReport> agreement_in_hub(hub::Hub& hub, AnnotationStore& store,
                                         const AgreementScope& scope) {
  EVHUB_ASSIGN_OR_RETURN(auto passages, store.with_codes({}, scope.organisation_ids));
  const std::set<std::string> wanted(scope.coders.begin(), scope.coders.end());
  CodersPerText coders;
  std::vector<Coding> codings;
  for (const CodedPassage& p : passages) {
    if (p.kind != TargetKind::kText || (!wanted.empty() && !wanted.count(p.coder))) continue;
    coders[p.object_id].insert(p.coder);
    codings.push_back({p.coder, p.object_id, p.code_id, static_cast<std::size_t>(p.begin),
                       static_cast<std::size_t>(p.end)});
  }
  for (auto it = coders.begin(); it != coders.end();) {
    it = it->second.size() < 2 ? coders.erase(it) : std::next(it);
  }
  std::erase_if(codings, [&](const Coding& c) { return !coders.count(c.text_id); });
  if (coders.empty()) {
    return Status(Code::kFailedPrecondition,
                  "no text has been coded by two or more of these coders yet: agreement needs "
                  "the same texts coded independently");
  }
  std::vector<Unit> units;
  for (const auto& [object_id, who] : coders) {
    EVHUB_ASSIGN_OR_RETURN(std::string text,
                           internal::read_object_text(hub, object_id, kMaxCodedTextBytes));
    auto sentences = split_sentences(object_id, text);
    crypto::wipe(text.data(), text.size());
    EVHUB_RETURN_IF_ERROR(sentences.status());
    units.insert(units.end(), sentences->begin(), sentences->end());
  }
  return agreement(units, codings, coders);
}

}  // namespace evhub::coding
