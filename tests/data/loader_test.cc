// The Loader end to end on small Parquet and DLRM datasets: order, shuffle
// determinism, sharding across ranks, resume, multi-hot lists, prefetch
// memory and errors.
#include "kiln/data/loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "dataset_fixture.h"
#include "kiln/core/column_builder.h"
#include "kiln/data/prefetcher.h"
#include "kiln/parquet/file_writer.h"
#include "testing/temp_dir.h"

namespace kiln::data {
namespace {

using testing::DeliveredRow;
using testing::DrainLoader;
using testing::OpenLoader;

std::vector<DeliveredRow> Flatten(const std::vector<std::vector<DeliveredRow>>& batches) {
  std::vector<DeliveredRow> rows;
  for (const auto& batch : batches) rows.insert(rows.end(), batch.begin(), batch.end());
  return rows;
}

class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::FixtureOptions fixture;
    fixture.rows = 1000;
    fixture.files = 3;
    fixture.row_group_rows = 64;
    testing::WriteIdDataset(directory_.path(), fixture);
  }

  LoaderOptions Options() const {
    LoaderOptions options;
    options.paths = {directory_.path()};
    options.mapping = testing::IdMapping();
    options.batch_size = 50;
    options.rank = 0;
    options.world = 1;
    options.shuffle_buffer_rows = 200;
    options.prefetch.threads = 2;
    return options;
  }

  testing::TempDir directory_;
};

TEST_F(LoaderTest, WithoutShuffleRowsComeInFileOrder) {
  LoaderOptions options = Options();
  options.shuffle = false;
  options.batch_size = 64;
  auto loader = OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(loader->batches_per_epoch(), 15);  // 1000 / 64, drop_last.
  std::vector<DeliveredRow> rows = Flatten(DrainLoader(loader.get()));
  ASSERT_EQ(rows.size(), 960u);
  for (int64_t i = 0; i < 960; ++i) EXPECT_EQ(rows[i].id, i);
}

TEST_F(LoaderTest, BatchHoldsEveryMappedColumn) {
  LoaderOptions options = Options();
  options.shuffle = false;
  options.mapping.lists = {"tags"};
  auto loader = OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  Batch batch;
  ASSERT_TRUE(loader->Next(&batch).ok());
  ASSERT_TRUE(loader->Next(&batch).ok());  // Rows 50..99.
  ASSERT_EQ(batch.rows, 50);
  ASSERT_EQ(batch.lists.size(), 1u);
  const ListFeature& tags = batch.lists[0];
  ASSERT_EQ(tags.offsets.size(), 51u);
  for (int64_t r = 0; r < 50; ++r) {
    const int64_t id = 50 + r;
    EXPECT_EQ(batch.label[r], static_cast<float>(id % 2));
    EXPECT_EQ(batch.dense[r], static_cast<float>(id));
    EXPECT_EQ(batch.sparse[r], 10 * id);
    ASSERT_EQ(tags.offsets[r + 1] - tags.offsets[r], id % 3) << "row " << id;
    for (int64_t t = 0; t < id % 3; ++t) EXPECT_EQ(tags.values[tags.offsets[r] + t], id + t);
  }
}

TEST_F(LoaderTest, ShuffleIsDeterministicBySeedAndEpoch) {
  LoaderOptions options = Options();
  options.epochs = 2;
  options.batch_size = 40;  // 1000 rows: 25 whole batches, none dropped.
  options.seed = 11;
  auto first = DrainLoader(OpenLoader(options).get());
  auto again = DrainLoader(OpenLoader(options).get());
  ASSERT_EQ(first.size(), 50u);
  EXPECT_EQ(first, again);
  std::vector<DeliveredRow> epoch0 = Flatten({first.begin(), first.begin() + 25});
  std::vector<DeliveredRow> epoch1 = Flatten({first.begin() + 25, first.end()});
  EXPECT_NE(epoch0, epoch1);
  for (auto* epoch : {&epoch0, &epoch1}) {
    std::vector<int64_t> ids;
    for (const auto& row : *epoch) ids.push_back(row.id);
    std::vector<int64_t> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    for (int64_t i = 0; i < 1000; ++i) ASSERT_EQ(sorted[i], i);  // A permutation.
    int64_t in_place = 0;
    for (int64_t i = 0; i < 1000; ++i) in_place += ids[i] == i;
    EXPECT_LT(in_place, 50);  // Actually mixed.
  }
  options.seed = 12;
  EXPECT_NE(DrainLoader(OpenLoader(options).get()), first);
}

TEST_F(LoaderTest, ShardingAcrossRanksThroughTheLoader) {
  for (int world : {1, 2, 3, 8}) {
    for (bool drop_last : {true, false}) {
      SCOPED_TRACE("world " + std::to_string(world) + (drop_last ? " drop_last" : " pad"));
      std::set<int64_t> seen;
      int64_t padded = 0;
      size_t batches = 0;
      for (int rank = 0; rank < world; ++rank) {
        LoaderOptions options = Options();
        options.rank = rank;
        options.world = world;
        options.drop_last = drop_last;
        options.batch_size = 48;
        auto delivered = DrainLoader(OpenLoader(options).get());
        if (rank == 0) batches = delivered.size();
        EXPECT_EQ(delivered.size(), batches);
        for (const auto& batch : delivered) {
          EXPECT_EQ(batch.size(), 48u);
          for (const DeliveredRow& row : batch) {
            if (row.padded) {
              ++padded;
            } else {
              EXPECT_TRUE(seen.insert(row.id).second) << "row " << row.id << " delivered twice";
            }
          }
        }
      }
      EXPECT_GE(static_cast<int64_t>(seen.size()), 1000 - (world * 48 - 1));
      if (drop_last) {
        EXPECT_EQ(padded, 0);
      } else {
        EXPECT_EQ(seen.size(), 1000u);
        EXPECT_LT(padded, world * 48);
      }
    }
  }
}

TEST_F(LoaderTest, RankAndWorldFromOpenMpiEnvironment) {
  setenv("OMPI_COMM_WORLD_RANK", "2", 1);
  setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
  LoaderOptions options = Options();
  options.rank = -1;
  options.world = -1;
  auto loader = OpenLoader(options);
  unsetenv("OMPI_COMM_WORLD_RANK");
  unsetenv("OMPI_COMM_WORLD_SIZE");
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(loader->rank(), 2);
  EXPECT_EQ(loader->world(), 3);
  ShardOptions shard;
  EXPECT_FALSE(ResolveShard(3, 3, &shard).ok());
}

TEST_F(LoaderTest, ResumedStreamEqualsUninterrupted) {
  for (int64_t buffer : {int64_t{0}, int64_t{200}}) {
    LoaderOptions options = Options();
    options.epochs = 3;
    options.shuffle_buffer_rows = buffer;
    options.unit_rows = 20;
    auto whole = DrainLoader(OpenLoader(options).get());
    ASSERT_EQ(whole.size(), 60u);
    for (int64_t stop : {1, 7, 20, 33, 59}) {
      SCOPED_TRACE("buffer " + std::to_string(buffer) + ", stop after " + std::to_string(stop));
      auto first = OpenLoader(options);
      Batch batch;
      for (int64_t i = 0; i < stop; ++i) ASSERT_TRUE(first->Next(&batch).ok());
      LoaderOptions resumed = options;
      resumed.start = first->position();
      EXPECT_EQ(resumed.start.epoch, stop / 20);
      EXPECT_EQ(resumed.start.batch, stop % 20);
      auto rest = DrainLoader(OpenLoader(resumed).get());
      ASSERT_EQ(rest.size(), whole.size() - stop);
      EXPECT_TRUE(std::equal(rest.begin(), rest.end(), whole.begin() + stop));
    }
  }
}

TEST_F(LoaderTest, SplitUnitsDeliverTheSameRows) {
  LoaderOptions options = Options();
  options.batch_size = 40;
  options.unit_rows = 16;
  auto loader = OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  // Files of 334/333/333 rows in groups of 64 (the last 13 or 14), split by 16: 21 units each.
  EXPECT_EQ(loader->source().units().size(), 63u);
  std::vector<DeliveredRow> rows = Flatten(DrainLoader(loader.get()));
  std::set<int64_t> ids;
  for (const auto& row : rows) ids.insert(row.id);
  EXPECT_EQ(ids.size(), 1000u);
}

TEST_F(LoaderTest, PrefetchHonoursItsMemoryLimit) {
  auto source = DataSource::Open({{directory_.path()}, testing::IdMapping(), 0, {}});
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  std::vector<int64_t> unit_rows;
  for (const ReadUnit& unit : (*source)->units()) unit_rows.push_back(unit.rows);
  EpochPlan plan = PlanEpoch(unit_rows, UnitOrder(unit_rows.size(), false, 0, 0), {0, 1, 1, true});
  const int64_t slice_bytes = 64 * (*source)->mapping().RowBytes();
  Prefetcher prefetcher(source->get(), plan.slices, {2, 3 * slice_bytes});
  Batch block;
  int64_t rows = 0;
  for (bool end = false;;) {
    EXPECT_LE(prefetcher.reserved_bytes(), 3 * slice_bytes);
    ASSERT_TRUE(prefetcher.Next(&block, &end).ok());
    if (end) break;
    rows += block.rows;
  }
  EXPECT_EQ(rows, 1000);
}

TEST_F(LoaderTest, MetricsCountRowsAndBytes) {
  LoaderOptions options = Options();
  auto loader = OpenLoader(options);
  DrainLoader(loader.get());
  LoaderMetrics metrics = loader->metrics();
  EXPECT_EQ(metrics.batches, 20);
  EXPECT_EQ(metrics.rows, 1000);
  EXPECT_GT(metrics.bytes_read, 0);
  EXPECT_GE(metrics.seconds, metrics.blocked_seconds);
}

TEST_F(LoaderTest, DlrmBinarySourceMatchesItsRows) {
  testing::TempDir dlrm;
  testing::WriteIdDlrmFile(dlrm.File("part-00000.dlrm"), 1000);
  LoaderOptions options;
  options.paths = {dlrm.path()};
  options.batch_size = 100;
  options.unit_rows = 64;
  options.seed = 5;
  options.rank = 1;
  options.world = 2;
  auto loader = OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  Batch batch;
  ASSERT_TRUE(loader->Next(&batch).ok());
  ASSERT_EQ(batch.dense_width, 13);
  ASSERT_EQ(batch.sparse_width, 26);
  for (int64_t r = 0; r < batch.rows; ++r) {
    const int64_t id = static_cast<int64_t>(batch.dense[r * 13]);
    EXPECT_EQ(batch.label[r], static_cast<float>(id % 2));
    EXPECT_EQ(batch.dense[r * 13 + 12], 0.5f);
    EXPECT_EQ(batch.sparse[r * 26], id);
    EXPECT_EQ(batch.sparse[r * 26 + 25], 0);
  }
  // The same sharding and shuffling as Parquet: both ranks together cover
  // every row once.
  std::set<int64_t> seen;
  for (int rank = 0; rank < 2; ++rank) {
    options.rank = rank;
    for (const auto& row : Flatten(DrainLoader(OpenLoader(options).get()))) EXPECT_TRUE(seen.insert(row.id).second);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

// Bad input: each error names the file.
TEST_F(LoaderTest, MissingColumnNamesFileAndColumn) {
  LoaderOptions options = Options();
  options.mapping.dense = {"x", "nope"};
  auto loader = Loader::Open(options);
  ASSERT_FALSE(loader.ok());
  EXPECT_NE(loader.status().message().find("part-00000.parquet"), std::string::npos) << loader.status().ToString();
  EXPECT_NE(loader.status().message().find("nope"), std::string::npos);
}

TEST_F(LoaderTest, TypeMismatchNamesFileAndColumn) {
  LoaderOptions options = Options();
  options.mapping.sparse = {"name"};
  auto loader = Loader::Open(options);
  ASSERT_FALSE(loader.ok());
  EXPECT_EQ(loader.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(loader.status().message().find("part-00000.parquet: column 'name' is string"), std::string::npos)
      << loader.status().ToString();
}

TEST_F(LoaderTest, CorruptFilesAreNamed) {
  testing::WriteFile(directory_.File("part-00003.parquet"), "PAR1 this is not parquet at all PAR1");
  auto loader = Loader::Open(Options());
  ASSERT_FALSE(loader.ok());
  EXPECT_EQ(loader.status().code(), Status::Code::kCorruption);
  EXPECT_NE(loader.status().message().find("part-00003.parquet"), std::string::npos) << loader.status().ToString();

  testing::TempDir dlrm;
  testing::WriteFile(dlrm.File("bad.dlrm"), std::string(161, '\0'));
  LoaderOptions options;
  options.paths = {dlrm.File("bad.dlrm")};
  loader = Loader::Open(options);
  ASSERT_FALSE(loader.ok());
  EXPECT_NE(loader.status().message().find("bad.dlrm: 161 bytes is not a whole number"), std::string::npos)
      << loader.status().ToString();
}

TEST(LoaderNullTest, NullLabelNamesFileAndRow) {
  testing::TempDir dir;
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{{"label", DataType::Float32(), true}, {"x", DataType::Float32(), true}});
  ColumnBuilder label(DataType::Float32()), x(DataType::Float32());
  for (int i = 0; i < 10; ++i) {
    if (i == 6) {
      label.AppendNull();
      x.AppendNull();  // A null dense value reads as 0; only the label is an error.
    } else {
      label.Append(1.0f);
      x.Append(static_cast<float>(i));
    }
  }
  auto writer = parquet::ParquetWriter::Open(dir.File("nulls.parquet"), schema);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(RecordBatch(schema, {label.Finish(), x.Finish()}, 10)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  LoaderOptions options;
  options.paths = {dir.File("nulls.parquet")};
  options.mapping.dense = {"x"};
  options.mapping.sparse = {};
  options.batch_size = 5;
  options.shuffle = false;
  auto loader = OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  Batch batch;
  Status status = loader->Next(&batch);
  EXPECT_NE(status.message().find("nulls.parquet: row group 0: row 7: the label 'label' is null"), std::string::npos)
      << status.ToString();
  options.mapping.label = "";
  loader = OpenLoader(options);
  ASSERT_TRUE(loader->Next(&batch).ok());
  ASSERT_TRUE(loader->Next(&batch).ok());
  EXPECT_TRUE(batch.label.empty());
  EXPECT_EQ(batch.dense[1], 0.0f);  // Row 6.
  EXPECT_EQ(batch.dense[2], 7.0f);
}

TEST_F(LoaderTest, BadOptionsAreRejected) {
  LoaderOptions options = Options();
  options.batch_size = 0;
  EXPECT_FALSE(Loader::Open(options).ok());
  options = Options();
  options.start.batch = 21;  // Past the 20 batches of an epoch.
  EXPECT_FALSE(Loader::Open(options).ok());
  options = Options();
  options.paths = {directory_.File("missing.parquet")};
  auto loader = Loader::Open(options);
  ASSERT_FALSE(loader.ok());
  EXPECT_NE(loader.status().message().find("missing.parquet"), std::string::npos);
}

}  // namespace
}  // namespace kiln::data
