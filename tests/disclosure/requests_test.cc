// The request register on a real hub: requests numbered RQ-<year>-<n> from the log, versions
// never silently overwritten, every status step allowed and a forbidden one refused with the
// words a legal officer reads, correspondence stored as objects in the request's key domain,
// lists and the deadlines view, the contact never in requests.db, a view rebuilt from the log
// (numbers included, even after another organisation's requests were erased), and bad input.
#include "disclosure/requests.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "coding/framework.h"
#include "core/fs.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::disclosure {
namespace {

// Fictional people and references throughout.
const char* const kContact = "Prosecutor Ona Petraityte, +370 600 12345, o.petraityte@example.lt";
const char* const kLegalBasis = "European Convention on Mutual Assistance in Criminal Matters";
const char* const kPerson = "Ales Fictionalovich";

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::vector<std::string> ids_of(const std::vector<ListedRequest>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.id);
  return out;
}

class RequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    register_ = std::move(RequestRegister::open(*hub_)).value();
    auto framework = coding::default_framework();
    ASSERT_TRUE(framework.is_ok()) << framework.status().to_string();
    framework_ = std::move(framework).value();
  }

  static Request lithuania() {
    Request r;
    r.organisation_id = "org-a";
    r.requester = {"national-prosecution-service", "Lithuania", kContact};
    r.received_on = "2026-02-02";
    r.reference = "LT-PG-2026/114";
    r.legal_basis = kLegalBasis;
    r.scope.description = "everything on ill-treatment at Akrestsina in August 2020";
    r.scope.facilities = {"Akrestsina detention centre"};
    r.scope.places = {"Minsk"};
    r.scope.persons = {kPerson};
    r.scope.periods = {{"2020-08-09", "2020-08-31"}};
    r.scope.violation_types = {"physical.baton-blows"};
    r.terms.confidential = true;
    r.terms.confidentiality = "court use only";
    r.terms.minimise_reinterviews = true;
    r.terms.agreed_on = "2026-02-10";
    r.deadline = "2026-04-30";
    r.assignees = {"legal-1", "analyst-2"};
    r.updated_by = "legal-1";
    return r;
  }

  Request add(Request r) {
    auto added = register_->add(std::move(r), framework_);
    EXPECT_TRUE(added.is_ok()) << added.status().to_string();
    return added.is_ok() ? *added : Request{};
  }

  Request move(const Request& r, const std::string& to) {
    auto moved = register_->move(r.id, r.version, to, "legal-2");
    EXPECT_TRUE(moved.is_ok()) << r.status << " -> " << to << ": " << moved.status().to_string();
    return moved.is_ok() ? *moved : r;
  }

  void reopen_without_view() {
    register_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((hub_->layout().requests() + suffix).c_str());
    }
    register_ = std::move(RequestRegister::open(*hub_)).value();
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<RequestRegister> register_;
  coding::Framework framework_;
};

TEST_F(RequestsTest, ARequestIsRegisteredNumberedAndReadBack) {
  const Request first = add(lithuania());
  const std::string year = first.created_at.substr(0, 4);
  EXPECT_EQ(first.id, "RQ-" + year + "-0001");
  EXPECT_EQ(first.version, 1);
  EXPECT_EQ(first.status, "received");
  EXPECT_EQ(first.created_by, "legal-1");
  Request icc = lithuania();
  icc.requester = {"icc-otp", "ICC Office of the Prosecutor", "OTP desk"};
  EXPECT_EQ(add(icc).id, "RQ-" + year + "-0002");

  auto got = register_->get(first.id);
  ASSERT_TRUE(got.is_ok() && got->has_value()) << got.status().to_string();
  const Request& r = **got;
  EXPECT_EQ(r.id, first.id);
  EXPECT_EQ(r.requester.kind, "national-prosecution-service");
  EXPECT_EQ(r.requester.body, "Lithuania");
  EXPECT_EQ(r.requester.contact, kContact);
  EXPECT_EQ(r.received_on, "2026-02-02");
  EXPECT_EQ(r.reference, "LT-PG-2026/114");
  EXPECT_EQ(r.legal_basis, kLegalBasis);
  EXPECT_EQ(r.scope.facilities, std::vector<std::string>{"Akrestsina detention centre"});
  ASSERT_EQ(r.scope.periods.size(), 1U);
  EXPECT_EQ(r.scope.periods[0].to, "2020-08-31");
  EXPECT_EQ(r.scope.violation_types, std::vector<std::string>{"physical.baton-blows"});
  EXPECT_TRUE(r.terms.confidential);
  EXPECT_FALSE(r.terms.onward_sharing_allowed);
  EXPECT_TRUE(r.terms.minimise_reinterviews);
  EXPECT_EQ(r.terms.agreed_on, "2026-02-10");
  EXPECT_EQ(r.deadline, "2026-04-30");
  EXPECT_EQ(r.assignees, (std::vector<std::string>{"legal-1", "analyst-2"}));
  EXPECT_EQ(r.created_at, first.created_at);

  // Its records are in the organisation's requests domain, named in the log as records.
  auto objects = hub_->list(requests_domain("org-a"));
  ASSERT_TRUE(objects.is_ok());
  ASSERT_EQ(objects->size(), 2U);
  EXPECT_EQ(objects->at(0).record.record, std::optional<std::string>("request"));
}

TEST_F(RequestsTest, UpdatesCarryTheVersionSeenAndEveryVersionIsKept) {
  const Request v1 = add(lithuania());
  Request change = v1;
  change.deadline = "2026-05-15";
  change.assignees = {"legal-1"};
  change.updated_by = "legal-2";
  auto v2 = register_->update(change, framework_);
  ASSERT_TRUE(v2.is_ok()) << v2.status().to_string();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->id, v1.id);
  EXPECT_EQ(v2->created_by, "legal-1");

  // Someone else's edit, made on version 1, is refused rather than lost.
  Request late = v1;
  late.reference = "overwritten";
  auto refused = register_->update(late, framework_);
  ASSERT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("it is at version 2"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(register_->move(v1.id, 1, "scoping", "legal-2").status().code(),
            Code::kFailedPrecondition);

  auto history = register_->history(v1.id);
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ(history->at(0).deadline, "2026-04-30");
  EXPECT_EQ(history->at(1).deadline, "2026-05-15");
  EXPECT_EQ(history->at(0).id, v1.id);
  EXPECT_EQ(history->at(1).updated_by, "legal-2");
  auto now = register_->get(v1.id);
  ASSERT_TRUE(now.is_ok() && now->has_value());
  EXPECT_EQ((*now)->reference, "LT-PG-2026/114");
  EXPECT_EQ((*now)->version, 2);

  // A request stays with its organisation.
  Request elsewhere = **now;
  elsewhere.organisation_id = "org-b";
  elsewhere.updated_by = "legal-2";
  EXPECT_EQ(register_->update(elsewhere, framework_).status().code(), Code::kInvalidArgument);
}

TEST_F(RequestsTest, TheStatusStepsAreExactlyTheDocumentedOnes) {
  const std::map<std::string, std::set<std::string>> allowed = {
      {"received", {"scoping", "closed"}},
      {"scoping", {"collecting", "closed"}},
      {"collecting", {"legal-review", "closed"}},
      {"legal-review", {"approved", "collecting", "closed"}},
      {"approved", {"delivered", "collecting", "closed"}},
      {"delivered", {"collecting", "closed"}},
      {"closed", {}},
  };
  for (const char* from : kRequestStatuses) {
    for (const char* to : kRequestStatuses) {
      const bool ok = std::string(from) == to || allowed.at(from).count(to) > 0;
      EXPECT_EQ(!request_transition_problem(from, to).has_value(), ok) << from << " -> " << to;
    }
  }
  EXPECT_EQ(request_transition_problem("legal-review", "delivered"),
            "a request in legal-review can go to approved or closed, or back to collecting, not "
            "to delivered");
  EXPECT_EQ(request_transition_problem("received", "approved"),
            "a request in received can go to scoping or closed, not to approved");
  EXPECT_EQ(request_transition_problem("closed", "collecting"),
            "a closed request is final; it cannot go to collecting");
  EXPECT_NE(request_transition_problem("scoping", "answered")->find("unknown status \"answered\""),
            std::string::npos);
}

TEST_F(RequestsTest, EveryAllowedStepIsTakenAndAForbiddenOneRefused) {
  Request r = add(lithuania());
  for (const char* to : {"scoping", "collecting", "legal-review", "collecting", "legal-review",
                         "approved", "collecting", "legal-review", "approved", "delivered",
                         "collecting", "legal-review", "approved", "delivered", "closed"}) {
    r = move(r, to);
    EXPECT_EQ(r.status, to);
  }
  EXPECT_EQ(r.version, 16);
  // Closed is final.
  auto reopened = register_->move(r.id, r.version, "collecting", "legal-2");
  ASSERT_EQ(reopened.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(reopened.status().message(), "a closed request is final; it cannot go to collecting");

  // Every open state can be closed (answered, declined or withdrawn).
  for (const char* at : {"received", "scoping", "collecting", "legal-review", "approved"}) {
    Request other = add(lithuania());
    for (const char* step : {"scoping", "collecting", "legal-review", "approved"}) {
      if (other.status == at) break;
      other = move(other, step);
    }
    ASSERT_EQ(other.status, at);
    EXPECT_EQ(move(other, "closed").status, "closed");
  }

  // A skipped step, through move() and through update().
  Request review = add(lithuania());
  for (const char* step : {"scoping", "collecting", "legal-review"}) review = move(review, step);
  auto skipped = register_->move(review.id, review.version, "delivered", "legal-2");
  ASSERT_EQ(skipped.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(skipped.status().message(),
            "a request in legal-review can go to approved or closed, or back to collecting, not "
            "to delivered");
  Request edit = review;
  edit.status = "delivered";
  edit.updated_by = "legal-2";
  EXPECT_EQ(register_->update(edit, framework_).status().code(), Code::kFailedPrecondition);
  auto unknown = register_->move(review.id, review.version, "answered", "legal-2");
  ASSERT_EQ(unknown.status().code(), Code::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("unknown status \"answered\""), std::string::npos);
  auto still = register_->get(review.id);
  ASSERT_TRUE(still.is_ok() && still->has_value());
  EXPECT_EQ((*still)->status, "legal-review");
  EXPECT_EQ((*still)->version, review.version);
}

TEST_F(RequestsTest, CorrespondenceIsStoredInTheRequestsDomainAndListed) {
  const Request r = add(lithuania());
  const std::string letter = "%PDF-1.4 fictional letter of request LT-PG-2026/114";
  Correspondence in;
  in.direction = "in";
  in.on = "2026-02-01";
  in.label = "letter of request";
  in.media_type = "application/pdf";
  auto v2 = register_->add_correspondence(r.id, 1, in, letter, "legal-1");
  ASSERT_TRUE(v2.is_ok()) << v2.status().to_string();
  testing::write_text_file(tmp_ / "ack.txt", "We acknowledge receipt of your request.");
  auto file = local_fs().open_read(tmp_ / "ack.txt");
  ASSERT_TRUE(file.is_ok());
  Correspondence out;
  out.direction = "out";
  out.on = "2026-02-03";
  out.label = "acknowledgement";
  auto v3 = register_->add_correspondence(r.id, 2, out, **file, "legal-2");
  ASSERT_TRUE(v3.is_ok()) << v3.status().to_string();
  EXPECT_EQ(v3->version, 3);

  auto got = register_->get(r.id);
  ASSERT_TRUE(got.is_ok() && got->has_value());
  const auto& letters = (*got)->correspondence;
  ASSERT_EQ(letters.size(), 2U);
  EXPECT_EQ(letters[0].direction, "in");
  EXPECT_EQ(letters[0].on, "2026-02-01");
  EXPECT_EQ(letters[0].label, "letter of request");
  EXPECT_EQ(letters[0].added_by, "legal-1");
  EXPECT_EQ(letters[1].direction, "out");
  EXPECT_EQ(letters[1].label, "acknowledgement");
  // The letter is an object of the request's key domain, with its bytes.
  auto described = hub_->describe(letters[0].object_id);
  ASSERT_TRUE(described.is_ok());
  EXPECT_EQ(described->domain, requests_domain("org-a"));
  EXPECT_EQ(described->record.record, std::optional<std::string>("request-correspondence"));
  auto reader = hub_->open_object(letters[0].object_id);
  ASSERT_TRUE(reader.is_ok());
  EXPECT_EQ(*(*reader)->read_prefix(1 << 20), letter);

  // An update keeps the correspondence whatever the editor sent.
  Request edit = **got;
  edit.correspondence.clear();
  edit.updated_by = "legal-1";
  auto v4 = register_->update(edit, framework_);
  ASSERT_TRUE(v4.is_ok()) << v4.status().to_string();
  EXPECT_EQ(v4->correspondence.size(), 2U);

  // Refused: the same letter twice, a stale version, a bad direction or date, no one adding.
  EXPECT_EQ(register_->add_correspondence(r.id, 4, in, letter, "legal-1").status().code(),
            Code::kAlreadyExists);
  EXPECT_EQ(register_->add_correspondence(r.id, 3, in, "other", "legal-1").status().code(),
            Code::kFailedPrecondition);
  Correspondence sideways = in;
  sideways.direction = "sideways";
  auto bad_direction = register_->add_correspondence(r.id, 4, sideways, "x", "legal-1");
  ASSERT_EQ(bad_direction.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad_direction.status().message().find("\"in\""), std::string::npos);
  Correspondence typed = in;
  typed.media_type = "PDF by Ona Petraityte";
  auto bad_type = register_->add_correspondence(r.id, 4, typed, "x", "legal-1");
  ASSERT_EQ(bad_type.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad_type.status().message().find("type/subtype"), std::string::npos);
  Correspondence undated = in;
  undated.on = "1 Feb 2026";
  EXPECT_EQ(register_->add_correspondence(r.id, 4, undated, "x", "legal-1").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(register_->add_correspondence(r.id, 4, in, "y", "").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(register_->add_correspondence("RQ-2026-9999", 1, in, "z", "legal-1").status().code(),
            Code::kNotFound);
}

TEST_F(RequestsTest, ListsFilterByStatusKindOrganisationAndAssignee) {
  const Request a = add(lithuania());
  Request lawyer = lithuania();
  lawyer.requester = {"lawyer", "Counsel for a victim", "counsel@example.org"};
  lawyer.assignees = {"legal-3"};
  const Request b = add(lawyer);
  Request ngo = lithuania();
  ngo.organisation_id = "org-b";
  ngo.requester = {"ngo", "A human rights NGO", ""};
  const Request c = add(ngo);
  const Request a2 = move(a, "scoping");

  auto all = register_->list({}, {});
  ASSERT_TRUE(all.is_ok());
  // The most recently changed first.
  EXPECT_EQ(ids_of(*all), (std::vector<std::string>{a.id, c.id, b.id}));
  EXPECT_EQ(all->at(0).status, "scoping");
  EXPECT_EQ(all->at(0).version, 2);
  EXPECT_EQ(all->at(0).body, "Lithuania");
  EXPECT_EQ(all->at(0).deadline, "2026-04-30");

  auto of_a = register_->list({"org-a"}, {});
  ASSERT_TRUE(of_a.is_ok());
  EXPECT_EQ(ids_of(*of_a), (std::vector<std::string>{a.id, b.id}));
  RequestFilter received;
  received.status = "received";
  EXPECT_EQ(ids_of(*register_->list({}, received)), (std::vector<std::string>{c.id, b.id}));
  RequestFilter lawyers;
  lawyers.requester_kind = "lawyer";
  EXPECT_EQ(ids_of(*register_->list({}, lawyers)), std::vector<std::string>{b.id});
  RequestFilter assigned;
  assigned.assignee = "analyst-2";
  EXPECT_EQ(ids_of(*register_->list({}, assigned)), (std::vector<std::string>{a.id, c.id}));
  assigned.assignee = "legal-3";
  EXPECT_EQ(ids_of(*register_->list({}, assigned)), std::vector<std::string>{b.id});
  EXPECT_TRUE(register_->list({"org-c"}, {})->empty());

  RequestFilter bad_status;
  bad_status.status = "pending";
  EXPECT_EQ(register_->list({}, bad_status).status().code(), Code::kInvalidArgument);
  RequestFilter bad_kind;
  bad_kind.requester_kind = "journalist";
  EXPECT_EQ(register_->list({}, bad_kind).status().code(), Code::kInvalidArgument);
  (void)a2;
}

TEST_F(RequestsTest, TheDeadlinesViewShowsOpenRequestsByDeadline) {
  auto with_deadline = [&](const std::string& deadline, const std::string& org = "org-a") {
    Request r = lithuania();
    r.organisation_id = org;
    r.received_on = "2026-01-05";
    r.deadline = deadline;
    return add(r);
  };
  const Request later = with_deadline("2026-09-01");
  const Request overdue = with_deadline("2026-06-01");
  const Request today = with_deadline("2026-06-15");
  const Request soon = with_deadline("2026-06-22");
  const Request just_after = with_deadline("2026-06-23");
  const Request none = with_deadline("");
  Request closed = with_deadline("2026-06-02");
  closed = move(closed, "closed");
  Request delivered = with_deadline("2026-06-03");
  for (const char* step : {"scoping", "collecting", "legal-review", "approved", "delivered"}) {
    delivered = move(delivered, step);
  }
  const Request other_org = with_deadline("2026-06-10", "org-b");
  Request reviewing = with_deadline("2026-06-20");
  for (const char* step : {"scoping", "collecting", "legal-review"}) {
    reviewing = move(reviewing, step);
  }

  auto view = register_->deadlines({"org-a"}, "2026-06-15", 7);
  ASSERT_TRUE(view.is_ok()) << view.status().to_string();
  std::vector<std::string> ids;
  std::vector<std::string> states;
  std::vector<int> days;
  for (const auto& e : *view) {
    ids.push_back(e.request.id);
    states.push_back(deadline_state_name(e.state));
    days.push_back(e.days_left);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{overdue.id, today.id, reviewing.id, soon.id,
                                           just_after.id, later.id}));
  EXPECT_EQ(states, (std::vector<std::string>{"overdue", "due-soon", "due-soon", "due-soon",
                                              "later", "later"}));
  EXPECT_EQ(days, (std::vector<int>{-14, 0, 5, 7, 8, 78}));
  EXPECT_EQ(view->at(2).request.status, "legal-review");

  auto everyone = register_->deadlines({}, "2026-06-15", 0);
  ASSERT_TRUE(everyone.is_ok());
  ASSERT_EQ(everyone->size(), 7U);
  EXPECT_EQ(everyone->at(1).request.id, other_org.id);
  EXPECT_EQ(everyone->at(1).state, DeadlineState::kOverdue);
  EXPECT_EQ(everyone->at(2).state, DeadlineState::kDueSoon);  // due today
  EXPECT_EQ(everyone->at(3).state, DeadlineState::kLater);

  EXPECT_EQ(register_->deadlines({}, "15.06.2026", 7).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(register_->deadlines({}, "2026-06-15", -1).status().code(), Code::kInvalidArgument);
  (void)none;
}

TEST_F(RequestsTest, TheContactAndTheScopeNeverReachTheView) {
  const Request r = add(lithuania());
  Correspondence in;
  in.direction = "in";
  in.on = "2026-02-01";
  in.label = "letter-label-that-must-stay-encrypted";
  ASSERT_TRUE(register_->add_correspondence(r.id, 1, in, "a letter", "legal-1").is_ok());
  register_.reset();
  std::string bytes;
  for (const char* suffix : {"", "-wal"}) bytes += bytes_of(hub_->layout().requests() + suffix);
  EXPECT_NE(bytes.find("Lithuania"), std::string::npos);  // the view is real
  EXPECT_NE(bytes.find("LT-PG-2026/114"), std::string::npos);
  for (const char* secret :
       {kContact, "Petraityte", "+370 600 12345", kLegalBasis, kPerson, "court use only",
        "ill-treatment at Akrestsina", "letter-label-that-must-stay-encrypted"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
  // Nor the custody log, which names records only by kind.
  const std::string log = bytes_of(hub_->layout().custody() + "/events.jsonl");
  EXPECT_EQ(log.find("Petraityte"), std::string::npos);
  EXPECT_EQ(log.find("letter-label-that-must-stay-encrypted"), std::string::npos);
  EXPECT_NE(log.find("\"record\":\"request\""), std::string::npos);
}

TEST_F(RequestsTest, TheViewIsRebuiltFromTheLogWithTheSameNumbers) {
  Request other = lithuania();
  other.organisation_id = "org-b";
  const Request b1 = add(other);
  const Request a1 = add(lithuania());
  const Request a2 = move(move(add(lithuania()), "scoping"), "collecting");
  auto before = register_->list({}, {});
  ASSERT_TRUE(before.is_ok());

  reopen_without_view();
  auto after = register_->list({}, {});
  ASSERT_TRUE(after.is_ok());
  ASSERT_EQ(after->size(), before->size());
  for (std::size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ(after->at(i).id, before->at(i).id);
    EXPECT_EQ(after->at(i).version, before->at(i).version);
    EXPECT_EQ(after->at(i).status, before->at(i).status);
    EXPECT_EQ(after->at(i).assignees, before->at(i).assignees);
  }
  auto history = register_->history(a2.id);
  ASSERT_TRUE(history.is_ok());
  EXPECT_EQ(history->size(), 3U);

  // Organisation B's requests are erased: they are gone, and no number moves or is reused.
  ASSERT_TRUE(hub_->shred(requests_domain("org-b"), "the partnership ended").is_ok());
  auto gone = register_->get(b1.id);
  ASSERT_TRUE(gone.is_ok());
  EXPECT_FALSE(gone->has_value());
  reopen_without_view();
  EXPECT_EQ(ids_of(*register_->list({}, {})), (std::vector<std::string>{a2.id, a1.id}));
  auto kept = register_->get(a1.id);
  ASSERT_TRUE(kept.is_ok() && kept->has_value());
  EXPECT_EQ((*kept)->requester.contact, kContact);
  const std::string year = a1.created_at.substr(0, 4);
  EXPECT_EQ(b1.id, "RQ-" + year + "-0001");
  EXPECT_EQ(a1.id, "RQ-" + year + "-0002");
  EXPECT_EQ(add(lithuania()).id, "RQ-" + year + "-0004");
}

TEST_F(RequestsTest, UnknownIdsAreNotFound) {
  auto got = register_->get("RQ-2026-0042");
  ASSERT_TRUE(got.is_ok());
  EXPECT_FALSE(got->has_value());
  auto history = register_->history("RQ-2026-0042");
  ASSERT_TRUE(history.is_ok());
  EXPECT_TRUE(history->empty());
  Request r = lithuania();
  r.id = "RQ-2026-0042";
  r.version = 1;
  EXPECT_EQ(register_->update(r, framework_).status().code(), Code::kNotFound);
  auto moved = register_->move("RQ-2026-0042", 1, "scoping", "legal-1");
  ASSERT_EQ(moved.status().code(), Code::kNotFound);
  EXPECT_EQ(moved.status().message(), "there is no request RQ-2026-0042");
}

TEST_F(RequestsTest, BadInputIsRefusedWithAReasonAUserCanActOn) {
  struct Case {
    const char* name;
    std::function<void(Request&)> change;
    const char* message;  // a part of the message
  };
  const std::vector<Case> cases = {
      {"unknown kind", [](Request& r) { r.requester.kind = "journalist"; },
       "unknown requester kind \"journalist\"; kinds: national-prosecution-service, icc-otp, "
       "un-mechanism, osce-mechanism, lawyer, ngo"},
      {"no body", [](Request& r) { r.requester.body.clear(); }, "say which State or body"},
      {"bad date received", [](Request& r) { r.received_on = "2026-02-30"; },
       "the date received \"2026-02-30\" is not a date written YYYY-MM-DD"},
      {"bad deadline", [](Request& r) { r.deadline = "next week"; },
       "the deadline \"next week\" is not a date"},
      {"deadline before receipt", [](Request& r) { r.deadline = "2026-01-31"; },
       "the deadline (2026-01-31) comes before the request was received (2026-02-02)"},
      {"period backwards",
       [](Request& r) {
         r.scope.periods = {{"2020-08-31", "2020-08-09"}};
       },
       "the period 2020-08-31 to 2020-08-09 ends before it starts"},
      {"partial period",
       [](Request& r) {
         r.scope.periods = {{"2020-08", "2020-08-31"}};
       },
       "a period's start \"2020-08\" is not a date"},
      {"unknown category", [](Request& r) { r.scope.restricted = {"political"}; },
       "unknown restricted category \"political\"; a scope may cover: health, sexual-violence"},
      {"unknown violation type", [](Request& r) { r.scope.violation_types = {"physical.nothing"}; },
       "violation type physical.nothing: the coding framework has no such code"},
      {"malformed violation type", [](Request& r) { r.scope.violation_types = {"Baton Blows"}; },
       "is not a code id"},
      {"facility twice",
       [](Request& r) { r.scope.facilities.push_back("Akrestsina detention centre"); },
       "facilities \"Akrestsina detention centre\" is given twice"},
      {"assignee twice", [](Request& r) { r.assignees.push_back("legal-1"); },
       "assignee legal-1 is given twice"},
      {"terms agreed on no day", [](Request& r) { r.terms.agreed_on = "soon"; },
       "the day the terms were agreed"},
      {"contact not UTF-8", [](Request& r) { r.requester.contact = "\xff\xfe"; },
       "the requester's contact is UTF-8 text"},
      {"nobody", [](Request& r) { r.updated_by.clear(); }, "say who is making this change"},
      {"unknown status", [](Request& r) { r.status = "pending"; }, "unknown status \"pending\""},
      {"not received", [](Request& r) { r.status = "approved"; },
       "a new request starts as received, not approved"},
      {"no organisation", [](Request& r) { r.organisation_id.clear(); },
       "a request needs the organisation answering it"},
      {"letters at registration",
       [](Request& r) {
         r.correspondence.push_back({"x", "in", "2026-02-01", "l", "", "", ""});
       },
       "register the request first"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Request r = lithuania();
    c.change(r);
    auto added = register_->add(r, framework_);
    ASSERT_EQ(added.status().code(), Code::kInvalidArgument);
    EXPECT_NE(added.status().message().find(c.message), std::string::npos)
        << added.status().message();
  }
  EXPECT_TRUE(register_->list({}, {})->empty());  // nothing was stored

  // A violation type the newest version already has stays, even if the framework lost it.
  const Request r = add(lithuania());
  Request edit = r;
  edit.updated_by = "legal-1";
  edit.deadline = "2026-05-01";
  EXPECT_TRUE(register_->update(edit, coding::Framework{}).is_ok());
  edit.version = 2;
  edit.scope.violation_types.push_back("physical");
  EXPECT_EQ(register_->update(edit, coding::Framework{}).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace evhub::disclosure
