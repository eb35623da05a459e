// The routes of the HTTP API under /api/v1 (docs/architecture.md lists them). So far only the
// health check, which needs no sign-in and reveals nothing about the hub; accounts, sessions
// and the evidence routes come with the rest of the server issue.
#pragma once

#include "api/server.h"
#include "hub/hub.h"

namespace evhub::api {

void add_routes(Router& router, hub::Hub& hub);

}  // namespace evhub::api
