#include "kiln/prep/distributed_output.h"

#include <unistd.h>

#include "kiln/dist/agreement.h"

namespace kiln::prep {

Result<std::unique_ptr<DatasetWriter>> OpenSharedDataset(const std::string& directory, const SchemaPtr& schema,
                                                         const DatasetWriteOptions& options,
                                                         dist::Communicator* world) {
  if (world->size() == 1) return DatasetWriter::Open(directory, schema, options);
  DatasetShare share;
  share.publisher = world->rank() == 0;
  share.run_id = world->AllGather(std::to_string(getpid()))[0];
  share.rank = world->rank();
  Result<std::unique_ptr<DatasetWriter>> writer = Status::Internal("not opened");
  if (share.publisher) writer = DatasetWriter::Open(directory, schema, options, share);
  Status status = dist::AgreeOnStatus(world, share.publisher ? writer.status() : Status::OK());
  if (!status.ok()) return status;
  if (!share.publisher) writer = DatasetWriter::Open(directory, schema, options, share);
  status = dist::AgreeOnStatus(world, writer.status());
  if (!status.ok()) return status;
  return writer;
}

Status NumberPartsAcrossRanks(DatasetWriter* writer, dist::Communicator* world) {
  if (world->size() == 1) return Status::OK();
  std::vector<int64_t> parts(world->size(), 0);
  parts[world->rank()] = writer->parts_written();
  world->AllReduceSum(parts);
  int64_t first = 0, total = 0;
  for (int r = 0; r < world->size(); ++r) {
    if (r < world->rank()) first += parts[r];
    total += parts[r];
  }
  return dist::AgreeOnStatus(world, writer->NumberParts(static_cast<int>(first), static_cast<int>(total)));
}

Status PublishDataset(DatasetWriter* writer, const Status& state_saved, dist::Communicator* world) {
  Status status = dist::AgreeOnStatus(world, state_saved);
  if (!status.ok()) return status;
  // The other ranks close their parts first; rank 0 renames the directory last.
  if (world->rank() != 0) status = writer->Commit();
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  if (world->rank() == 0) status = writer->Commit();
  return dist::AgreeOnStatus(world, status);
}

}  // namespace kiln::prep
