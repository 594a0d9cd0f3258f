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
    case TypeId::kBool:
      ConvertTyped<uint8_t>(column, begin, count, stride, out);
      break;
    case TypeId::kInt32:
      ConvertTyped<int32_t>(column, begin, count, stride, out);
      break;
    case TypeId::kUInt32:
      ConvertTyped<uint32_t>(column, begin, count, stride, out);
      break;
    case TypeId::kInt64:
      ConvertTyped<int64_t>(column, begin, count, stride, out);
      break;
    case TypeId::kUInt64:
      ConvertTyped<uint64_t>(column, begin, count, stride, out);
      break;
    case TypeId::kFloat32:
      ConvertTyped<float>(column, begin, count, stride, out);
      break;
    default:
      ConvertTyped<double>(column, begin, count, stride, out);
      break;
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

// out[r * width + c] = columns[c][r]: row by row, so the writes are
// sequential and each column is read as a forward stream.
template <typename In, typename Out>
void GatherRows(const std::vector<const In*>& columns, int64_t count, Out* out) {
  const size_t width = columns.size();
  for (int64_t r = 0; r < count; ++r) {
    for (size_t c = 0; c < width; ++c) out[r * width + c] = static_cast<Out>(columns[c][r]);
  }
}

// The `width` columns from `first_field` on, when all are of type In with no
// nulls (the common case, which GatherRows serves), else nothing.
template <typename In>
std::vector<const In*> UniformColumns(const RecordBatch& columns, const BoundMapping& mapping, int first_field,
                                      int width, TypeId type, int64_t begin) {
  std::vector<const In*> pointers;
  for (int c = 0; c < width; ++c) {
    const Column& column = columns.column(first_field + c);
    if (mapping.types[first_field + c] != type || column.null_count() > 0) return {};
    pointers.push_back(column.data<In>() + begin);
  }
  return pointers;
}

// Converts columns [first_field, first_field + width) into `out`, row-major
// with `width` values per row.
template <typename Out>
void FillGroup(const RecordBatch& columns, const BoundMapping& mapping, int first_field, int width, int64_t begin,
               int64_t count, Out* out) {
  if (width == 0) return;
  auto float32 = UniformColumns<float>(columns, mapping, first_field, width, TypeId::kFloat32, begin);
  if (!float32.empty()) return GatherRows(float32, count, out);
  auto int32 = UniformColumns<int32_t>(columns, mapping, first_field, width, TypeId::kInt32, begin);
  if (!int32.empty()) return GatherRows(int32, count, out);
  for (int c = 0; c < width; ++c) {
    Convert(columns.column(first_field + c), mapping.types[first_field + c], begin, count, width, out + c);
  }
}

void FillTile(const RecordBatch& columns, const BoundMapping& mapping, int64_t begin, int64_t count, int64_t out_row,
              Batch* batch) {
  const int first_dense = mapping.has_label ? 1 : 0;
  const int first_sparse = first_dense + mapping.dense_width;
  FillGroup(columns, mapping, first_dense, mapping.dense_width, begin, count,
            batch->dense.data() + out_row * mapping.dense_width);
  FillGroup(columns, mapping, first_sparse, mapping.sparse_width, begin, count,
            batch->sparse.data() + out_row * mapping.sparse_width);
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
