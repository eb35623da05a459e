#include "collection/processing.h"

#include <nlohmann/json.hpp>

#include "collection/indexing.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "extract/extract.h"

namespace evhub::collection {

using nlohmann::json;

namespace {

// Derived objects are read whole; anything larger is left to people.
constexpr std::uint64_t kMaxProcessedBytes = 256u << 20;

// The plaintext of object `id`, read under the hub lock.
Result<std::string> read_object(hub::Hub& hub, std::mutex& mu, const std::string& id) {
  std::lock_guard lock(mu);
  EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(id));
  if (reader->size() > kMaxProcessedBytes) {
    return Status(Code::kInvalidArgument,
                  "object " + id + " is too large to process (over 256 MiB)");
  }
  return reader->read_prefix(reader->size());
}

// The first `n` bytes of object `id` (fewer if it is shorter), read under the hub lock.
Result<std::string> read_head(hub::Hub& hub, std::mutex& mu, const std::string& id, std::size_t n) {
  std::lock_guard lock(mu);
  EVHUB_ASSIGN_OR_RETURN(auto reader, hub.open_object(id));
  return reader->read_prefix(n);
}

// Audio and video containers (WAV, Ogg, FLAC, MP3, MP4/M4A/MOV, Matroska/WebM): recordings
// hold no text to extract, and are often far too large to read whole.
bool is_recording(const std::string& head) {
  auto at = [&](std::size_t offset, std::string_view magic) {
    return head.size() >= offset + magic.size() && head.compare(offset, magic.size(), magic) == 0;
  };
  return (at(0, "RIFF") && (at(8, "WAVE") || at(8, "AVI "))) || at(0, "OggS") || at(0, "fLaC") ||
         at(0, "ID3") || at(4, "ftyp") || at(0, "\x1a\x45\xdf\xa3") ||
         (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0xff &&
          (static_cast<unsigned char>(head[1]) & 0xe0) == 0xe0 &&
          (static_cast<unsigned char>(head[1]) & 0x06) != 0);  // an MPEG audio frame
}

// An object erased before its job ran leaves nothing to do: the job is done, not failed.
const char* const kErasedResult = R"({"skipped":"the object was erased"})";
const char* const kRecordingResult = R"({"skipped":"a recording: no text to extract"})";

Result<std::string> translate_job(hub::Hub& hub, std::mutex& mu, translate::Translator& translator,
                                  const jobs::Job& job) {
  const json p = json::parse(job.payload, nullptr, false);
  if (p.is_discarded() || !p.contains("from") || !p.contains("to")) {
    return Status(Code::kInvalidArgument, "a translate job needs {\"from\", \"to\"}");
  }
  auto read = read_object(hub, mu, job.object_id);
  if (!read.is_ok() && read.status().code() == Code::kErased) return std::string(kErasedResult);
  EVHUB_ASSIGN_OR_RETURN(std::string text, std::move(read));
  auto t = translator.translate(text, p["from"], p["to"]);
  crypto::wipe(text.data(), text.size());
  EVHUB_RETURN_IF_ERROR(t.status());
  hub::Intake provenance;
  provenance.tool = t->tool;
  provenance.tool_version = t->tool_version;
  provenance.tool_parameters = json{
      {"from", t->from},
      {"to", t->to},
      {"machine", t->machine},
      {"args", t->parameters}}.dump();
  provenance.media_type = "text/plain; charset=utf-8";
  std::lock_guard lock(mu);
  EVHUB_ASSIGN_OR_RETURN(auto stored,
                         hub.put_derived("translation of " + job.object_id, std::move(t->text),
                                         job.object_id, provenance));
  return json{{"translation", stored.id}, {"from", p["from"]}, {"to", p["to"]}}.dump();
}

bool is_image(const std::string& b) {
  return b.rfind("\x89PNG", 0) == 0 || b.rfind("\xff\xd8\xff", 0) == 0 || b.rfind("II*", 0) == 0 ||
         b.rfind("MM\0*", 0) == 0;
}

Result<std::string> extract_job(hub::Hub& hub, std::mutex& mu, jobs::JobQueue& queue,
                                const ProcessingOptions& options, const jobs::Job& job,
                                const jobs::ReportProgress& progress) {
  auto head = read_head(hub, mu, job.object_id, 16);
  if (!head.is_ok() && head.status().code() == Code::kErased) return std::string(kErasedResult);
  EVHUB_RETURN_IF_ERROR(head.status());
  if (is_recording(*head)) return std::string(kRecordingResult);
  auto read = read_object(hub, mu, job.object_id);
  if (!read.is_ok() && read.status().code() == Code::kErased) return std::string(kErasedResult);
  EVHUB_ASSIGN_OR_RETURN(std::string bytes, std::move(read));
  progress(0.1);
  extract::ExtractOptions how;
  how.threads = 1;  // the worker pool runs jobs side by side
  auto extracted = extract::extract_text(
      {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, how);
  std::optional<json> metadata;
  if (is_image(bytes)) {
    auto m = extract::image_metadata(
        {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
    if (m.is_ok()) metadata = std::move(*m);
  }
  // Plain UTF-8 text is its own text: no second copy is stored.
  const bool same = extracted.is_ok() && extracted->text == bytes;
  crypto::wipe(bytes.data(), bytes.size());
  EVHUB_RETURN_IF_ERROR(extracted.status());
  progress(0.8);
  json result = {{"language", extracted->language}, {"pages", extracted->pages}};
  hub::Intake provenance;
  provenance.tool = extracted->tool;
  provenance.tool_version = extracted->tool_version;
  provenance.tool_parameters = json{
      {"language", extracted->language},
      {"parameters", extracted->parameters},
      {"pages", extracted->pages},
      {"confidence",
       extracted->confidence}}.dump();
  provenance.media_type = "text/plain; charset=utf-8";
  std::lock_guard lock(mu);
  if (!extracted->text.empty()) {
    std::string text_id = job.object_id;
    if (!same) {
      EVHUB_ASSIGN_OR_RETURN(auto text,
                             hub.put_derived("text of " + job.object_id, std::move(extracted->text),
                                             job.object_id, provenance));
      text_id = text.id;
    }
    result["text"] = text_id;
    auto to = options.translate_to.find(extracted->language);
    if (to != options.translate_to.end()) {
      EVHUB_RETURN_IF_ERROR(queue
                                .enqueue(kTranslateJob, text_id,
                                         json{{"from", to->first}, {"to", to->second}}.dump(), 3,
                                         now_millis())
                                .status());
    }
  }
  if (metadata) {
    hub::Intake exif;
    exif.tool = "exiv2";
    exif.media_type = "application/json";
    EVHUB_ASSIGN_OR_RETURN(auto stored, hub.put_derived("metadata of " + job.object_id,
                                                        metadata->dump(), job.object_id, exif));
    result["metadata"] = stored.id;
    result["metadata_flags"] = metadata->value("flags", json::array());
  }
  return result.dump();
}

}  // namespace

Status enqueue_processing(jobs::JobQueue& queue, const std::string& object_id,
                          std::int64_t now_ms) {
  return queue.enqueue(kExtractTextJob, object_id, "{}", 3, now_ms).status();
}

Result<std::vector<std::string>> store_for_processing(hub::Hub& hub, jobs::JobQueue& queue,
                                                      const std::vector<std::string>& paths,
                                                      const std::string& domain,
                                                      const hub::Intake& intake) {
  std::vector<std::string> ids;
  if (paths.empty()) return ids;
  Status queued;
  EVHUB_RETURN_IF_ERROR(hub.put(
      paths, domain,
      [&](const hub::StoredObject& s) {
        ids.push_back(s.id);
        if (!s.deduplicated && queued.is_ok()) {
          queued = enqueue_processing(queue, s.id, now_millis());
        }
      },
      intake));
  EVHUB_RETURN_IF_ERROR(queued);
  return ids;
}

std::map<std::string, jobs::Handler> processing_handlers(hub::Hub& hub, std::mutex& hub_mutex,
                                                         jobs::JobQueue& queue,
                                                         translate::Translator& translator,
                                                         ProcessingOptions options) {
  std::map<std::string, jobs::Handler> handlers;
  // A new text (or a translation) is searchable once the index job it queues has run.
  auto then_index = [&queue](const jobs::Job& job,
                             Result<std::string> result) -> Result<std::string> {
    if (result.is_ok()) {
      EVHUB_RETURN_IF_ERROR(enqueue_indexing(queue, job.kind + ":" + job.object_id, now_millis()));
    }
    return result;
  };
  handlers[kExtractTextJob] = [&hub, &hub_mutex, &queue, options, then_index](
                                  const jobs::Job& job, const jobs::ReportProgress& progress) {
    return then_index(job, extract_job(hub, hub_mutex, queue, options, job, progress));
  };
  handlers[kTranslateJob] = [&hub, &hub_mutex, &translator, then_index](
                                const jobs::Job& job, const jobs::ReportProgress&) {
    return then_index(job, translate_job(hub, hub_mutex, translator, job));
  };
  handlers.merge(indexing_handlers(hub, hub_mutex, hub.layout().index()));
  return handlers;
}

}  // namespace evhub::collection
