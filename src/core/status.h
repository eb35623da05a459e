// Status and Result<T>: how every layer reports an expected failure (bad input, a missing
// object, a wrong passphrase, a full disk) as a value with a message a person can act on.
// Exceptions are reserved for bugs and are turned into a message at the edge (CLI, HTTP).
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace evhub {

// Each code maps to one documented exit code of the CLI (see src/cli/exit_codes.h).
enum class Code {
  kOk = 0,
  kInvalidArgument,    // the caller asked for something malformed
  kNotFound,           // unknown id, domain or file
  kUnauthenticated,    // wrong passphrase or key file
  kIntegrity,          // a hash, tag or signature did not check
  kIoError,            // the operating system refused a read or write
  kNoSpace,            // disk full or file size limit reached
  kBusy,               // another process holds the hub
  kErased,             // the material was crypto-shredded
  kAlreadyExists,      // e.g. init over an existing hub
  kFailedPrecondition  // the hub is not in a state that allows this
};

const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "integrity: object 3fa…: chunk 2 failed authentication"
  std::string to_string() const;
  // Prefixes context, keeping the code: "reading config: <message>".
  Status with_context(const std::string& context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  // By value on a temporary, so `for (auto& x : *make_result())` cannot dangle.
  T operator*() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace evhub

// Returns early from a function returning Status or Result<T>.
#define EVHUB_RETURN_IF_ERROR(expr)                   \
  do {                                                \
    ::evhub::Status evhub_status_ = (expr);           \
    if (!evhub_status_.is_ok()) return evhub_status_; \
  } while (0)

#define EVHUB_CONCAT_INNER(a, b) a##b
#define EVHUB_CONCAT(a, b) EVHUB_CONCAT_INNER(a, b)
#define EVHUB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.is_ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
// EVHUB_ASSIGN_OR_RETURN(auto x, f()); declares x from f()'s value or returns its Status.
#define EVHUB_ASSIGN_OR_RETURN(lhs, expr) \
  EVHUB_ASSIGN_OR_RETURN_IMPL(EVHUB_CONCAT(evhub_result_, __LINE__), lhs, expr)
