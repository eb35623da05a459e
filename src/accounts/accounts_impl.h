// Internal to the accounts module: the state shared by accounts.cc and sign_in.cc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "accounts/accounts.h"
#include "catalog/sqlite.h"

namespace evhub::accounts {

using catalog::Database;
using catalog::Statement;
using catalog::Transaction;

struct Accounts::Impl {
  Database db;

  Result<std::optional<std::string>> id_of(const char* table, const char* column,
                                           const std::string& value) {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db.prepare(fmt::format("SELECT id FROM {} WHERE {}=?", table, column)));
    st.bind(1, value);
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<std::string>();
    return std::optional<std::string>(st.text(0));
  }

  Result<std::string> organisation_id(const std::string& name) {
    EVHUB_ASSIGN_OR_RETURN(auto id, id_of("organisations", "name", name));
    if (!id) return Status(Code::kNotFound, "there is no organisation " + name);
    return *id;
  }

  Result<std::string> user_id(const std::string& username) {
    EVHUB_ASSIGN_OR_RETURN(auto id, id_of("users", "username", username));
    if (!id) return Status(Code::kNotFound, "there is no user " + username);
    return *id;
  }

  Result<std::vector<User>> query_users(const std::string& where, const std::string& arg) {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db.prepare("SELECT u.id, u.username, o.name, u.created_at, u.disabled FROM users u "
                   "JOIN organisations o ON o.id = u.organisation_id " +
                   where + " ORDER BY u.username"));
    if (!arg.empty()) st.bind(1, arg);
    std::vector<User> users;
    for (;;) {
      EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      User u;
      u.id = st.text(0);
      u.username = st.text(1);
      u.organisation = st.text(2);
      u.created_at = st.text(3);
      u.disabled = st.integer(4) != 0;
      users.push_back(std::move(u));
    }
    for (User& u : users) {
      EVHUB_ASSIGN_OR_RETURN(
          Statement g, db.prepare("SELECT o.name, g.role, g.granted_at, g.granted_by "
                                  "FROM role_grants g JOIN organisations o ON o.id = "
                                  "g.organisation_id WHERE g.user_id=? ORDER BY o.name, g.role"));
      g.bind(1, u.id);
      for (;;) {
        EVHUB_ASSIGN_OR_RETURN(bool row, g.step());
        if (!row) break;
        auto role = parse_role(g.text(1));
        if (!role) return Status(Code::kIntegrity, "accounts.db holds an unknown role");
        u.grants.push_back(Grant{g.text(0), *role, g.text(2), g.text(3)});
      }
    }
    return users;
  }
};

}  // namespace evhub::accounts
