#include "kiln/core/status.h"

#include <cstring>

namespace kiln {

const char* StatusCodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kInvalidArgument: return "Invalid argument";
    case Status::Code::kIOError: return "IO error";
    case Status::Code::kCorruption: return "Corruption";
    case Status::Code::kNotSupported: return "Not supported";
    case Status::Code::kNotFound: return "Not found";
    case Status::Code::kInternal: return "Internal error";
    case Status::Code::kNotCanonical: return "Not canonical";
  }
  return "Unknown";
}

Status Status::FromErrno(const std::string& context, int errno_value) {
  return IOError(context + ": " + std::strerror(errno_value));
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(state_->code)) + ": " + state_->message;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(state_->code, context + ": " + state_->message);
}

}  // namespace kiln
