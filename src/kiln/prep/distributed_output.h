// Writing one dataset directory from every rank of a run (DatasetShare):
// rank 0 creates "<dir>.tmp-<rank 0's pid>", each rank stages its own parts
// there, the parts get their final names once the ranks know how many come
// before theirs, and rank 0 publishes the directory after everyone is done.
// Every function is collective and returns a failure of any rank on every
// rank. With one rank they are DatasetWriter's plain calls.
#pragma once

#include <memory>

#include "kiln/dist/communicator.h"
#include "kiln/prep/dataset_writer.h"

namespace kiln::prep {

// This rank's writer for `directory`: rank 0 creates the temporary
// directory (failing as DatasetWriter::Open does), then the others join it.
Result<std::unique_ptr<DatasetWriter>> OpenSharedDataset(const std::string& directory, const SchemaPtr& schema,
                                                         const DatasetWriteOptions& options,
                                                         dist::Communicator* world);

// Gives the ranks' parts their final names: rank r's parts follow those of
// ranks 0..r-1, so name order is input row order. REQUIRES: FinishParts().
Status NumberPartsAcrossRanks(DatasetWriter* writer, dist::Communicator* world);

// Publishes the dataset once every rank has committed its parts and rank 0's
// `state_saved` (the fitted state it wrote into the directory) is OK.
Status PublishDataset(DatasetWriter* writer, const Status& state_saved, dist::Communicator* world);

}  // namespace kiln::prep
