// The kiln binary as users run it: exit codes, messages and outputs.
#include <string>

#include <gtest/gtest.h>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln {
namespace {

using testing::KilnRun;
using testing::RunKiln;

TEST(CliTest, VersionAndUsageExitCodes) {
  KilnRun version = RunKiln("version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.output.find("kiln 0."), std::string::npos);
  EXPECT_NE(version.output.find("cpu features:"), std::string::npos);
  EXPECT_EQ(RunKiln("--help").exit_code, 0);
  EXPECT_EQ(RunKiln("convert --help").exit_code, 0);
  EXPECT_EQ(RunKiln("").exit_code, 2);
  EXPECT_EQ(RunKiln("frobnicate").exit_code, 2);
  EXPECT_EQ(RunKiln("head").exit_code, 2);
  EXPECT_EQ(RunKiln("gen criteo --rows -5 --out x.tsv").exit_code, 2);
}

TEST(CliTest, FailuresExitOneWithTheCause) {
  testing::TempDir dir;
  KilnRun missing = RunKiln("head " + dir.File("nope.csv"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("nope.csv: No such file or directory"), std::string::npos) << missing.output;

  testing::WriteFile(dir.File("bad.csv"), "a,b\n1,2\n3,x\n");
  KilnRun bad = RunKiln("convert " + dir.File("bad.csv") + " " + dir.File("out.jsonl") + " --schema a:int32,b:int32");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("bad.csv:3"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("'b'"), std::string::npos) << bad.output;
  EXPECT_FALSE(std::filesystem::exists(dir.File("out.jsonl")));

  KilnRun skipped = RunKiln("convert " + dir.File("bad.csv") + " " + dir.File("out.jsonl") +
                           " --schema a:int32,b:int32 --on-error skip");
  EXPECT_EQ(skipped.exit_code, 0) << skipped.output;
  EXPECT_EQ(testing::ReadFile(dir.File("out.jsonl")), "{\"a\":1,\"b\":2}\n");
  EXPECT_NE(skipped.output.find("skipped 1 malformed row"), std::string::npos) << skipped.output;

  EXPECT_EQ(RunKiln("convert " + dir.File("bad.csv") + " " + dir.File("out.xyz")).exit_code, 1);
}

TEST(CliTest, GenerateLookAndConvert) {
  testing::TempDir dir;
  std::string tsv = dir.File("c.tsv");
  KilnRun gen = RunKiln("--quiet gen criteo --rows 2000 --seed 3 --out " + tsv);
  ASSERT_EQ(gen.exit_code, 0) << gen.output;
  std::string meta = testing::ReadFile(tsv + ".meta.json");
  EXPECT_NE(meta.find("\"rows\": 2000"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"bayes_auc\""), std::string::npos);

  KilnRun head = RunKiln("head " + tsv + " --schema criteo -n 2");
  ASSERT_EQ(head.exit_code, 0) << head.output;
  EXPECT_NE(head.output.find("2 rows × 40 columns"), std::string::npos) << head.output;
  EXPECT_NE(head.output.find("uint32"), std::string::npos);

  std::string jsonl = dir.File("c.jsonl"), csv = dir.File("c.csv");
  ASSERT_EQ(RunKiln("--quiet convert " + tsv + " " + jsonl + " --schema criteo").exit_code, 0);
  ASSERT_EQ(RunKiln("--quiet convert " + jsonl + " " + csv).exit_code, 0);
  // The first TSV line's first categorical value, parsed from hex, survives both hops.
  std::string first_tsv_line = testing::ReadFile(tsv).substr(0, testing::ReadFile(tsv).find('\n'));
  size_t field_start = 0;
  for (int i = 0; i < 14; ++i) field_start = first_tsv_line.find('\t', field_start) + 1;
  std::string c1_hex = first_tsv_line.substr(field_start, first_tsv_line.find('\t', field_start) - field_start);
  std::string csv_text = testing::ReadFile(csv);
  std::string second_line = csv_text.substr(csv_text.find('\n') + 1);
  size_t c1_start = 0;
  for (int i = 0; i < 14; ++i) c1_start = second_line.find(',', c1_start) + 1;
  std::string c1_decimal = second_line.substr(c1_start, second_line.find(',', c1_start) - c1_start);
  if (c1_hex.empty()) {
    EXPECT_EQ(c1_decimal, "");
  } else {
    EXPECT_EQ(c1_decimal, std::to_string(std::stoul(c1_hex, nullptr, 16)));
  }
  EXPECT_EQ(std::count(csv_text.begin(), csv_text.end(), '\n'), 2001);
}

TEST(CliTest, ParquetRoundTripThroughConvertAndCat) {
  testing::TempDir dir;
  std::string tsv = dir.File("c.tsv"), parquet = dir.File("c.parquet");
  ASSERT_EQ(RunKiln("--quiet gen criteo --rows 3000 --seed 5 --out " + tsv).exit_code, 0);
  ASSERT_EQ(RunKiln("--quiet convert " + tsv + " " + dir.File("direct.jsonl") + " --schema criteo").exit_code, 0);
  KilnRun to_parquet = RunKiln("--quiet convert " + tsv + " " + parquet +
                              " --schema criteo --compression snappy --row-group-size 1000");
  ASSERT_EQ(to_parquet.exit_code, 0) << to_parquet.output;
  ASSERT_EQ(RunKiln("--quiet convert " + parquet + " " + dir.File("back.jsonl")).exit_code, 0);
  EXPECT_EQ(testing::ReadFile(dir.File("back.jsonl")), testing::ReadFile(dir.File("direct.jsonl")));

  KilnRun inspect = RunKiln("inspect " + parquet);
  ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
  EXPECT_NE(inspect.output.find("rows: 3,000 in 3 row groups"), std::string::npos) << inspect.output;
  EXPECT_NE(inspect.output.find("SNAPPY"), std::string::npos);

  KilnRun cat = RunKiln("cat " + parquet + " --columns label,C1 --limit 2");
  ASSERT_EQ(cat.exit_code, 0) << cat.output;
  EXPECT_EQ(std::count(cat.output.begin(), cat.output.end(), '\n'), 2);
  EXPECT_EQ(cat.output.rfind("{\"label\":", 0), 0u) << cat.output;

  KilnRun bad_codec = RunKiln("convert " + tsv + " " + dir.File("x.parquet") + " --schema criteo --compression lzo");
  EXPECT_EQ(bad_codec.exit_code, 1);
  EXPECT_NE(bad_codec.output.find("--compression: unknown compression 'lzo'"), std::string::npos) << bad_codec.output;
}

}  // namespace
}  // namespace kiln
