// Inter-coder agreement over what the hub holds: the texts that two or more coders annotated,
// cut into sentences, and their text annotations, fed to agreement() (agreement.h).
#pragma once

#include <string>
#include <vector>

#include "coding/agreement.h"
#include "coding/annotations.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::coding {

struct AgreementScope {
  std::vector<std::string> coders;            // only these coders (user ids); all if empty
  std::vector<std::string> organisation_ids;  // only texts of these organisations; all if empty
};

// A coder "worked on" a text when they annotated it at least once: a coder who read a text and
// found nothing to code counts as missing there, not as having said "absent" everywhere (the
// hub does not yet record coding assignments). Only texts with two or more such coders count.
// Reads (decrypts) each of those texts once, to cut it into sentences.
Result<AgreementReport> agreement_in_hub(hub::Hub& hub, AnnotationStore& store,
                                         const AgreementScope& scope);

}  // namespace evhub::coding
