#include "cli/exit_codes.h"

namespace evhub::cli {

int exit_code_for(Code code) {
  switch (code) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
      return 2;
    case Code::kUnauthenticated:
      return 3;
    case Code::kNotFound:
      return 4;
    case Code::kIntegrity:
      return 5;
    case Code::kBusy:
      return 6;
    case Code::kIoError:
      return 7;
    case Code::kNoSpace:
      return 8;
    case Code::kErased:
      return 9;
    case Code::kAlreadyExists:
      return 10;
    case Code::kFailedPrecondition:
      return 11;
  }
  return kExitInternal;
}

const char* exit_codes_help() {
  return "Exit codes:\n"
         "  0  success (for verify: everything checks)\n"
         "  1  internal error (a bug: please report it)\n"
         "  2  invalid arguments or usage\n"
         "  3  wrong passphrase or key file, or none given\n"
         "  4  not found (hub, file, object, domain or event)\n"
         "  5  integrity failure (verify found problems, or an object failed its checks)\n"
         "  6  busy (another evhub process held the hub too long)\n"
         "  7  input/output error\n"
         "  8  no space left (disk full or file size limit)\n"
         "  9  erased (the material was crypto-shredded)\n"
         "  10 already exists (a hub, or an output file without --force)\n"
         "  11 not possible in the hub's current state\n";
}

}  // namespace evhub::cli
