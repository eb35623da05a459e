#include "api/routes.h"

namespace evhub::api {

void add_routes(Router& router, hub::Hub& /*hub: used by the routes to come*/) {
  router.add("GET", "/api/v1/health", [](const Request&) {
    Response r;
    r.body = R"({"status":"ok"})";
    return r;
  });
}

}  // namespace evhub::api
