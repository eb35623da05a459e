#include "search/xapian_status.h"

namespace evhub::search {

Status xapian_error(const std::string& what, const Xapian::Error& e) {
  const std::string type = e.get_type();
  if (type == "DatabaseLockError") {
    return Status(Code::kBusy,
                  what +
                      ": another process is writing the index (is evhub serve running? its "
                      "workers keep the index up to date)");
  }
  if (type == "NetworkError" || type == "NetworkTimeoutError") {
    return Status(Code::kIoError, what + ": a search shard cannot be reached: " + e.get_msg());
  }
  if (type == "DatabaseCorruptError") {
    return Status(Code::kIntegrity, what + ": the index is damaged (" + e.get_msg() +
                                        "); `evhub index rebuild` makes it again from the hub");
  }
  return Status(Code::kIoError, what + ": " + e.get_description());
}

}  // namespace evhub::search
