#include "api/policy.h"

#include <algorithm>

namespace evhub::api {

using accounts::Role;

const std::vector<Role>& evidence_readers() {
  static const std::vector<Role> roles = {
      Role::kIntakeOfficer, Role::kAnalyst,  Role::kOsintResearcher,
      Role::kLegalOfficer,  Role::kReviewer, Role::kMhpssCoordinator,
      Role::kLead};
  return roles;
}

const std::vector<Role>& coding_readers() {
  static const std::vector<Role> roles = {Role::kAnalyst, Role::kLegalOfficer, Role::kReviewer,
                                          Role::kLead};
  return roles;
}

const std::vector<Role>& coders() {
  static const std::vector<Role> roles = {Role::kAnalyst, Role::kLead};
  return roles;
}

const std::vector<Role>& facility_editors() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer, Role::kAnalyst, Role::kLead};
  return roles;
}

const std::vector<Role>& summary_writers() {
  static const std::vector<Role> roles = {Role::kAnalyst, Role::kLead};
  return roles;
}

const std::vector<Role>& summary_reviewers() {
  static const std::vector<Role> roles = {Role::kReviewer, Role::kLead};
  return roles;
}

const std::vector<Role>& disclosure_officers() {
  static const std::vector<Role> roles = {Role::kLegalOfficer, Role::kLead};
  return roles;
}

const std::vector<Role>& disclosure_log_readers() {
  return disclosure_officers();
}

const std::vector<Role>& framework_editors() {
  static const std::vector<Role> roles = {Role::kAdministrator};
  return roles;
}

const std::vector<Role>& evidence_writers() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer, Role::kAnalyst,
                                          Role::kOsintResearcher, Role::kLead};
  return roles;
}

std::vector<std::string> readable_sensitivities(Role role) {
  switch (role) {
    case Role::kIntakeOfficer:
    case Role::kLegalOfficer:
    case Role::kLead:
      return {"normal", "health", "sexual-violence"};
    case Role::kMhpssCoordinator:
      return {"health", "sexual-violence"};
    case Role::kAnalyst:
    case Role::kOsintResearcher:
    case Role::kReviewer:
      return {"normal"};
    case Role::kAdministrator:
    case Role::kAuditor:
      return {};
  }
  return {};
}

namespace {

std::optional<std::string> organisation_id_of(const std::string& name,
                                              const std::vector<accounts::Organisation>& all) {
  for (const auto& o : all) {
    if (o.name == name) return o.id;
  }
  return std::nullopt;
}

}  // namespace

std::vector<catalog::ReadScope> read_scopes(const accounts::User& user,
                                            const std::vector<accounts::Organisation>& all) {
  std::vector<catalog::ReadScope> scopes;
  for (const auto& g : user.grants) {
    auto org = organisation_id_of(g.organisation, all);
    if (!org) continue;
    auto it = std::find_if(scopes.begin(), scopes.end(),
                           [&](const catalog::ReadScope& s) { return s.organisation_id == *org; });
    if (it == scopes.end()) it = scopes.insert(scopes.end(), catalog::ReadScope{*org, {}});
    for (const auto& s : readable_sensitivities(g.role)) {
      if (std::find(it->sensitivities.begin(), it->sensitivities.end(), s) ==
          it->sensitivities.end()) {
        it->sensitivities.push_back(s);
      }
    }
  }
  std::erase_if(scopes, [](const catalog::ReadScope& s) { return s.sensitivities.empty(); });
  return scopes;
}

bool may_read(const std::vector<catalog::ReadScope>& scopes,
              const std::optional<std::string>& organisation_id, const std::string& sensitivity) {
  if (!organisation_id) return false;
  return std::any_of(scopes.begin(), scopes.end(), [&](const catalog::ReadScope& s) {
    return s.organisation_id == *organisation_id &&
           std::find(s.sensitivities.begin(), s.sensitivities.end(), sensitivity) !=
               s.sensitivities.end();
  });
}

std::vector<std::string> writable_organisations(const accounts::User& user,
                                                const std::vector<accounts::Organisation>& all) {
  return organisations_where(user, evidence_writers(), all);
}

const std::vector<Role>& witness_readers() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer,    Role::kAnalyst,
                                          Role::kLegalOfficer,     Role::kReviewer,
                                          Role::kMhpssCoordinator, Role::kLead};
  return roles;
}

const std::vector<Role>& witness_writers() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer, Role::kLead};
  return roles;
}

const std::vector<Role>& personal_detail_readers() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer, Role::kMhpssCoordinator,
                                          Role::kLead};
  return roles;
}

const std::vector<Role>& consent_condition_readers() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer, Role::kLegalOfficer,
                                          Role::kMhpssCoordinator, Role::kLead};
  return roles;
}

const std::vector<Role>& consent_checkers() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer, Role::kLegalOfficer, Role::kLead};
  return roles;
}

const std::vector<Role>& consent_gap_readers() {
  static const std::vector<Role> roles = {Role::kLegalOfficer, Role::kLead};
  return roles;
}

const std::vector<Role>& witness_erasers() {
  static const std::vector<Role> roles = {Role::kLead};
  return roles;
}

const std::vector<Role>& contact_log_keepers() {
  static const std::vector<Role> roles = {Role::kIntakeOfficer, Role::kMhpssCoordinator,
                                          Role::kLead};
  return roles;
}

const std::vector<Role>& translators() {
  return evidence_writers();
}

const std::vector<Role>& job_retriers() {
  return evidence_writers();
}

const std::vector<Role>& importers() {
  return witness_writers();
}

std::vector<std::string> organisations_where(const accounts::User& user,
                                             const std::vector<Role>& roles,
                                             const std::vector<accounts::Organisation>& all) {
  std::vector<std::string> ids;
  for (const auto& g : user.grants) {
    if (std::find(roles.begin(), roles.end(), g.role) == roles.end()) continue;
    auto org = organisation_id_of(g.organisation, all);
    if (org && std::find(ids.begin(), ids.end(), *org) == ids.end()) ids.push_back(*org);
  }
  return ids;
}

bool holds_role_in(const accounts::User& user, const std::vector<Role>& roles,
                   const std::string& organisation_id,
                   const std::vector<accounts::Organisation>& all) {
  if (organisation_id.empty()) return false;
  const auto ids = organisations_where(user, roles, all);
  return std::find(ids.begin(), ids.end(), organisation_id) != ids.end();
}

}  // namespace evhub::api
