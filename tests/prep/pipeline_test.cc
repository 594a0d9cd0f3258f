// Pipelines as users write them: YAML, pass planning, whole runs over small
// files, the saved state and `apply`, bad input.
#include <filesystem>

#include <gtest/gtest.h>

#include "kiln/parquet/file_reader.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/prep_job.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::TempDir;
using kiln::testing::WriteFile;

PrepJob Parse(const std::string& yaml) {
  auto job = ParsePrepYaml(yaml, "test.yaml");
  EXPECT_TRUE(job.ok()) << job.status().ToString();
  return job.ok() ? std::move(*job) : PrepJob();
}

SchemaPtr NumbersSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"a", DataType::Int64()}, {"b", DataType::Int64()},
                                                     {"s", DataType::String()}});
}

TEST(PipelineYamlTest, UnknownKeysAndOpsAreNamed) {
  auto bad_key = ParsePrepYaml("steps:\n  - {op: clip, columns: [a], mn: 0}\n", "p.yaml");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("p.yaml:2:30: step 1 (clip): unknown key 'mn'"), std::string::npos)
      << bad_key.status().ToString();
  auto bad_op = ParsePrepYaml("steps:\n  - {op: frobnicate}\n", "p.yaml");
  ASSERT_FALSE(bad_op.ok());
  EXPECT_NE(bad_op.status().message().find("unknown op 'frobnicate'"), std::string::npos);
  auto bad_top = ParsePrepYaml("stepz: []\n", "p.yaml");
  EXPECT_FALSE(bad_top.ok());
  auto bad_value = ParsePrepYaml("steps:\n  - {op: categorify, min_freq: lots}\n", "p.yaml");
  EXPECT_FALSE(bad_value.ok());
}

TEST(PipelinePlanTest, ChainsFitOnTransformedValuesWithMinimalPasses) {
  PrepJob job = Parse(
      "steps:\n"
      "  - {op: log1p, columns: [a]}\n"
      "  - {op: normalize, columns: [a]}\n"       // Pass 1, on log values.
      "  - {op: categorify, columns: [s]}\n"      // Pass 1 too: independent.
      "  - {op: rename, names: {s: sid}}\n"
      "  - {op: normalize, columns: [sid]}\n"     // Pass 2: needs the fitted ids.
      "  - {op: normalize, columns: [b]}\n");     // Pass 1.
  ASSERT_TRUE(job.pipeline.Bind(NumbersSchema()).ok());
  EXPECT_EQ(job.pipeline.num_fit_passes(), 2);
  EXPECT_EQ(job.pipeline.fit_pass(0), 0);
  EXPECT_EQ(job.pipeline.fit_pass(1), 1);
  EXPECT_EQ(job.pipeline.fit_pass(2), 1);
  EXPECT_EQ(job.pipeline.fit_pass(4), 2);
  EXPECT_EQ(job.pipeline.fit_pass(5), 1);
  EXPECT_EQ(job.pipeline.output_schema()->ToString(), "a: float32, b: float32, sid: float32");
}

TEST(PipelinePlanTest, BindErrorsNameTheStep) {
  PrepJob job = Parse("steps:\n  - {op: fill_na, columns: [a]}\n  - {op: log1p, columns: [nope]}\n");
  Status status = job.pipeline.Bind(NumbersSchema());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("step 2 (log1p)"), std::string::npos) << status.ToString();
}

// A whole run on a CSV file with CSV output, then apply on new data.
class PrepRunTest : public ::testing::Test {
 protected:
  std::string Yaml(const std::string& out, const std::string& extra_input = "") {
    return "input: {path: " + dir_.File("in.csv") + ", schema: 'a:int64, b:int64, s:string'" + extra_input +
           "}\n"
           "output: {path: " + out + ", format: csv, rows_per_part: 3}\n"
           "steps:\n"
           "  - {op: fill_na, columns: [a], value: 0}\n"
           "  - {op: log1p, columns: [a], negative_to_zero: true, type: float64}\n"
           "  - {op: normalize, columns: [a], method: minmax, type: float64}\n"
           "  - {op: categorify, columns: [s], min_freq: 2}\n"
           "  - {op: drop, columns: [b]}\n";
  }
  TempDir dir_;
};

TEST_F(PrepRunTest, FitsTransformsSavesAndApplies) {
  // a: log1p(max(a,0)) = 0, ln 2, ln 4 (and a null -> 0, -5 -> 0); minmax over [0, ln 4].
  WriteFile(dir_.File("in.csv"), "a,b,s\n1,1,x\n,2,y\n3,3,x\n-5,4,z\n0,5,y\n");
  PrepJob job = Parse(Yaml(dir_.File("out")));
  auto summary = RunPrepJob(&job);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->passes, 2);
  EXPECT_EQ(summary->rows_out, 5);
  // Parts of 3 rows: name order is row order. Ids: x=1, y=2 (tie by value), z rare -> 0.
  EXPECT_EQ(ReadFile(dir_.File("out/part-00000.csv")), "a,s\n0.5,1\n0,2\n1,1\n");
  EXPECT_EQ(ReadFile(dir_.File("out/part-00001.csv")), "a,s\n0,0\n0,2\n");
  EXPECT_TRUE(std::filesystem::exists(dir_.File("out/_state/pipeline.yaml")));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("out/_state/step4_categorify.s.parquet")));

  // New data: the same encoding, unseen values are out of vocabulary.
  WriteFile(dir_.File("new.csv"), "a,b,s\n3,0,y\n15,0,new\n");
  auto applied = ApplyPrepState(dir_.File("out/_state"), dir_.File("new.csv"), dir_.File("applied"), false);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(ReadFile(dir_.File("applied/part-00000.csv")), "a,s\n1,2\n2,0\n");
}

TEST_F(PrepRunTest, RefusesANonEmptyOutputUnlessOverwrite) {
  WriteFile(dir_.File("in.csv"), "a,b,s\n1,1,x\n");
  std::filesystem::create_directories(dir_.File("out"));
  WriteFile(dir_.File("out/keep.txt"), "mine");
  PrepJob job = Parse(Yaml(dir_.File("out")));
  auto summary = RunPrepJob(&job);
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("not empty"), std::string::npos);
  EXPECT_EQ(ReadFile(dir_.File("out/keep.txt")), "mine");
  job = Parse(Yaml(dir_.File("out")));
  job.output.dataset.overwrite = true;
  ASSERT_TRUE(RunPrepJob(&job).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/keep.txt")));
}

TEST_F(PrepRunTest, BadInputFailsWithItsLocationOrIsSkippedAndCounted) {
  WriteFile(dir_.File("in.csv"), "a,b,s\n1,1,x\n2,oops,x\n3,3\n4,4,y\n");
  PrepJob job = Parse(Yaml(dir_.File("out")));
  auto failed = RunPrepJob(&job);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("in.csv:3"), std::string::npos) << failed.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out")));

  job = Parse(Yaml(dir_.File("out"), ", on_error: skip"));
  auto skipped = RunPrepJob(&job);
  ASSERT_TRUE(skipped.ok()) << skipped.status().ToString();
  EXPECT_EQ(skipped->rows_skipped, 2);
  EXPECT_EQ(skipped->rows_out, 2);

  job = Parse(Yaml(dir_.File("out2")));
  job.input.path = dir_.File("missing.csv");
  auto missing = RunPrepJob(&job);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing.csv"), std::string::npos);
}

TEST_F(PrepRunTest, ADirectoryIsItsFilesInNameOrder) {
  std::filesystem::create_directories(dir_.File("in"));
  WriteFile(dir_.File("in/b.csv"), "a,b,s\n3,3,x\n-5,4,z\n0,5,y\n");
  WriteFile(dir_.File("in/a.csv"), "a,b,s\n1,1,x\n,2,y\n");
  WriteFile(dir_.File("in/_SUCCESS"), "");
  PrepJob job = Parse(Yaml(dir_.File("out")));
  job.input.path = dir_.File("in");
  auto summary = RunPrepJob(&job);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(ReadFile(dir_.File("out/part-00000.csv")), "a,s\n0.5,1\n0,2\n1,1\n");
  EXPECT_EQ(ReadFile(dir_.File("out/part-00001.csv")), "a,s\n0,0\n0,2\n");
}

TEST_F(PrepRunTest, EmptyInputWritesAnEmptyDataset) {
  WriteFile(dir_.File("in.csv"), "a,b,s\n");
  PrepJob job = Parse(Yaml(dir_.File("out")));
  auto summary = RunPrepJob(&job);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows_out, 0);
  EXPECT_EQ(ReadFile(dir_.File("out/part-00000.csv")), "a,s\n");
}

// Hex text that is not canonical must not be read as uint32: "0a", "A" and
// "0000000a" are three values, ordered as text.
TEST_F(PrepRunTest, NonCanonicalHexFallsBackToStrings) {
  WriteFile(dir_.File("in.tsv"), "0000000a\n0a\n0a\nA\n0000000a\n0a\n");
  PrepJob job = Parse("input: {path: " + dir_.File("in.tsv") +
                      ", format: tsv, header: false, schema: 'c:uint32', hex32: [c]}\n"
                      "output: {path: " + dir_.File("out") + ", format: csv}\n"
                      "steps:\n  - {op: categorify, columns: [c]}\n");
  auto summary = RunPrepJob(&job);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  // Counts: "0a" 3, "0000000a" 2, "A" 1.
  EXPECT_EQ(ReadFile(dir_.File("out/part-00000.csv")), "c\n2\n1\n1\n3\n2\n1\n");
  // Apply keeps reading strings.
  WriteFile(dir_.File("new.tsv"), "A\n0a\n");
  auto applied = ApplyPrepState(dir_.File("out/_state"), dir_.File("new.tsv"), dir_.File("applied"), false);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(ReadFile(dir_.File("applied/part-00000.csv")), "c\n3\n1\n");
}

TEST_F(PrepRunTest, CanonicalHexUsesUint32AndApplyRefusesOtherText) {
  WriteFile(dir_.File("in.tsv"), "0000000a\n000000ff\n0000000a\n\n");
  PrepJob job = Parse("input: {path: " + dir_.File("in.tsv") +
                      ", format: tsv, header: false, schema: 'c:uint32', hex32: [c]}\n"
                      "output: {path: " + dir_.File("out") + ", format: parquet}\n"
                      "steps:\n  - {op: categorify, columns: [c]}\n");
  auto summary = RunPrepJob(&job);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  auto table = parquet::ReadParquet(dir_.File("out/part-00000.parquet"));
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  RecordBatchPtr batch = table->Combine();
  ASSERT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 1);
  EXPECT_EQ(batch->column(0).Value<int32_t>(1), 2);
  EXPECT_EQ(batch->column(0).Value<int32_t>(2), 1);

  WriteFile(dir_.File("new.tsv"), "0000000A\n");
  auto applied = ApplyPrepState(dir_.File("out/_state"), dir_.File("new.tsv"), dir_.File("applied"), false);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.status().message().find("new.tsv:1"), std::string::npos) << applied.status().ToString();
}

}  // namespace
}  // namespace kiln::prep
