// Who holds a witness's material: the requests whose recipients were delivered some of it in an
// exported package. When a witness withdraws consent, these are the recipients to notify (the
// CLI and the API say so as the withdrawal is recorded), and the witness's right to know where
// their testimony went is answered from the same list.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "disclosure/packages.h"
#include "disclosure/requests.h"

namespace evhub::disclosure {

struct Holder {
  std::string request_id;
  std::string requester_kind;
  std::string body;       // the State or body
  std::string reference;  // the requester's own reference
  std::string status;     // of the request
};

// Each request once, oldest export first; a request no longer in the register (its
// organisation's requests erased) is listed by id alone.
Result<std::vector<Holder>> holders_of(PackageStore& packages, RequestRegister& requests,
                                       const std::string& witness);

}  // namespace evhub::disclosure
