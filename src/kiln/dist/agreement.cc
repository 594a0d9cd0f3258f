#include "kiln/dist/agreement.h"

namespace kiln::dist {

std::string EncodeStatus(const Status& status) {
  return std::string(1, static_cast<char>(status.code())) + status.message();
}

Status DecodeStatus(const std::string& bytes) {
  if (bytes.empty()) return Status::Internal("a rank sent an empty status");
  std::string message = bytes.substr(1);
  switch (static_cast<Status::Code>(bytes[0])) {
    case Status::Code::kOk: return Status::OK();
    case Status::Code::kInvalidArgument: return Status::InvalidArgument(std::move(message));
    case Status::Code::kIOError: return Status::IOError(std::move(message));
    case Status::Code::kCorruption: return Status::Corruption(std::move(message));
    case Status::Code::kNotSupported: return Status::NotSupported(std::move(message));
    case Status::Code::kNotFound: return Status::NotFound(std::move(message));
    case Status::Code::kInternal: return Status::Internal(std::move(message));
    case Status::Code::kNotCanonical: return Status::NotCanonical(std::move(message));
  }
  return Status::Internal("a rank sent an unknown status code: " + message);
}

Status AgreeOnStatus(Communicator* communicator, const Status& local) {
  if (communicator->size() == 1) return local;
  std::vector<std::string> outcomes = communicator->AllGather(EncodeStatus(local));
  for (size_t rank = 0; rank < outcomes.size(); ++rank) {
    Status status = DecodeStatus(outcomes[rank]);
    if (!status.ok()) {
      return status.WithContext("rank " + std::to_string(rank) + " of " + std::to_string(outcomes.size()));
    }
  }
  return Status::OK();
}

}  // namespace kiln::dist
