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

// What a person should know before delivering an object whole: for an image, the metadata
// flags extract::image_metadata() raises ("gps": where it was taken, which may be a witness's
// home; "date_time_original"). Empty for other objects. Redacting an image (any box) drops its
// metadata; delivering it whole keeps it, which may be what a court needs: a person decides.
Result<std::vector<std::string>> delivery_warnings(hub::Hub& hub, const std::string& object_id);

}  // namespace evhub::disclosure
