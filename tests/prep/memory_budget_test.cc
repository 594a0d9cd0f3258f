// The memory limit: byte sizes as users write them, how the plan divides a
// limit, and memory_limit in YAML.
#include <gtest/gtest.h>

#include "kiln/prep/memory_budget.h"
#include "kiln/prep/pipeline_yaml.h"

namespace kiln::prep {
namespace {

TEST(MemoryBudgetTest, ParsesByteSizes) {
  EXPECT_EQ(*ParseByteSize("256MB"), 256LL << 20);
  EXPECT_EQ(*ParseByteSize("256mib"), 256LL << 20);
  EXPECT_EQ(*ParseByteSize("1.5G"), 3LL << 29);
  EXPECT_EQ(*ParseByteSize("64k"), 64LL << 10);
  EXPECT_EQ(*ParseByteSize("1000000"), 1000000);
  EXPECT_EQ(*ParseByteSize("2TB"), 2LL << 40);
  EXPECT_FALSE(ParseByteSize("lots").ok());
  EXPECT_FALSE(ParseByteSize("12 parsecs").ok());
  EXPECT_FALSE(ParseByteSize("-5MB").ok());
  EXPECT_EQ(ParseByteSize("5XB").status().message(), "'5XB': unknown unit (use K, M, G or T)");
}

TEST(MemoryBudgetTest, PlanDividesWhatTheProcessLeaves) {
  // 256 MB, 16 MB held, 200-byte rows, 2 threads: margin 32 + 16 MB, usable
  // 192 MB; batches 48 MB over 8 in flight at 3x their text -> 2 MB of text
  // -> 10485 rows; row groups 24 MB / 600 B -> 41943 rows; statistics 120 MB.
  auto plan = PlanMemory(256LL << 20, 16LL << 20, 200, 2);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->batch_rows, 10485);
  EXPECT_EQ(plan->row_group_rows, 41943);
  EXPECT_EQ(plan->statistics_bytes, 120LL << 20);
  // Small rows are capped at the reader's default batch.
  EXPECT_EQ(PlanMemory(256LL << 20, 16LL << 20, 10, 2)->batch_rows, 65536);
  // A limit the process already nearly fills is refused with what to give.
  auto refused = PlanMemory(32LL << 20, 20LL << 20, 200, 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "memory limit 32 MB: the process already holds 20 MB; give at least 58 MB");
}

TEST(MemoryBudgetTest, YamlMemoryLimit) {
  auto job = ParsePrepYaml("memory_limit: 64MB\nsteps: []\n", "p.yaml");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->memory_limit, 64LL << 20);
  auto bad = ParsePrepYaml("memory_limit: plenty\n", "p.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("p.yaml:1:"), std::string::npos) << bad.status().ToString();
  EXPECT_NE(bad.status().message().find("'memory_limit': 'plenty' is not a byte size (e.g. 256MB)"), std::string::npos)
      << bad.status().ToString();
}

}  // namespace
}  // namespace kiln::prep
