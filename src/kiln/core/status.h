// Status and Result<T>: how every fallible call in Kiln reports failure.
//
// A Status is either OK or carries a code and a human-readable message that
// names where the problem is (file, line or row, column). Result<T> holds a
// value or a non-OK Status. Both are cheap to return when OK.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace kiln {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // The caller asked for something that makes no sense.
    kIOError,          // The operating system refused a read, write or open.
    kCorruption,       // Input data is malformed.
    kNotSupported,     // Valid input that Kiln does not handle (yet).
    kNotFound,         // A named file, column or key does not exist.
    kInternal,         // A broken invariant inside Kiln.
    kNotCanonical,     // Valid text not in the canonical form a fast path requires; read it another way.
  };

  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string message) { return Status(Code::kInvalidArgument, std::move(message)); }
  static Status IOError(std::string message) { return Status(Code::kIOError, std::move(message)); }
  static Status Corruption(std::string message) { return Status(Code::kCorruption, std::move(message)); }
  static Status NotSupported(std::string message) { return Status(Code::kNotSupported, std::move(message)); }
  static Status NotFound(std::string message) { return Status(Code::kNotFound, std::move(message)); }
  static Status Internal(std::string message) { return Status(Code::kInternal, std::move(message)); }
  static Status NotCanonical(std::string message) { return Status(Code::kNotCanonical, std::move(message)); }
  // An IOError whose message ends with strerror(errno_value).
  static Status FromErrno(const std::string& context, int errno_value);

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  // The message without the code name; empty when OK.
  const std::string& message() const;
  // "OK" or "<code name>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>". OK stays OK.
  Status WithContext(const std::string& context) const;

 private:
  struct State {
    Code code;
    std::string message;
  };
  Status(Code code, std::string message)
      : state_(std::make_shared<const State>(State{code, std::move(message)})) {}

  std::shared_ptr<const State> state_;  // Null when OK; shared so copies are cheap.
};

const char* StatusCodeName(Status::Code code);

// A value of type T or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit on purpose
    assert(!status_.ok() && "Result built from an OK status has no value");
    if (status_.ok()) status_ = Status::Internal("Result constructed from OK status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;           // OK iff value_ holds a value.
  std::optional<T> value_;  // The result, when OK.
};

}  // namespace kiln
