#include "kiln/data/batch_fill.h"

#include <algorithm>

namespace kiln::data {

namespace {

// out[r * stride] = column[begin + r] for r < count, nulls as 0.
template <typename In, typename Out>
void ConvertTyped(const Column& column, int64_t begin, int64_t count, int stride, Out* out) {
  const In* values = column.data<In>() + begin;
  for (int64_t r = 0; r < count; ++r) out[r * stride] = static_cast<Out>(values[r]);
  if (column.null_count() == 0) return;
  for (int64_t r = 0; r < count; ++r) {
    if (column.IsNull(begin + r)) out[r * stride] = 0;
  }
}

template <typename Out>
void Convert(const Column& column, TypeId type, int64_t begin, int64_t count, int stride, Out* out) {
  switch (type) {
    case TypeId::kBool: ConvertTyped<uint8_t>(column, begin, count, stride, out); break;
    case TypeId::kInt32: ConvertTyped<int32_t>(column, begin, count, stride, out); break;
    case TypeId::kUInt32: ConvertTyped<uint32_t>(column, begin, count, stride, out); break;
    case TypeId::kInt64: ConvertTyped<int64_t>(column, begin, count, stride, out); break;
    case TypeId::kUInt64: ConvertTyped<uint64_t>(column, begin, count, stride, out); break;
    case TypeId::kFloat32: ConvertTyped<float>(column, begin, count, stride, out); break;
    default: ConvertTyped<double>(column, begin, count, stride, out); break;
  }
}

// The ids of rows [begin, begin + count) of a list column; null lists and
// null ids read as empty and 0.
void ConvertList(const Column& column, TypeId element, int64_t begin, int64_t count, ListFeature* out) {
  out->offsets.assign(count + 1, 0);
  const int64_t first = column.ListBegin(begin);
  const int64_t last = column.ListEnd(begin + count - 1);
  out->values.assign(last - first, 0);
  Convert(column.child(), element, first, last - first, 1, out->values.data());
  for (int64_t r = 0; r < count; ++r) {
    out->offsets[r + 1] = column.ListEnd(begin + r) - first;
  }
  if (column.null_count() == 0) return;
  // A null list keeps its child range in the values; drop those ids so the
  // offsets stay contiguous.
  std::vector<int64_t> kept;
  kept.reserve(out->values.size());
  for (int64_t r = 0; r < count; ++r) {
    int64_t from = column.ListBegin(begin + r) - first;
    int64_t to = column.IsNull(begin + r) ? from : column.ListEnd(begin + r) - first;
    kept.insert(kept.end(), out->values.begin() + from, out->values.begin() + to);
    out->offsets[r + 1] = static_cast<int64_t>(kept.size());
  }
  out->values = std::move(kept);
}

}  // namespace

void ResizeBatch(const BoundMapping& mapping, int64_t rows, Batch* batch) {
  batch->rows = rows;
  batch->dense_width = mapping.dense_width;
  batch->sparse_width = mapping.sparse_width;
  batch->label.resize(mapping.has_label ? rows : 0);
  batch->dense.resize(rows * mapping.dense_width);
  batch->sparse.resize(rows * mapping.sparse_width);
  batch->lists.resize(mapping.list_count);
  for (ListFeature& list : batch->lists) {
    list.values.clear();
    list.offsets.assign(1, 0);
  }
  batch->mask.assign(rows, 1);
  batch->padded_rows = 0;
}

namespace {

// Rows converted together: each column writes strided into the tile's rows,
// which stay in cache until every column is done (a whole unit at a time
// would stream the staged block through memory once per column).
constexpr int64_t kTileRows = 256;

void FillTile(const RecordBatch& columns, const BoundMapping& mapping, int64_t begin, int64_t count, int64_t out_row,
              Batch* batch) {
  int field = mapping.has_label ? 1 : 0;
  for (int d = 0; d < mapping.dense_width; ++d, ++field) {
    Convert(columns.column(field), mapping.types[field], begin, count, mapping.dense_width,
            batch->dense.data() + out_row * mapping.dense_width + d);
  }
  for (int s = 0; s < mapping.sparse_width; ++s, ++field) {
    Convert(columns.column(field), mapping.types[field], begin, count, mapping.sparse_width,
            batch->sparse.data() + out_row * mapping.sparse_width + s);
  }
}

}  // namespace

Status FillBatch(const RecordBatch& columns, const BoundMapping& mapping, int64_t begin, int64_t count, bool padded,
                 const std::string& where, Batch* batch) {
  ResizeBatch(mapping, count, batch);
  int field = 0;
  if (mapping.has_label) {
    const Column& label = columns.column(field);
    if (label.null_count() > 0) {
      for (int64_t r = 0; r < count; ++r) {
        if (label.IsNull(begin + r)) {
          return Status::Corruption(where + ": row " + std::to_string(begin + r + 1) + ": the label '" +
                                    columns.schema()->field(field).name + "' is null");
        }
      }
    }
    Convert(label, mapping.types[field], begin, count, 1, batch->label.data());
    ++field;
  }
  for (int64_t tile = 0; tile < count; tile += kTileRows) {
    FillTile(columns, mapping, begin + tile, std::min(kTileRows, count - tile), tile, batch);
  }
  field += mapping.dense_width + mapping.sparse_width;
  for (int l = 0; l < mapping.list_count && count > 0; ++l, ++field) {
    ConvertList(columns.column(field), mapping.types[field], begin, count, &batch->lists[l]);
  }
  if (padded) {
    std::fill(batch->mask.begin(), batch->mask.end(), 0);
    batch->padded_rows = count;
  }
  return Status::OK();
}

}  // namespace kiln::data
