#include "kiln/core/batch_stream.h"

namespace kiln {

Result<Table> ReadAll(BatchReader* reader) {
  Table table(reader->schema());
  for (;;) {
    RecordBatchPtr batch;
    Status status = reader->Next(&batch);
    if (!status.ok()) return status;
    if (batch == nullptr) return table;
    table.AddBatch(std::move(batch));
  }
}

}  // namespace kiln
