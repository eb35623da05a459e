// One item made fit for a recipient: its text pseudonymised, or its pages and images boxed,
// stored as a new object derived from the original (the original is untouched), with the tool
// and what was done in its provenance, and a redaction log that says what kind of information
// was removed where without repeating it.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "disclosure/region_redaction.h"
#include "disclosure/text_redaction.h"
#include "hub/hub.h"

namespace evhub::disclosure {

// What the redaction log says of one removal: its kind and where it is in the delivered file
// (code points of a text; a page and box of a PDF or image).
struct RedactionLogEntry {
  std::string kind;  // redacted_kind_name(), or "region" for a box
  int page = 0;      // 0 for a text
  std::int64_t begin = 0;
  std::int64_t end = 0;
  RedactionBox box;  // for a region
};

struct RedactedItem {
  std::string object_id;  // the derived object to deliver
  std::string sha256;
  std::vector<RedactionLogEntry> log;
};

// Texts (text/*) are pseudonymised for `witnesses`; PDFs and images get `boxes` burnt in (a
// text with boxes, or a PDF or image without, is refused: say what to do). The derived object
// goes into the original's key domain, so erasing the witness erases it too.
Result<RedactedItem> redact_item(hub::Hub& hub, const std::string& object_id,
                                 const std::vector<WitnessIdentity>& witnesses,
                                 const std::vector<RedactionBox>& boxes);

// A redaction made in memory and not yet stored: the redacted bytes (plaintext, wiped when this
// is destroyed) with their provenance, and the redaction log. redact_item() is
// prepare_redaction() then store_redactions() of one; a package's texts are prepared one by
// one and stored as one batch.
struct PreparedRedaction {
  PreparedRedaction() = default;
  PreparedRedaction(PreparedRedaction&&) = default;
  PreparedRedaction& operator=(PreparedRedaction&&) = default;
  ~PreparedRedaction();
  std::string object_id;     // the original
  hub::DerivedData derived;  // the redacted bytes, derived from the original
  std::vector<RedactionLogEntry> log;
};

// What redact_item() does short of storing (the same refusals).
Result<PreparedRedaction> prepare_redaction(hub::Hub& hub, const std::string& object_id,
                                            const std::vector<WitnessIdentity>& witnesses,
                                            const std::vector<RedactionBox>& boxes);

// Stores the prepared redactions as one batch (Hub::put_derived_batch: one custody append and
// one signed head), each in its original's key domain; the results in the order given. The
// redacted bytes are wiped once sealed.
Result<std::vector<RedactedItem>> store_redactions(hub::Hub& hub,
                                                   std::vector<PreparedRedaction>& prepared);

// Whether redact_item() takes the object as a text to pseudonymise, by its first bytes (as it
// decides): what "every text of a package" means.
Result<bool> is_redactable_text(hub::Hub& hub, const std::string& object_id);

// What a person should know before delivering an object whole: for an image, the metadata
// flags extract::image_metadata() raises ("gps": where it was taken, which may be a witness's
// home; "date_time_original"). Empty for other objects. Redacting an image (any box) drops its
// metadata; delivering it whole keeps it, which may be what a court needs: a person decides.
Result<std::vector<std::string>> delivery_warnings(hub::Hub& hub, const std::string& object_id);

}  // namespace evhub::disclosure
