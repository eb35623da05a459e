// evhub org … and evhub user …: the administrator's commands for organisations, users and role
// grants (accounts.db). Every change is also written to the custody log, naming users by their
// opaque id, never by password or personal detail.
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "accounts/accounts.h"
#include "cli/commands.h"
#include "cli/terminal.h"
#include "core/fs.h"
#include "crypto/crypto.h"
#include "crypto/password.h"
#include "hub/hub.h"

namespace evhub::cli {

using nlohmann::json;

namespace {

struct Opened {
  std::unique_ptr<hub::Hub> hub;
  std::unique_ptr<accounts::Accounts> accounts;
};

Result<Opened> open_accounts(const Options& o) {
  Opened x;
  EVHUB_ASSIGN_OR_RETURN(x.hub, open_hub(o));
  EVHUB_ASSIGN_OR_RETURN(x.accounts, accounts::Accounts::open(x.hub->layout().accounts()));
  return x;
}

// The user named `username`, or kNotFound.
Result<accounts::User> existing_user(Opened& x, const std::string& username) {
  EVHUB_ASSIGN_OR_RETURN(auto user, x.accounts->find_user(username));
  if (!user) return Status(Code::kNotFound, "there is no user " + username);
  return std::move(*user);
}

// Events name organisations by id, like users.
std::string org_id_of(Opened& x, const std::string& name) {
  auto orgs = x.accounts->organisations();
  if (orgs.is_ok()) {
    for (const auto& org : *orgs) {
      if (org.name == name) return org.id;
    }
  }
  return "";
}

// The new password: $EVHUB_USER_PASSWORD, --password-file, or asked twice on the terminal.
Result<std::string> new_password(const Options& o) {
  std::string pw;
  if (!o.password_file.empty()) {
    EVHUB_ASSIGN_OR_RETURN(pw, read_text_file(local_fs(), o.password_file));
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
  } else if (char* env = std::getenv("EVHUB_USER_PASSWORD"); env != nullptr) {
    pw = env;
    crypto::wipe(env, std::strlen(env));
  } else {
    auto first = read_secret("New password for " + o.username + ": ");
    if (!first) {
      return Status(
          Code::kInvalidArgument,
          "no password: set EVHUB_USER_PASSWORD, pass --password-file, or use a terminal");
    }
    auto again = read_secret("Repeat it: ");
    bool same = again && *again == *first;
    if (again) crypto::wipe(again->data(), again->size());
    if (!same) {
      crypto::wipe(first->data(), first->size());
      return Status(Code::kInvalidArgument, "the two passwords differ; nothing was changed");
    }
    pw = std::move(*first);
  }
  Status st = accounts::check_new_password(pw);
  if (!st.is_ok()) {
    crypto::wipe(pw.data(), pw.size());
    return st;
  }
  return pw;
}

Result<std::string> hash_new_password(const Options& o) {
  EVHUB_ASSIGN_OR_RETURN(std::string pw, new_password(o));
  auto hash = crypto::hash_password(pw, crypto::KdfCost::interactive());
  crypto::wipe(pw.data(), pw.size());
  return hash;
}

Result<accounts::Role> role_of(const std::string& name) {
  auto role = accounts::parse_role(name);
  if (!role) {
    std::string all;
    for (auto r : accounts::kAllRoles) all += std::string(all.empty() ? "" : ", ") + role_name(r);
    return Status(Code::kInvalidArgument, "unknown role " + name + "; roles: " + all);
  }
  return *role;
}

json user_json(const accounts::User& u) {
  json grants = json::array();
  for (const auto& g : u.grants) {
    grants.push_back({{"organisation", g.organisation},
                      {"role", role_name(g.role)},
                      {"granted_at", g.granted_at},
                      {"granted_by", g.granted_by}});
  }
  return {{"username", u.username},
          {"organisation", u.organisation},
          {"disabled", u.disabled},
          {"created_at", u.created_at},
          {"grants", grants}};
}

int done(const Options& o, const std::string& text) {
  if (o.json) {
    std::cout << json{{"ok", true}}.dump() << "\n";
  } else {
    std::cout << text << "\n";
  }
  return 0;
}

int cmd_org_add(const Options& o) {
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto org = x->accounts->add_organisation(o.organisation);
  if (!org.is_ok()) return report_failure(o, org.status());
  Status st = x->hub->audit("organisation.add", "", {{"organisation_id", org->id}});
  if (!st.is_ok()) return report_failure(o, st);
  return done(o, "added organisation " + org->name);
}

int cmd_org_list(const Options& o) {
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto orgs = x->accounts->organisations();
  if (!orgs.is_ok()) return report_failure(o, orgs.status());
  for (const auto& org : *orgs) {
    if (o.json) {
      std::cout << json{{"name", org.name}, {"created_at", org.created_at}}.dump(-1, ' ', false,
                                                                                 kReplaceBadUtf8)
                << "\n";
    } else {
      std::cout << org.name << "\n";
    }
  }
  return 0;
}

int cmd_user_add(const Options& o) {
  std::vector<accounts::Role> roles;
  for (const auto& name : o.roles) {
    auto r = role_of(name);
    if (!r.is_ok()) return report_failure(o, r.status());
    roles.push_back(*r);
  }
  Status st = accounts::check_username(o.username);
  if (!st.is_ok()) return report_failure(o, st);
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto hash = hash_new_password(o);
  if (!hash.is_ok()) return report_failure(o, hash.status());
  auto user = x->accounts->add_user(o.username, o.organisation, *hash);
  if (!user.is_ok()) return report_failure(o, user.status());
  json granted = json::array();
  for (auto r : roles) {
    st = x->accounts->grant(o.username, o.organisation, r, x->hub->actor());
    if (!st.is_ok()) return report_failure(o, st);
    granted.push_back(role_name(r));
  }
  st = x->hub->audit("user.add", "",
                     {{"user_id", user->id},
                      {"organisation_id", org_id_of(*x, o.organisation)},
                      {"roles", granted}});
  if (!st.is_ok()) return report_failure(o, st);
  return done(o, fmt::format("added user {} in {}", o.username, o.organisation));
}

int cmd_user_passwd(const Options& o) {
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto user = existing_user(*x, o.username);
  if (!user.is_ok()) return report_failure(o, user.status());
  auto hash = hash_new_password(o);
  if (!hash.is_ok()) return report_failure(o, hash.status());
  Status st = x->accounts->set_password_hash(o.username, *hash);
  if (st.is_ok()) st = x->hub->audit("user.passwd", "", {{"user_id", user->id}});
  if (!st.is_ok()) return report_failure(o, st);
  return done(o, "changed the password of " + o.username);
}

int cmd_user_grant(const Options& o, bool grant) {
  auto role = role_of(o.role);
  if (!role.is_ok()) return report_failure(o, role.status());
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto user = existing_user(*x, o.username);
  if (!user.is_ok()) return report_failure(o, user.status());
  Status st = grant ? x->accounts->grant(o.username, o.organisation, *role, x->hub->actor())
                    : x->accounts->revoke(o.username, o.organisation, *role);
  if (!st.is_ok()) return report_failure(o, st);
  st = x->hub->audit(grant ? "user.grant" : "user.revoke", "",
                     {{"user_id", user->id},
                      {"organisation_id", org_id_of(*x, o.organisation)},
                      {"role", role_name(*role)}});
  if (!st.is_ok()) return report_failure(o, st);
  return done(o, fmt::format("{} {} {} in {}", grant ? "granted" : "revoked", o.username,
                             role_name(*role), o.organisation));
}

int cmd_user_disable(const Options& o, bool disable) {
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto user = existing_user(*x, o.username);
  if (!user.is_ok()) return report_failure(o, user.status());
  Status st = x->accounts->set_disabled(o.username, disable);
  if (st.is_ok()) {
    st = x->hub->audit(disable ? "user.disable" : "user.enable", "", {{"user_id", user->id}});
  }
  if (!st.is_ok()) return report_failure(o, st);
  return done(o, (disable ? "disabled " : "enabled ") + o.username +
                     (disable ? "; their sessions have ended" : ""));
}

int cmd_user_token(const Options& o, const std::string& verb) {
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto user = existing_user(*x, o.username);
  if (!user.is_ok()) return report_failure(o, user.status());
  if (verb == "list") {
    auto tokens = x->accounts->tokens(o.username);
    if (!tokens.is_ok()) return report_failure(o, tokens.status());
    for (const auto& t : *tokens) {
      if (o.json) {
        std::cout << json{{"name", t.name}, {"created_at", t.created_at}, {"revoked", t.revoked}}
                         .dump(-1, ' ', false, kReplaceBadUtf8)
                  << "\n";
      } else {
        std::cout << t.name << "  " << t.created_at << (t.revoked ? "  (revoked)" : "") << "\n";
      }
    }
    return 0;
  }
  if (verb == "add") {
    auto secret = x->accounts->create_token(o.username, o.token_name);
    if (!secret.is_ok()) return report_failure(o, secret.status());
    Status st = x->hub->audit("token.add", "", {{"user_id", user->id}});
    if (!st.is_ok()) return report_failure(o, st);
    // Shown once: only its hash is kept.
    if (o.json) {
      std::cout << json{{"name", o.token_name}, {"token", *secret}}.dump() << "\n";
    } else {
      std::cout << *secret << "\n";
      std::cerr << "evhub: keep this token secret; it is shown only now. Send it as "
                   "'Authorization: Bearer <token>'.\n";
    }
    return 0;
  }
  Status st = x->accounts->revoke_token(o.username, o.token_name);
  if (st.is_ok()) st = x->hub->audit("token.revoke", "", {{"user_id", user->id}});
  if (!st.is_ok()) return report_failure(o, st);
  return done(o, "revoked token " + o.token_name + " of " + o.username);
}

int cmd_user_list(const Options& o) {
  auto x = open_accounts(o);
  if (!x.is_ok()) return report_failure(o, x.status());
  auto users = x->accounts->users();
  if (!users.is_ok()) return report_failure(o, users.status());
  for (const auto& u : *users) {
    if (o.json) {
      std::cout << user_json(u).dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
      continue;
    }
    std::string grants;
    for (const auto& g : u.grants) {
      grants +=
          fmt::format("{}{} in {}", grants.empty() ? "" : ", ", role_name(g.role), g.organisation);
    }
    std::cout << fmt::format("{:<24} {:<24} {}{}\n", u.username, u.organisation,
                             grants.empty() ? "(no roles)" : grants,
                             u.disabled ? "  (disabled)" : "");
  }
  return 0;
}

}  // namespace

Result<std::string> new_password_hash(const Options& o) {
  return hash_new_password(o);
}

int create_first_administrator(const Options& o, std::unique_ptr<hub::Hub> hub,
                               const std::string& password_hash) {
  Opened x;
  x.hub = std::move(hub);
  auto accounts = accounts::Accounts::open(x.hub->layout().accounts());
  if (!accounts.is_ok()) return report_failure(o, accounts.status());
  x.accounts = std::move(accounts).value();
  auto org = x.accounts->add_organisation(o.organisation);
  if (!org.is_ok()) return report_failure(o, org.status());
  Status st = x.hub->audit("organisation.add", "", {{"organisation_id", org->id}});
  if (!st.is_ok()) return report_failure(o, st);
  auto user = x.accounts->add_user(o.username, o.organisation, password_hash);
  if (!user.is_ok()) return report_failure(o, user.status());
  st =
      x.accounts->grant(o.username, o.organisation, accounts::Role::kAdministrator, x.hub->actor());
  if (st.is_ok()) {
    st = x.hub->audit("user.add", "",
                      {{"user_id", user->id},
                       {"organisation_id", org->id},
                       {"roles", json::array({"administrator"})}});
  }
  if (!st.is_ok()) return report_failure(o, st);
  return 0;
}

void register_account_commands(CLI::App& app, Options& o) {
  auto* org = app.add_subcommand("org", "organisations (consortium partners)");
  org->require_subcommand(1);
  org->fallthrough();
  auto* org_add = org->add_subcommand("add", "add an organisation");
  org_add->add_option("name", o.organisation, "its name")->required();
  org->add_subcommand("list", "list organisations");

  auto* user = app.add_subcommand("user", "people who sign in, and their roles");
  user->require_subcommand(1);
  user->fallthrough();
  const std::string password_help =
      "file holding the new password (else $EVHUB_USER_PASSWORD, else asked on the terminal)";
  auto* add = user->add_subcommand("add", "add a user (password: at least 12 characters)");
  add->add_option("username", o.username, "a-z 0-9 . _ -")->required();
  add->add_option("--org", o.organisation, "home organisation")->required();
  add->add_option("--role", o.roles, "role in that organisation (repeatable)");
  add->add_option("--password-file", o.password_file, password_help);
  auto* passwd = user->add_subcommand("passwd", "set a user's password");
  passwd->add_option("username", o.username)->required();
  passwd->add_option("--password-file", o.password_file, password_help);
  for (const char* verb : {"grant", "revoke"}) {
    auto* g = user->add_subcommand(verb, std::string(verb) + " a role in an organisation");
    g->add_option("username", o.username)->required();
    g->add_option("role", o.role,
                  "intake-officer, analyst, osint-researcher, legal-officer, reviewer, "
                  "mhpss-coordinator, lead, administrator, auditor")
        ->required();
    g->add_option("--org", o.organisation, "organisation")->required();
  }
  for (const char* verb : {"disable", "enable"}) {
    auto* d = user->add_subcommand(verb, std::string(verb) == "disable"
                                             ? "stop a user signing in and end their sessions"
                                             : "let a disabled user sign in again");
    d->add_option("username", o.username)->required();
  }
  auto* token = user->add_subcommand("token", "API tokens for scripts");
  token->require_subcommand(1);
  token->fallthrough();
  for (const char* verb : {"add", "list", "revoke"}) {
    auto* t = token->add_subcommand(verb, std::string(verb) == "add" ? "make a token (printed once)"
                                          : std::string(verb) == "list" ? "list a user's tokens"
                                                                        : "revoke a token");
    t->add_option("username", o.username)->required();
    if (std::string(verb) != "list")
      t->add_option("--name", o.token_name, "the token's name")->required();
  }
  user->add_subcommand("list", "list users and their roles");
}

int run_account_command(CLI::App& app, Options& o) {
  if (auto* org = app.get_subcommand("org"); org->parsed()) {
    return org->got_subcommand("add") ? cmd_org_add(o) : cmd_org_list(o);
  }
  auto* user = app.get_subcommand("user");
  if (user->got_subcommand("add")) return cmd_user_add(o);
  if (user->got_subcommand("passwd")) return cmd_user_passwd(o);
  if (user->got_subcommand("grant")) return cmd_user_grant(o, true);
  if (user->got_subcommand("revoke")) return cmd_user_grant(o, false);
  if (auto* token = user->get_subcommand("token"); token->parsed()) {
    for (const char* verb : {"add", "list", "revoke"}) {
      if (token->got_subcommand(verb)) return cmd_user_token(o, verb);
    }
  }
  if (user->got_subcommand("disable")) return cmd_user_disable(o, true);
  if (user->got_subcommand("enable")) return cmd_user_disable(o, false);
  return cmd_user_list(o);
}

}  // namespace evhub::cli
