// What happens to material after intake: jobs that extract its text (PDF, DOCX/ODT, plain text,
// OCR of scans and images), translate it, and read image metadata. Each result is a derived
// object in the source's key domain that names its source, the tool, its version and the
// parameters, so erasing a witness erases everything derived from their material too.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hub/hub.h"
#include "jobs/job_queue.h"
#include "jobs/worker_pool.h"
#include "translate/translator.h"

namespace evhub::collection {

inline constexpr const char* kExtractTextJob = "extract-text";
inline constexpr const char* kTranslateJob = "translate";

// Machine translations made for each source language (be → ru with apertium by default;
// an operator's command may add be → en and ru → en).
struct ProcessingOptions {
  std::map<std::string, std::string> translate_to = {{"be", "ru"}};
};

// Queues the processing of a newly stored object (once per object, however often called).
Status enqueue_processing(jobs::JobQueue& queue, const std::string& object_id, std::int64_t now_ms);

// Stores files in `domain` with `intake` (Hub::put) and queues each new object for processing;
// returns the object ids in the order of `paths` (a file the domain already held keeps its id
// and is not queued again). What `evhub interview|document add`, import and synth store goes
// through here.
Result<std::vector<std::string>> store_for_processing(hub::Hub& hub, jobs::JobQueue& queue,
                                                      const std::vector<std::string>& paths,
                                                      const std::string& domain,
                                                      const hub::Intake& intake);

// The job handlers. They use `hub` only while holding `hub_mutex` (a Hub serves one thread at
// a time) and do the slow work (OCR, translation) outside it, so workers run in parallel.
std::map<std::string, jobs::Handler> processing_handlers(hub::Hub& hub, std::mutex& hub_mutex,
                                                         jobs::JobQueue& queue,
                                                         translate::Translator& translator,
                                                         ProcessingOptions options = {});

}  // namespace evhub::collection
