// Inside places: reading the shipped JSON files with every problem named by its JSON path, and
// the one check of a facility that the shipped file, add() and update() share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "coding/places.h"
#include "core/status.h"

namespace evhub::coding::internal {

// The whole of a data file (refused above kMaxFileBytes).
Result<std::string> read_data_file(const std::string& path);
// A JSON object, or kInvalidArgument saying where the text stops being JSON.
Result<nlohmann::json> parse_json_object(std::string_view text);

// Reads fields of JSON objects, collecting "path: problem" messages instead of stopping at the
// first.
struct JsonReader {
  std::vector<std::string> problems;
  void problem(const std::string& path, const std::string& message);
  // A string field (absent or null reads as empty; `required`: must be there and not empty).
  std::string text(const nlohmann::json& j, const std::string& path, const char* field,
                   bool required, std::size_t max_bytes);
  std::optional<double> number(const nlohmann::json& j, const std::string& path, const char* field,
                               bool required);
  // "names": {"en", "be", "ru"}.
  Texts names(const nlohmann::json& j, const std::string& path, bool all_required,
              std::size_t max_bytes);
  std::vector<std::string> variants(const nlohmann::json& j, const std::string& path,
                                    std::size_t max_count, std::size_t max_bytes);
};

// What is wrong with a facility, each as (field, message): type, names, place, coordinates,
// lengths. Empty if nothing.
std::vector<std::pair<std::string, std::string>> facility_problems(const Facility& facility,
                                                                   const Gazetteer& gazetteer);
// Sets a facility's coordinates from its place when they are the place's (precision "city" or
// "district"); `facility` has passed facility_problems().
void locate(Facility& facility, const Gazetteer& gazetteer);

// The facility as JSON (the record's format), with or without its note; and back.
nlohmann::json facility_json(const Facility& facility, bool with_note);
Facility facility_from(const nlohmann::json& j);

}  // namespace evhub::coding::internal
