// Remote datasets: the file cache (LRU eviction, survival over a restart,
// revalidation, interrupted downloads) and HTTP reading against a local
// static server with Range support.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "dataset_fixture.h"
#include "kiln/data/file_cache.h"
#include "kiln/data/loader.h"
#include "kiln/data/remote_store.h"
#include "testing/static_http_server.h"
#include "testing/temp_dir.h"

namespace kiln::data {
namespace {

namespace fs = std::filesystem;

// Files (not directories) in `directory`.
int CountFiles(const std::string& directory) {
  int count = 0;
  for (const auto& item : fs::directory_iterator(directory)) count += item.is_regular_file();
  return count;
}

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 4; ++i) {
      testing::WriteFile(remote_.File("f" + std::to_string(i) + ".parquet"), std::string(1000 + i, 'a' + i));
    }
    store_ = MakeRemoteStore("file://" + remote_.path(), {});
  }
  std::string Location(int i) const { return "file://" + remote_.File("f" + std::to_string(i) + ".parquet"); }

  std::string ReadAll(FileCache* cache, int i) {
    auto file = cache->Open(*store_, Location(i));
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    if (!file.ok()) return "";
    std::string bytes((*file)->size(), '\0');
    EXPECT_TRUE((*file)->ReadExactly(0, (*file)->size(), bytes.data()).ok());
    return bytes;
  }

  testing::TempDir remote_;
  testing::TempDir cache_dir_;
  std::unique_ptr<RemoteStore> store_;
};

TEST_F(CacheTest, MissThenHit) {
  auto cache = FileCache::Open({cache_dir_.path(), 1 << 20});
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(ReadAll(cache->get(), 1), std::string(1001, 'b'));
  EXPECT_EQ(ReadAll(cache->get(), 1), std::string(1001, 'b'));
  CacheMetrics metrics = (*cache)->metrics();
  EXPECT_EQ(metrics.misses, 1);
  EXPECT_EQ(metrics.hits, 1);
  EXPECT_EQ(metrics.bytes_downloaded, 1001);
  EXPECT_EQ((*cache)->size_bytes(), 1001);
}

TEST_F(CacheTest, EvictsLeastRecentlyUsed) {
  auto cache = FileCache::Open({cache_dir_.path(), 2500});  // Room for two files.
  ASSERT_TRUE(cache.ok());
  ReadAll(cache->get(), 0);
  ReadAll(cache->get(), 1);
  ReadAll(cache->get(), 0);  // 1 is now the least recently used.
  ReadAll(cache->get(), 2);
  EXPECT_TRUE((*cache)->Contains(Location(0)));
  EXPECT_FALSE((*cache)->Contains(Location(1)));
  EXPECT_TRUE((*cache)->Contains(Location(2)));
  EXPECT_EQ((*cache)->metrics().evictions, 1);
  EXPECT_LE((*cache)->size_bytes(), 2500);
  EXPECT_EQ(CountFiles(cache_dir_.path()), 4);  // Two entries, each .data + .meta.
}

TEST_F(CacheTest, SurvivesARestartAndRevalidates) {
  {
    auto cache = FileCache::Open({cache_dir_.path(), 1 << 20});
    ASSERT_TRUE(cache.ok());
    ASSERT_TRUE((*cache)->Prefetch(*store_, {Location(0), Location(3)}).ok());
    EXPECT_EQ((*cache)->metrics().misses, 2);
  }
  auto cache = FileCache::Open({cache_dir_.path(), 1 << 20});
  ASSERT_TRUE(cache.ok());
  EXPECT_TRUE((*cache)->Contains(Location(3)));
  EXPECT_EQ(ReadAll(cache->get(), 3), std::string(1003, 'd'));
  EXPECT_EQ((*cache)->metrics().misses, 0);  // Reused, not downloaded.
  EXPECT_EQ((*cache)->metrics().hits, 1);
  // A changed remote file (new size and mtime) is downloaded again.
  testing::WriteFile(remote_.File("f0.parquet"), std::string(1500, 'z'));
  auto restarted = FileCache::Open({cache_dir_.path(), 1 << 20});
  ASSERT_TRUE(restarted.ok());
  EXPECT_EQ(ReadAll(restarted->get(), 0), std::string(1500, 'z'));
  EXPECT_EQ((*restarted)->metrics().misses, 1);
}

TEST_F(CacheTest, FlushEmptiesTheCache) {
  auto cache = FileCache::Open({cache_dir_.path(), 1 << 20});
  ASSERT_TRUE(cache.ok());
  ReadAll(cache->get(), 0);
  ASSERT_TRUE((*cache)->Flush().ok());
  EXPECT_EQ((*cache)->size_bytes(), 0);
  EXPECT_EQ(CountFiles(cache_dir_.path()), 0);
}

TEST_F(CacheTest, LeftoversOfAnInterruptedRunAreRemovedAtOpen) {
  testing::WriteFile(cache_dir_.File("0123456789abcdef.data.tmp-99-0"), "partial");
  testing::WriteFile(cache_dir_.File("fedcba9876543210.data"), "data without meta");
  auto cache = FileCache::Open({cache_dir_.path(), 1 << 20});
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(CountFiles(cache_dir_.path()), 0);
  EXPECT_EQ((*cache)->size_bytes(), 0);
}

TEST(FileUrlTest, LoaderReadsALocalDirectoryAsRemoteThroughTheCache) {
  testing::TempDir data;
  testing::TempDir cache;
  testing::FixtureOptions fixture;
  fixture.rows = 300;
  fixture.files = 3;
  testing::WriteIdDataset(data.path(), fixture);
  LoaderOptions options;
  options.paths = {"file://" + data.path()};
  options.mapping = testing::IdMapping();
  options.batch_size = 30;
  options.rank = 0;
  options.world = 1;
  options.cache_directory = cache.path();
  options.cache_limit_bytes = 1 << 20;
  auto loader = testing::OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  std::set<int64_t> ids;
  for (const auto& batch : testing::DrainLoader(loader.get())) {
    for (const auto& row : batch) ids.insert(row.id);
  }
  EXPECT_EQ(ids.size(), 300u);
  EXPECT_EQ(loader->metrics().cache.misses, 3);
  EXPECT_EQ(CountFiles(cache.path()), 6);
}

class HttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::FixtureOptions fixture;
    fixture.rows = 600;
    fixture.files = 2;
    fixture.row_group_rows = 100;
    testing::WriteIdDataset(directory_.path() + "/data", fixture);
    server_ = std::make_unique<testing::StaticHttpServer>(directory_.path());
  }

  LoaderOptions Options() const {
    LoaderOptions options;
    options.paths = {server_->base_url() + "data/"};
    options.mapping = testing::IdMapping();
    options.batch_size = 50;
    options.shuffle = false;
    options.rank = 0;
    options.world = 1;
    options.http.initial_backoff_ms = 1;
    return options;
  }

  std::set<int64_t> Ids(Loader* loader) {
    std::set<int64_t> ids;
    for (const auto& batch : testing::DrainLoader(loader)) {
      for (const auto& row : batch) ids.insert(row.id);
    }
    return ids;
  }

  testing::TempDir directory_;
  std::unique_ptr<testing::StaticHttpServer> server_;
};

TEST_F(HttpTest, ListsTheDirectoryIndex) {
  HttpClient client;
  auto html = client.GetText(server_->base_url() + "data/");
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  std::vector<std::string> files = DataFileLinks(*html, server_->base_url() + "data/");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], server_->base_url() + "data/part-00000.parquet");
}

TEST_F(HttpTest, RangeRequestsFetchOnlyTheMappedColumns) {
  auto loader = testing::OpenLoader(Options());
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(Ids(loader.get()).size(), 600u);
  int64_t file_bytes = 0;
  for (const auto& item : fs::directory_iterator(directory_.path() + "/data")) file_bytes += item.file_size();
  EXPECT_GT(server_->range_requests(), 0);
  // The tags and name columns are never fetched.
  EXPECT_LT(server_->file_bytes(), file_bytes);
  EXPECT_GT(loader->metrics().bytes_read, 0);
}

TEST_F(HttpTest, CachedReadsDownloadEachFileOnce) {
  testing::TempDir cache;
  LoaderOptions options = Options();
  options.cache_directory = cache.path();
  options.epochs = 2;
  auto loader = testing::OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(Ids(loader.get()).size(), 600u);
  LoaderMetrics metrics = loader->metrics();
  EXPECT_EQ(metrics.cache.misses, 2);
  EXPECT_GT(metrics.cache.hits, 0);
  EXPECT_EQ(server_->range_requests(), 0);
  // A second loader (a restart) reuses the copies: HEAD requests only.
  const int64_t sent = server_->file_bytes();
  auto again = testing::OpenLoader(options);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(Ids(again.get()).size(), 600u);
  EXPECT_EQ(again->metrics().cache.misses, 0);
  EXPECT_EQ(server_->file_bytes(), sent);
}

TEST_F(HttpTest, ServerErrorsAreRetried) {
  server_->FailNext(2, 503);
  auto loader = testing::OpenLoader(Options());
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(Ids(loader.get()).size(), 600u);
}

TEST_F(HttpTest, PersistentErrorsFailNamingTheUrl) {
  server_->FailNext(100, 500);
  LoaderOptions options = Options();
  options.http.max_attempts = 3;
  auto loader = Loader::Open(options);
  ASSERT_FALSE(loader.ok());
  EXPECT_NE(loader.status().message().find(server_->base_url() + "data/"), std::string::npos)
      << loader.status().ToString();
  EXPECT_NE(loader.status().message().find("after 3 attempts: HTTP 500"), std::string::npos)
      << loader.status().ToString();
}

TEST_F(HttpTest, MissingFileIsNotFound) {
  LoaderOptions options = Options();
  options.paths = {server_->base_url() + "data/nothing.parquet"};
  auto loader = Loader::Open(options);
  ASSERT_FALSE(loader.ok());
  EXPECT_EQ(loader.status().code(), Status::Code::kNotFound);
  EXPECT_NE(loader.status().message().find("nothing.parquet"), std::string::npos);
}

TEST_F(HttpTest, UnreachableUrlFailsNamingIt) {
  LoaderOptions options = Options();
  options.paths = {"http://127.0.0.1:9/data/part-00000.parquet"};  // The discard port: nothing listens.
  options.http.max_attempts = 2;
  auto loader = Loader::Open(options);
  ASSERT_FALSE(loader.ok());
  EXPECT_NE(loader.status().message().find("http://127.0.0.1:9/data/part-00000.parquet"), std::string::npos)
      << loader.status().ToString();
}

TEST_F(HttpTest, InterruptedDownloadIsNeverUsed) {
  testing::TempDir cache_dir;
  auto store = MakeRemoteStore(server_->base_url(), {1, 1, 1, 5000, 30});  // One attempt: no retry.
  auto cache = FileCache::Open({cache_dir.path(), 1 << 30});
  ASSERT_TRUE(cache.ok());
  const std::string location = server_->base_url() + "data/part-00000.parquet";
  server_->TruncateNext(1);
  auto file = (*cache)->Open(*store, location);
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find(location), std::string::npos) << file.status().ToString();
  EXPECT_FALSE((*cache)->Contains(location));
  EXPECT_EQ(CountFiles(cache_dir.path()), 0);  // No partial file under any name.
  file = (*cache)->Open(*store, location);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ((*file)->size(), static_cast<int64_t>(fs::file_size(directory_.path() + "/data/part-00000.parquet")));
}

TEST_F(HttpTest, TruncatedDownloadIsRetried) {
  testing::TempDir cache;
  server_->TruncateNext(1);
  LoaderOptions options = Options();
  options.cache_directory = cache.path();
  auto loader = testing::OpenLoader(options);
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(Ids(loader.get()).size(), 600u);
}

}  // namespace
}  // namespace kiln::data
