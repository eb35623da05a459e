// evhub: the command-line face of Evidence Hub. Parses arguments (CLI11), gets the passphrase
// or key file, calls the hub, and turns every Status into a message and a documented exit code.
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "coding/passage_index.h"

int main(int argc, char** argv) {
  // With a file-size limit (ulimit -f) a write must fail with EFBIG, not kill us mid-write.
  std::signal(SIGXFSZ, SIG_IGN);
  // Everything evhub creates (catalog, keys, objects, outputs) is for its owner only, and a
  // crash must not write keys or plaintext into a core file.
  ::umask(077);
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  // Coded passages go into every index this process updates or rebuilds.
  evhub::coding::index_coded_passages();
  evhub::cli::Options options;
  CLI::App app{
      "evhub — Evidence Hub: encrypted, verifiable evidence storage with a "
      "tamper-evident custody log"};
  app.require_subcommand(1);
  app.footer(evhub::cli::exit_codes_help());
  evhub::cli::register_commands(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : evhub::cli::exit_code_for(evhub::Code::kInvalidArgument);
  }
  try {
    return evhub::cli::run_selected(app, options);
  } catch (const std::exception& e) {
    std::cerr << "evhub: internal error: " << e.what() << "\n";
    return evhub::cli::kExitInternal;
  }
}
