// Inside the request register: what needs neither the hub nor the view — the checks of a
// request's own content, day arithmetic, and the JSON of its encrypted record — shared by the
// register (requests.cc) and its record (request_record.cc).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "disclosure/requests.h"

namespace evhub::disclosure::internal {

// Everything about a request that needs no hub and no framework: kinds, dates, texts, sizes,
// the scope's lists and categories, assignees, updated_by.
Status check_content(const Request& request);
Status check_correspondence(const Correspondence& letter);

// Days from `from` to `to` (both YYYY-MM-DD, checked by the caller); negative if `to` is
// earlier.
int days_between(const std::string& from, const std::string& to);

nlohmann::json request_json(const Request& request);
// Reads a record leniently (a field of the wrong type reads as empty): records are written by
// this module and authenticated by the vault, so a surprise is a bug, and must not take the
// view down.
Request request_from(const nlohmann::json& j);

}  // namespace evhub::disclosure::internal
