#include "kiln/train/embedding_bag.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "kiln/core/thread_pool.h"

namespace kiln::train {

namespace {

void RunParallel(const ParallelRunner& parallel, int64_t count, const std::function<void(int64_t)>& body) {
  if (parallel) {
    parallel(count, body);
  } else {
    ThreadPool::Default().ParallelFor(count, body);
  }
}

// Rows ahead that lookups and updates prefetch: the rows are scattered over
// tables far larger than the caches, so each is a memory round trip, and
// prefetching keeps several in flight.
constexpr int64_t kPrefetchDistance = 8;

// Brings the first cache line of a row (and its optimizer state) in.
void PrefetchRow(const EmbeddingTable& table, int64_t row) {
  const int64_t offset = row * table.dim;
  __builtin_prefetch(table.weights + offset, 1);
  if (table.first) __builtin_prefetch(table.first + offset, 1);
  if (table.second) __builtin_prefetch(table.second + offset, 1);
}

}  // namespace

std::vector<WorkPiece> SplitIntoPieces(const std::vector<int64_t>& sizes, int64_t piece_size) {
  std::vector<WorkPiece> pieces;
  for (size_t item = 0; item < sizes.size(); ++item) {
    for (int64_t begin = 0; begin < sizes[item]; begin += piece_size) {
      pieces.push_back({item, begin, std::min(sizes[item], begin + piece_size)});
    }
  }
  return pieces;
}

void GatherEmbeddings(const std::vector<EmbeddingTable>& tables, const int64_t* rows, int64_t batch, float* out,
                      const ParallelRunner& parallel) {
  const int64_t width = static_cast<int64_t>(tables.size());
  if (width == 0) return;
  const int64_t dim = tables[0].dim;
  RunParallel(parallel, (batch + 255) / 256, [&](int64_t block) {
    const int64_t end = std::min(batch, (block + 1) * 256);
    for (int64_t b = block * 256; b < end; ++b) {
      for (int64_t s = 0; s < width; ++s) {
        if (b + 2 < end) __builtin_prefetch(tables[s].weights + rows[(b + 2) * width + s] * dim);
        std::memcpy(out + (b * width + s) * dim, tables[s].weights + rows[b * width + s] * dim, dim * sizeof(float));
      }
    }
  });
}

namespace {

// Open-addressing slots of the distinct rows of one table in one batch: a
// batch touches at most `batch` rows, so a table of twice that many slots
// stays at most half full and probes stay short.
class RowSlots {
 public:
  explicit RowSlots(int64_t batch) {
    int64_t capacity = 16;
    while (capacity < 2 * batch) capacity *= 2;
    slots_.assign(capacity, -1);
    mask_ = capacity - 1;
  }

  // The index of `row` in `rows`, appending it when new (*added = true).
  int64_t Find(int64_t row, std::vector<int64_t>* rows, bool* added) {
    uint64_t h = (static_cast<uint64_t>(row) * 0x9E3779B97F4A7C15ull) >> 32;
    for (;; ++h) {
      int64_t& slot = slots_[h & mask_];
      if (slot < 0) {
        slot = static_cast<int64_t>(rows->size());
        rows->push_back(row);
        *added = true;
        return slot;
      }
      if ((*rows)[slot] == row) {
        *added = false;
        return slot;
      }
    }
  }

 private:
  std::vector<int64_t> slots_;  // Index into the rows, or -1.
  uint64_t mask_ = 0;           // capacity - 1 (a power of two).
};

}  // namespace

std::vector<SparseGradient> CoalesceGradients(const std::vector<EmbeddingTable>& tables, const int64_t* rows,
                                              int64_t batch, const float* gradient, const ParallelRunner& parallel) {
  const int64_t width = static_cast<int64_t>(tables.size());
  std::vector<SparseGradient> result(width);
  RunParallel(parallel, width, [&](int64_t s) {
    const int64_t dim = tables[s].dim;
    SparseGradient& out = result[s];
    out.rows.reserve(batch);
    out.values.resize(batch * dim);
    RowSlots slots(batch);
    for (int64_t b = 0; b < batch; ++b) {  // Example order: every sum runs in the same order.
      bool added = false;
      const int64_t index = slots.Find(rows[b * width + s], &out.rows, &added);
      const float* source = gradient + (b * width + s) * dim;
      float* target = out.values.data() + index * dim;
      if (added) {
        std::memcpy(target, source, dim * sizeof(float));
      } else {
        for (int64_t d = 0; d < dim; ++d) target[d] += source[d];
      }
    }
    out.values.resize(out.rows.size() * dim);
  });
  return result;
}

SparseGradient MergeSparseGradients(const std::vector<const SparseGradient*>& parts, int64_t dim) {
  std::vector<std::pair<int64_t, const float*>> entries;
  for (const SparseGradient* part : parts) {
    for (size_t i = 0; i < part->rows.size(); ++i) entries.emplace_back(part->rows[i], part->values.data() + i * dim);
  }
  // Stable: rows equal across ranks are summed in rank order on every rank.
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  SparseGradient merged;
  for (const auto& [row, values] : entries) {
    if (merged.rows.empty() || merged.rows.back() != row) {
      merged.rows.push_back(row);
      merged.values.insert(merged.values.end(), values, values + dim);
      continue;
    }
    float* target = merged.values.data() + merged.values.size() - dim;
    for (int64_t d = 0; d < dim; ++d) target[d] += values[d];
  }
  return merged;
}

std::string EncodeSparseGradients(const std::vector<SparseGradient>& gradients) {
  std::string bytes;
  for (const SparseGradient& gradient : gradients) {
    const int64_t count = static_cast<int64_t>(gradient.rows.size());
    bytes.append(reinterpret_cast<const char*>(&count), sizeof(count));
    bytes.append(reinterpret_cast<const char*>(gradient.rows.data()), count * sizeof(int64_t));
    bytes.append(reinterpret_cast<const char*>(gradient.values.data()), gradient.values.size() * sizeof(float));
  }
  return bytes;
}

Result<std::vector<SparseGradient>> DecodeSparseGradients(const std::string& bytes, int64_t tables, int64_t dim,
                                                          const std::string& what) {
  std::vector<SparseGradient> gradients(tables);
  size_t offset = 0;
  for (SparseGradient& gradient : gradients) {
    int64_t count = 0;
    if (bytes.size() - offset < sizeof(count)) return Status::Corruption(what + ": truncated sparse gradients");
    std::memcpy(&count, bytes.data() + offset, sizeof(count));
    offset += sizeof(count);
    const uint64_t need = static_cast<uint64_t>(count) * (sizeof(int64_t) + dim * sizeof(float));
    if (count < 0 || need > bytes.size() - offset) return Status::Corruption(what + ": truncated sparse gradients");
    gradient.rows.resize(count);
    gradient.values.resize(count * dim);
    std::memcpy(gradient.rows.data(), bytes.data() + offset, count * sizeof(int64_t));
    offset += count * sizeof(int64_t);
    std::memcpy(gradient.values.data(), bytes.data() + offset, count * dim * sizeof(float));
    offset += count * dim * sizeof(float);
  }
  if (offset != bytes.size()) return Status::Corruption(what + ": trailing bytes after sparse gradients");
  return gradients;
}

double SquaredNorm(const std::vector<SparseGradient>& gradients) {
  double sum = 0;
  for (const SparseGradient& gradient : gradients) {
    for (float value : gradient.values) sum += static_cast<double>(value) * value;
  }
  return sum;
}

void ApplySparseGradients(const StepUpdate& update, float scale, const std::vector<SparseGradient>& gradients,
                          std::vector<EmbeddingTable>* tables, const ParallelRunner& parallel) {
  // A table's rows are distinct, so pieces of one table are independent.
  constexpr int64_t kRowsPerPiece = 512;
  std::vector<int64_t> sizes;
  for (const SparseGradient& gradient : gradients) sizes.push_back(static_cast<int64_t>(gradient.rows.size()));
  const std::vector<WorkPiece> pieces = SplitIntoPieces(sizes, kRowsPerPiece);
  RunParallel(parallel, static_cast<int64_t>(pieces.size()), [&](int64_t p) {
    const WorkPiece& piece = pieces[p];
    EmbeddingTable& table = (*tables)[piece.item];
    const SparseGradient& gradient = gradients[piece.item];
    const int64_t dim = table.dim;
    std::vector<float> scaled(dim);
    for (int64_t i = piece.begin; i < piece.end; ++i) {
      if (i + kPrefetchDistance < piece.end) PrefetchRow(table, gradient.rows[i + kPrefetchDistance]);
      const int64_t offset = gradient.rows[i] * dim;
      const float* values = gradient.values.data() + i * dim;
      if (scale != 1.0f) {
        for (int64_t d = 0; d < dim; ++d) scaled[d] = values[d] * scale;
        values = scaled.data();
      }
      update.Apply(dim, values, table.weights + offset, table.first ? table.first + offset : nullptr,
                   table.second ? table.second + offset : nullptr);
    }
  });
}

}  // namespace kiln::train
