// QR codes as SVG (libqrencode), for enrolling an authenticator app from the browser.
#pragma once

#include <string>

#include "core/status.h"

namespace evhub::api {

// A black-on-white SVG of `text` (error correction M, 4-module quiet zone).
Result<std::string> qr_svg(const std::string& text);

}  // namespace evhub::api
