#include "hub/log_view.h"

namespace evhub::hub {

Status follow_log(catalog::Database& db, Hub& hub,
                  const std::function<Status(const custody::Event&)>& apply) {
  for (;;) {
    std::int64_t applied = 0;
    {
      // Finished before the write below: a statement left open holds a read snapshot through
      // the commit, and SQLite can then never restart the WAL, which grew by ~1 KB per
      // record for as long as the process lived (200 MB in one `evhub synth` of 2,000
      // witnesses).
      EVHUB_ASSIGN_OR_RETURN(catalog::Statement st,
                             db.prepare("SELECT applied_seq FROM view_state"));
      EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
      applied = row ? st.integer(0) : 0;
    }
    EVHUB_ASSIGN_OR_RETURN(auto events, hub.events_from(applied, 500));
    if (events.empty()) return Status::ok();
    EVHUB_ASSIGN_OR_RETURN(auto tx, catalog::Transaction::begin(db));
    for (const auto& e : events) EVHUB_RETURN_IF_ERROR(apply(e));
    EVHUB_ASSIGN_OR_RETURN(catalog::Statement done,
                           db.prepare("UPDATE view_state SET applied_seq = ?"));
    done.bind(1, applied + static_cast<std::int64_t>(events.size()));
    EVHUB_RETURN_IF_ERROR(done.run());
    EVHUB_RETURN_IF_ERROR(tx.commit());
  }
}

}  // namespace evhub::hub
