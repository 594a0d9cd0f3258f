#include "kiln/io/csv_reader.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kiln/io/csv_value_parse.h"
#include "testing/temp_dir.h"

namespace kiln {
namespace {

class CsvReaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    testing::WriteFile(path, text);
    return path;
  }

  // Reads everything; fails the test on error.
  Table ReadOk(const std::string& path, CsvOptions options = {}) {
    auto reader = CsvReader::Open(path, options);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return Table(std::make_shared<const Schema>());
    auto table = ReadAll(reader->get());
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    last_report_ = (*reader)->report();
    return table.ok() ? *table : Table((*reader)->schema());
  }

  // The status of opening and reading everything.
  Status ReadStatus(const std::string& path, CsvOptions options = {}) {
    auto reader = CsvReader::Open(path, options);
    if (!reader.ok()) return reader.status();
    auto table = ReadAll(reader->get());
    return table.status();
  }

  ReadReport last_report_;
  testing::TempDir dir_;
};

RecordBatchPtr One(const Table& table) {
  EXPECT_GE(table.batches().size(), 1u);
  return table.Combine();
}

SchemaPtr SchemaOf(std::vector<Field> fields) { return std::make_shared<const Schema>(std::move(fields)); }

TEST_F(CsvReaderTest, InfersEveryType) {
  std::string path = Write("types.csv",
                           "b,i32,i64,f,d,ts,s,n\n"
                           "true,1,3000000000,1.5,2024-01-02,2024-01-02 03:04:05,hello,\n"
                           "FALSE,-2,-1,2,1969-12-31,2024-01-02T00:00:00Z,x,\n"
                           ",,,,,,,\n");
  Table table = ReadOk(path);
  const Schema& schema = *table.schema();
  ASSERT_EQ(schema.num_fields(), 8);
  EXPECT_EQ(schema.field(0).type, DataType::Bool());
  EXPECT_EQ(schema.field(1).type, DataType::Int32());
  EXPECT_EQ(schema.field(2).type, DataType::Int64());
  EXPECT_EQ(schema.field(3).type, DataType::Float64());
  EXPECT_EQ(schema.field(4).type, DataType::Date32());
  EXPECT_EQ(schema.field(5).type, DataType::Timestamp());
  EXPECT_EQ(schema.field(6).type, DataType::String());
  EXPECT_EQ(schema.field(7).type, DataType::String());  // All null.
  EXPECT_EQ(schema.field(6).name, "s");
  auto batch = One(table);
  ASSERT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column(0).Value<uint8_t>(0), 1);
  EXPECT_EQ(batch->column(0).Value<uint8_t>(1), 0);
  EXPECT_EQ(batch->column(1).Value<int32_t>(1), -2);
  EXPECT_EQ(batch->column(2).Value<int64_t>(0), 3000000000LL);
  EXPECT_EQ(batch->column(3).Value<double>(0), 1.5);
  EXPECT_EQ(batch->column(4).Value<int32_t>(0), 19724);
  EXPECT_EQ(batch->column(4).Value<int32_t>(1), -1);
  EXPECT_EQ(batch->column(5).Value<int64_t>(0), 1704164645LL * 1000000);
  EXPECT_EQ(batch->column(5).Value<int64_t>(1), 1704153600LL * 1000000);
  EXPECT_EQ(batch->column(6).GetString(0), "hello");
  for (int c = 0; c < 8; ++c) EXPECT_TRUE(batch->column(c).IsNull(2)) << "column " << c;
  EXPECT_TRUE(batch->column(7).IsNull(0));
}

TEST_F(CsvReaderTest, IntegersWidenToInt64AndFloat) {
  std::string path = Write("w.csv", "a,b,c\n1,1,1\n2147483648,1.5,x\n");
  Table table = ReadOk(path);
  EXPECT_EQ(table.schema()->field(0).type, DataType::Int64());
  EXPECT_EQ(table.schema()->field(1).type, DataType::Float64());
  EXPECT_EQ(table.schema()->field(2).type, DataType::String());
}

TEST_F(CsvReaderTest, ExplicitSchemaForEveryParsableType) {
  std::string path = Write("all.csv",
                           "b,i32,i64,u32,u64,f32,f64,d,ts,s,bin\n"
                           "1,-2147483648,-9223372036854775808,4294967295,18446744073709551615,0.25,-1e300,"
                           "2024-01-02,2024-01-02 03:04:05.5,text,raw\n"
                           "True,+7,9223372036854775807,0,7,1,inf,1970-01-01,1970-01-01 00:00:00,,\n");
  CsvOptions options;
  options.schema = Schema({{"b", DataType::Bool()},
                           {"i32", DataType::Int32()},
                           {"i64", DataType::Int64()},
                           {"u32", DataType::UInt32()},
                           {"u64", DataType::UInt64()},
                           {"f32", DataType::Float32()},
                           {"f64", DataType::Float64()},
                           {"d", DataType::Date32()},
                           {"ts", DataType::Timestamp()},
                           {"s", DataType::String()},
                           {"bin", DataType::Binary()}});
  auto batch = One(ReadOk(path, options));
  ASSERT_EQ(batch->num_rows(), 2);
  EXPECT_EQ(batch->column(0).Value<uint8_t>(0), 1);
  EXPECT_EQ(batch->column(0).Value<uint8_t>(1), 1);
  EXPECT_EQ(batch->column(1).Value<int32_t>(0), INT32_MIN);
  EXPECT_EQ(batch->column(1).Value<int32_t>(1), 7);
  EXPECT_EQ(batch->column(2).Value<int64_t>(0), INT64_MIN);
  EXPECT_EQ(batch->column(2).Value<int64_t>(1), INT64_MAX);
  EXPECT_EQ(batch->column(3).Value<uint32_t>(0), UINT32_MAX);
  EXPECT_EQ(batch->column(4).Value<uint64_t>(0), UINT64_MAX);
  EXPECT_EQ(batch->column(5).Value<float>(0), 0.25f);
  EXPECT_EQ(batch->column(6).Value<double>(0), -1e300);
  EXPECT_TRUE(std::isinf(batch->column(6).Value<double>(1)));
  EXPECT_EQ(batch->column(7).Value<int32_t>(0), 19724);
  EXPECT_EQ(batch->column(8).Value<int64_t>(0), 1704164645LL * 1000000 + 500000);
  EXPECT_EQ(batch->column(9).GetString(0), "text");
  EXPECT_TRUE(batch->column(9).IsNull(1));
  EXPECT_EQ(batch->column(10).GetString(0), "raw");
}

TEST_F(CsvReaderTest, NullsEmptyAndCustomNullString) {
  std::string path = Write("nulls.csv", "i,s\n1,a\n,\nNA,NA\n4,\"\"\n");
  auto batch = One(ReadOk(path));
  EXPECT_TRUE(batch->column(0).IsNull(1));
  EXPECT_TRUE(batch->column(1).IsNull(1));
  EXPECT_FALSE(batch->column(1).IsNull(3));  // "" is an empty string, not null.
  EXPECT_EQ(batch->column(1).GetString(3), "");
  EXPECT_EQ(batch->schema()->field(0).type, DataType::String());  // "NA" is not a number.

  CsvOptions options;
  options.null_string = "NA";
  batch = One(ReadOk(path, options));
  EXPECT_EQ(batch->schema()->field(0).type, DataType::Int32());
  EXPECT_TRUE(batch->column(0).IsNull(1));  // Empty is null for numbers.
  EXPECT_TRUE(batch->column(0).IsNull(2));
  EXPECT_EQ(batch->column(0).Value<int32_t>(3), 4);
  EXPECT_FALSE(batch->column(1).IsNull(1));  // Empty string is a value now.
  EXPECT_EQ(batch->column(1).GetString(1), "");
  EXPECT_TRUE(batch->column(1).IsNull(2));
}

TEST_F(CsvReaderTest, QuotedFieldsHoldDelimitersNewlinesAndQuotes) {
  std::string path = Write("q.csv",
                           "id,text\r\n"
                           "1,\"a,b\"\r\n"
                           "2,\"line1\nline2\"\r\n"
                           "3,\"say \"\"hi\"\"\"\r\n"
                           "\"4\",plain\r\n"
                           "5,\"\"\"\"\r\n");
  auto batch = One(ReadOk(path));
  ASSERT_EQ(batch->num_rows(), 5);
  EXPECT_EQ(batch->schema()->field(0).type, DataType::Int32());
  EXPECT_EQ(batch->column(1).GetString(0), "a,b");
  EXPECT_EQ(batch->column(1).GetString(1), "line1\nline2");
  EXPECT_EQ(batch->column(1).GetString(2), "say \"hi\"");
  EXPECT_EQ(batch->column(0).Value<int32_t>(3), 4);
  EXPECT_EQ(batch->column(1).GetString(3), "plain");
  EXPECT_EQ(batch->column(1).GetString(4), "\"");
}

TEST_F(CsvReaderTest, CrlfEmptyFieldsBlankLinesAndNoFinalNewline) {
  std::string path = Write("crlf.csv", "a,b,c\r\n1,,x\r\n\r\n\n,2,\r\n3,4,last");
  auto batch = One(ReadOk(path));
  ASSERT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 1);
  EXPECT_TRUE(batch->column(1).IsNull(0));
  EXPECT_EQ(batch->column(2).GetString(0), "x");
  EXPECT_TRUE(batch->column(0).IsNull(1));
  EXPECT_EQ(batch->column(1).Value<int32_t>(1), 2);
  EXPECT_TRUE(batch->column(2).IsNull(1));
  EXPECT_EQ(batch->column(2).GetString(2), "last");
}

TEST_F(CsvReaderTest, MalformedValueUnderErrorNamesFileLineAndColumn) {
  std::string path = Write("bad.tsv", "a\tI5\n1\t2\n3\t12x\n5\t6\n");
  CsvOptions options;
  options.delimiter = '\t';
  options.schema = Schema({{"a", DataType::Int32()}, {"I5", DataType::Int32()}});
  Status status = ReadStatus(path, options);
  ASSERT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_EQ(status.message(), path + ":3: column 'I5' (2nd): cannot parse \"12x\" as int32");
}

TEST_F(CsvReaderTest, MalformedRowsUnderSkipAreCountedAndGoodRowsKept) {
  std::string path = Write("bad.csv", "a,b\n1,2\n3,x\n5\n7,8\n9,10,11\n\"q\"x,1\n13,14\n");
  CsvOptions options;
  options.on_error = OnError::kSkip;
  options.schema = Schema({{"a", DataType::Int32()}, {"b", DataType::Int32()}});
  auto batch = One(ReadOk(path, options));
  ASSERT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 1);
  EXPECT_EQ(batch->column(1).Value<int32_t>(1), 8);
  EXPECT_EQ(batch->column(0).Value<int32_t>(2), 13);
  EXPECT_EQ(batch->column(1).Value<int32_t>(2), 14);
  EXPECT_EQ(last_report_.rows_read, 3);
  EXPECT_EQ(last_report_.rows_skipped, 4);
  ASSERT_EQ(last_report_.first_errors.size(), 4u);
  EXPECT_EQ(last_report_.first_errors[0], path + ":3: column 'b' (2nd): cannot parse \"x\" as int32");
  EXPECT_EQ(last_report_.first_errors[1], path + ":4: expected 2 fields, found 1");
  EXPECT_EQ(last_report_.first_errors[2], path + ":6: expected 2 fields, found 3");
  EXPECT_NE(last_report_.first_errors[3].find(path + ":7: unexpected text after a closing quote"), std::string::npos);

  options.max_skipped_errors_kept = 2;
  ReadOk(path, options);
  EXPECT_EQ(last_report_.rows_skipped, 4);
  EXPECT_EQ(last_report_.first_errors.size(), 2u);
}

TEST_F(CsvReaderTest, WrongFieldCountsUnderError) {
  std::string few = Write("few.csv", "a,b,c\n1,2,3\n4,5\n");
  EXPECT_EQ(ReadStatus(few).message(), few + ":3: expected 3 fields, found 2");
  std::string many = Write("many.csv", "a,b,c\n1,2,3,4\n");
  EXPECT_EQ(ReadStatus(many).message(), many + ":2: expected 3 fields, found 4");
}

TEST_F(CsvReaderTest, FirstErrorInFileOrderAcrossColumns) {
  // Column b fails on line 3, column a on line 2: line 2 is reported.
  std::string path = Write("order.csv", "a,b\n1,2\nx,3\n4,y\n");
  CsvOptions options;
  options.schema = Schema({{"a", DataType::Int32()}, {"b", DataType::Int32()}});
  EXPECT_EQ(ReadStatus(path, options).message(), path + ":3: column 'a' (1st): cannot parse \"x\" as int32");
  std::string path2 = Write("order2.csv", "a,b\n1,y\nx\n");
  EXPECT_EQ(ReadStatus(path2, options).message(), path2 + ":2: column 'b' (2nd): cannot parse \"y\" as int32");
}

TEST_F(CsvReaderTest, Int32OverflowIsDetected) {
  CsvOptions options;
  options.schema = Schema({{"v", DataType::Int32()}});
  std::string ok = Write("ok.csv", "v\n2147483647\n-2147483648\n");
  auto batch = One(ReadOk(ok, options));
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 2147483647);
  EXPECT_EQ(batch->column(0).Value<int32_t>(1), -2147483648);
  std::string high = Write("high.csv", "v\n2147483648\n");
  EXPECT_EQ(ReadStatus(high, options).message(), high + ":2: column 'v' (1st): cannot parse \"2147483648\" as int32");
  std::string low = Write("low.csv", "v\n1\n-2147483649\n");
  EXPECT_EQ(ReadStatus(low, options).code(), Status::Code::kCorruption);
  std::string huge = Write("huge.csv", "v\n99999999999999999999999\n");
  EXPECT_EQ(ReadStatus(huge, options).code(), Status::Code::kCorruption);
}

TEST_F(CsvReaderTest, ManyChunksKeepEveryValueInOrder) {
  std::string text = "id,name,score\n";
  const int kRows = 5000;
  for (int i = 0; i < kRows; ++i) {
    text += std::to_string(i) + ",";
    text += (i % 5 == 0) ? "\"n,\"\"" + std::to_string(i) + "\"" : "n" + std::to_string(i);
    text += "," + ((i % 3 == 0) ? "" : std::to_string(i * 0.5)) + (i % 2 ? "\r\n" : "\n");
  }
  std::string path = Write("big.csv", text);
  CsvOptions options;
  options.batch_rows = 7;
  options.threads = 3;
  options.infer_rows = 100;
  Table table = ReadOk(path, options);
  ASSERT_EQ(table.num_rows(), kRows);
  for (size_t b = 0; b + 1 < table.batches().size(); ++b) ASSERT_EQ(table.batches()[b]->num_rows(), 7);
  auto batch = table.Combine();
  for (int i = 0; i < kRows; ++i) {
    ASSERT_EQ(batch->column(0).Value<int32_t>(i), i);
    std::string name = (i % 5 == 0) ? "n,\"" + std::to_string(i) : "n" + std::to_string(i);
    ASSERT_EQ(batch->column(1).GetString(i), name);
    if (i % 3 == 0) {
      ASSERT_TRUE(batch->column(2).IsNull(i));
    } else {
      ASSERT_EQ(batch->column(2).Value<double>(i), i * 0.5);
    }
  }
}

TEST_F(CsvReaderTest, SkipAcrossChunksKeepsOrderAndShortensBatches) {
  std::string text = "v\n";
  for (int i = 0; i < 100; ++i) text += (i % 10 == 3 ? "bad" : std::to_string(i)) + "\n";
  std::string path = Write("skip.csv", text);
  CsvOptions options;
  options.schema = Schema({{"v", DataType::Int32()}});
  options.on_error = OnError::kSkip;
  options.batch_rows = 10;
  options.threads = 4;
  Table table = ReadOk(path, options);
  ASSERT_EQ(table.num_rows(), 90);
  for (const auto& batch : table.batches()) EXPECT_EQ(batch->num_rows(), 9);
  EXPECT_EQ(last_report_.rows_skipped, 10);
  ASSERT_EQ(last_report_.first_errors.size(), 10u);
  EXPECT_EQ(last_report_.first_errors[0], path + ":5: column 'v' (1st): cannot parse \"bad\" as int32");
  EXPECT_EQ(last_report_.first_errors[9], path + ":95: column 'v' (1st): cannot parse \"bad\" as int32");
  auto batch = table.Combine();
  int64_t row = 0;
  for (int i = 0; i < 100; ++i) {
    if (i % 10 != 3) ASSERT_EQ(batch->column(0).Value<int32_t>(row++), i);
  }
}

TEST_F(CsvReaderTest, MoreThreadsThanChunks) {
  std::string path = Write("small.csv", "a\n1\n2\n3\n");
  CsvOptions options;
  options.threads = 8;
  auto batch = One(ReadOk(path, options));
  ASSERT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column(0).Value<int32_t>(2), 3);
}

TEST_F(CsvReaderTest, Hex32ExplicitAndStar) {
  std::string path = Write("hex.tsv", "id\tc1\tc2\tword\n1\t9e3817e8\tff\tzz\n2\t\t0A\tyy\n3\t00000001\t1\txx\n");
  CsvOptions options;
  options.delimiter = '\t';
  options.hex32_columns = {"c1", "c2"};
  auto batch = One(ReadOk(path, options));
  EXPECT_EQ(batch->schema()->field(1).type, DataType::UInt32());
  EXPECT_EQ(batch->schema()->field(2).type, DataType::UInt32());
  EXPECT_EQ(batch->column(1).Value<uint32_t>(0), 0x9e3817e8u);
  EXPECT_TRUE(batch->column(1).IsNull(1));
  EXPECT_EQ(batch->column(1).Value<uint32_t>(2), 1u);
  EXPECT_EQ(batch->column(2).Value<uint32_t>(0), 0xffu);  // Hex, though the sample could be decimal.
  EXPECT_EQ(batch->column(2).Value<uint32_t>(1), 0x0au);

  options.hex32_columns = {"*"};
  batch = One(ReadOk(path, options));
  EXPECT_EQ(batch->schema()->field(0).type, DataType::Int32());
  EXPECT_EQ(batch->schema()->field(1).type, DataType::UInt32());   // Hex letters in the sample.
  EXPECT_EQ(batch->schema()->field(2).type, DataType::UInt32());   // "ff", "0A".
  EXPECT_EQ(batch->schema()->field(3).type, DataType::String());   // Not hex.
  EXPECT_EQ(batch->column(1).Value<uint32_t>(0), 0x9e3817e8u);

  options.hex32_columns = {"nope"};
  EXPECT_EQ(ReadStatus(path, options).code(), Status::Code::kNotFound);
  options.hex32_columns = {"c1"};
  options.schema = Schema({{"id", DataType::Int32()}, {"c1", DataType::String()}, {"c2", DataType::String()},
                           {"word", DataType::String()}});
  EXPECT_EQ(ReadStatus(path, options).code(), Status::Code::kInvalidArgument);
}

TEST_F(CsvReaderTest, Hex32RejectsBadDigitsAndExplicitUInt32IsDecimal) {
  std::string path = Write("hex.csv", "h,d\n123456789,10\n");
  CsvOptions options;
  options.schema = Schema({{"h", DataType::UInt32()}, {"d", DataType::UInt32()}});
  options.hex32_columns = {"h"};
  EXPECT_EQ(ReadStatus(path, options).message(), path + ":2: column 'h' (1st): cannot parse \"123456789\" as hex uint32");
  std::string good = Write("good.csv", "h,d\n1f,10\n");
  auto batch = One(ReadOk(good, options));
  EXPECT_EQ(batch->column(0).Value<uint32_t>(0), 0x1fu);
  EXPECT_EQ(batch->column(1).Value<uint32_t>(0), 10u);
}

// Strict hex32 accepts only empty or 8 lower-case digits, and reports the
// first other field as NotCanonical (not a malformed row) even under kSkip.
TEST_F(CsvReaderTest, StrictHex32RejectsNonCanonicalText) {
  CsvOptions options;
  options.schema = Schema({{"h", DataType::UInt32()}, {"d", DataType::Int32()}});
  options.hex32_columns = {"h"};
  options.strict_hex32 = true;
  auto batch = One(ReadOk(Write("ok.csv", "h,d\n0000001f,1\n,2\nffffffff,3\n"), options));
  ASSERT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->column(0).Value<uint32_t>(0), 0x1fu);
  EXPECT_TRUE(batch->column(0).IsNull(1));
  EXPECT_EQ(batch->column(0).Value<uint32_t>(2), 0xffffffffu);
  for (const char* text : {"1f", "0000001F", "00000001f", "zzzzzzzz"}) {
    std::string path = Write("bad.csv", std::string("h,d\n0000001f,1\n") + text + ",2\n");
    Status status = ReadStatus(path, options);
    EXPECT_EQ(status.code(), Status::Code::kNotCanonical) << text;
    EXPECT_EQ(status.message(), path + ":3: column 'h' (1st) holds \"" + text +
                                    "\", not empty or 8 lower-case hex digits");
  }
  options.on_error = OnError::kSkip;
  EXPECT_EQ(ReadStatus(Write("skip.csv", "h,d\nx,1,9\n0000001F,2\n"), options).code(), Status::Code::kNotCanonical);
  options.strict_hex32 = false;
  batch = One(ReadOk(Write("loose.csv", "h,d\n0000001F,2\n"), options));
  EXPECT_EQ(batch->column(0).Value<uint32_t>(0), 0x1fu);
}

TEST_F(CsvReaderTest, HeaderOrNotAndColumnNames) {
  std::string path = Write("nohead.csv", "1,a\n2,b\n");
  CsvOptions options;
  options.header = false;
  auto batch = One(ReadOk(path, options));
  ASSERT_EQ(batch->num_rows(), 2);
  EXPECT_EQ(batch->schema()->field(0).name, "f0");
  EXPECT_EQ(batch->schema()->field(1).name, "f1");
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 1);

  options.column_names = {"n", "s"};
  batch = One(ReadOk(path, options));
  EXPECT_EQ(batch->schema()->field(1).name, "s");
  EXPECT_EQ(batch->num_rows(), 2);

  options.header = true;  // Names override the header, whose row is not data.
  batch = One(ReadOk(path, options));
  EXPECT_EQ(batch->schema()->field(0).name, "n");
  EXPECT_EQ(batch->num_rows(), 1);
  EXPECT_EQ(batch->column(1).GetString(0), "b");

  std::string quoted_header = Write("qh.csv", "\"x,y\",\"z\"\"\"\n1,2\n");
  batch = One(ReadOk(quoted_header));
  EXPECT_EQ(batch->schema()->field(0).name, "x,y");
  EXPECT_EQ(batch->schema()->field(1).name, "z\"");
}

TEST_F(CsvReaderTest, CriteoOptionsReadCriteoLines) {
  std::string path = Write("criteo.tsv",
                           "1\t2\t1\t37\t2\t5\t7\t85\t20\t30\t\t40\t\t4\t9e3817e8\tde83951c\t80b177b3\t91c68791\t"
                           "efaa09a2\t9e3b2efb\t1feae1f3\ta9526c21\t9e3d09a0\teb3c1831\t2cdc9156\ta7101242\te37fa3db\t"
                           "98cd1c38\t62152a99\t9681ff84\t171fe21c\t17208053\tb8b6c1bd\t\t378f4d56\t\ta716de9f\t"
                           "bd5b66cc\t454f94be\t81bf2657\n"
                           "0\t\t2\t1\t8\t20\t102\t102\t20\t54\t29\t75\t\t447\t3c6f9199\t9e38b61f\t\t71ca67c2\t"
                           "cace38ce\t98c82a80\t8de2bfc1\tf87d1244\tdaabfd02\t3c752188\t8dbbb8a0\tab0d7022\tdfc8029a\t"
                           "8ffbee3b\tc2cec567\t17a0ffe4\tf1c64f2f\t1deef884\t3c7ab177\t\t1f06366f\t\t454e5850\t"
                           "f886f5b4\t4c0be7c2\t\n"
                           "1\t-1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\t2\t3\t4\t5\t6\t7\t8\t9\ta\tb\tc\td\te\tf\t"
                           "10\t11\t12\t13\t14\t15\t16\t17\t18\t19");
  Table table = ReadOk(path, CriteoTsvOptions());
  EXPECT_EQ(*table.schema(), CriteoSchema());
  auto batch = One(table);
  ASSERT_EQ(batch->num_rows(), 3);
  EXPECT_EQ(batch->schema()->field(14).name, "C1");
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 1);
  EXPECT_EQ(batch->column(0).Value<int32_t>(1), 0);
  EXPECT_EQ(batch->column(3).Value<int32_t>(0), 37);
  EXPECT_TRUE(batch->column(10).IsNull(0));  // I10
  EXPECT_TRUE(batch->column(1).IsNull(1));   // I1
  EXPECT_EQ(batch->column(1).Value<int32_t>(2), -1);
  EXPECT_EQ(batch->column(14).Value<uint32_t>(0), 0x9e3817e8u);
  EXPECT_EQ(batch->column(39).Value<uint32_t>(0), 0x81bf2657u);
  EXPECT_TRUE(batch->column(16).IsNull(1));  // C3
  EXPECT_TRUE(batch->column(39).IsNull(1));  // C26, empty at the line end.
  EXPECT_EQ(batch->column(24).Value<uint32_t>(2), 0xau);
  EXPECT_EQ(batch->column(39).Value<uint32_t>(2), 0x19u);
}

TEST_F(CsvReaderTest, UnterminatedQuoteNamesTheLineItOpened) {
  std::string path = Write("open.csv", "a,b\n1,x\n2,\"never\nclosed\n3,y\n");
  Status status = ReadStatus(path);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_NE(status.message().find(path + ":3:"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("unterminated quote"), std::string::npos) << status.message();
  // Also when the first rows are only the inference sample.
  CsvOptions options;
  options.infer_rows = 1;
  EXPECT_NE(ReadStatus(path, options).message().find(path + ":3:"), std::string::npos);
}

TEST_F(CsvReaderTest, QuoteInsideUnquotedFieldIsAnError) {
  std::string path = Write("stray.csv", "a,b\n1,ab\"c\"\n");
  Status status = ReadStatus(path);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_NE(status.message().find(path + ":2: quote inside an unquoted field"), std::string::npos) << status.message();
  CsvOptions options;
  options.quoted = false;  // Then a quote is just a byte.
  auto batch = One(ReadOk(path, options));
  EXPECT_EQ(batch->column(1).GetString(0), "ab\"c\"");
}

TEST_F(CsvReaderTest, StrayQuoteUnderSkipDropsTheRowItSpans) {
  // The stray quote on line 2 pairs with the one on line 4, so lines 2-4 are
  // one (bad) row for the chunker and the parser alike; line 5 still reads.
  std::string path = Write("stray.csv", "a,b\n1,ab\"c\n2,x\n3,y\"z\n4,w\n");
  CsvOptions options;
  options.on_error = OnError::kSkip;
  options.schema = Schema({{"a", DataType::Int32()}, {"b", DataType::String()}});
  auto batch = One(ReadOk(path, options));
  ASSERT_EQ(batch->num_rows(), 1);
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 4);
  EXPECT_EQ(batch->column(1).GetString(0), "w");
  EXPECT_EQ(last_report_.rows_skipped, 1);
  ASSERT_EQ(last_report_.first_errors.size(), 1u);
  EXPECT_EQ(last_report_.first_errors[0], path + ":2: quote inside an unquoted field (field 2)");
}

TEST_F(CsvReaderTest, EmptyFiles) {
  std::string header_only = Write("header.csv", "a,b\n");
  Table table = ReadOk(header_only);
  EXPECT_EQ(table.num_rows(), 0);
  ASSERT_EQ(table.schema()->num_fields(), 2);
  EXPECT_EQ(table.schema()->field(1).name, "b");
  EXPECT_EQ(table.schema()->field(1).type, DataType::String());

  std::string empty = Write("empty.csv", "");
  Status status = ReadStatus(empty);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(status.message().find("empty"), std::string::npos);
  CsvOptions options;
  options.header = false;
  EXPECT_EQ(ReadStatus(empty, options).code(), Status::Code::kInvalidArgument);
  options.column_names = {"x"};
  table = ReadOk(empty, options);
  EXPECT_EQ(table.num_rows(), 0);
  EXPECT_EQ(table.schema()->field(0).name, "x");
  table = ReadOk(empty, CriteoTsvOptions());
  EXPECT_EQ(table.num_rows(), 0);
  EXPECT_EQ(table.schema()->num_fields(), 40);
}

TEST_F(CsvReaderTest, ByteOrderMarkIsSkipped) {
  std::string path = Write("bom.csv", "\xEF\xBB\xBFid,v\n1,2\n");
  auto batch = One(ReadOk(path));
  EXPECT_EQ(batch->schema()->field(0).name, "id");
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 1);
  CsvOptions options;
  options.header = false;
  std::string data = Write("bom2.csv", "\xEF\xBB\xBF" "7,8\n");
  batch = One(ReadOk(data, options));
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 7);
}

TEST_F(CsvReaderTest, MissingFileIsAnIOErrorNamingThePath) {
  auto reader = CsvReader::Open(dir_.File("missing.csv"));
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kIOError);
  EXPECT_NE(reader.status().message().find("missing.csv"), std::string::npos);
}

TEST_F(CsvReaderTest, NonNullableColumnRejectsNulls) {
  std::string path = Write("nn.tsv", "1\t2\n\t3\n");
  CsvOptions options;
  options.header = false;
  options.delimiter = '\t';
  options.schema = Schema({{"label", DataType::Int32(), false}, {"x", DataType::Int32()}});
  EXPECT_EQ(ReadStatus(path, options).message(), path + ":2: column 'label' (1st): null in a non-nullable column");
}

TEST_F(CsvReaderTest, RejectsBadOptionsAndUnsupportedTypes) {
  std::string path = Write("x.csv", "a\n1\n");
  CsvOptions options;
  options.delimiter = '"';
  EXPECT_EQ(ReadStatus(path, options).code(), Status::Code::kInvalidArgument);
  options = CsvOptions();
  options.schema = Schema({{"a", DataType::List(DataType::Int32())}});
  EXPECT_EQ(ReadStatus(path, options).code(), Status::Code::kNotSupported);
  options.schema = Schema({{"a", DataType::Int32()}, {"b", DataType::Int32()}});
  EXPECT_EQ(ReadStatus(path, options).code(), Status::Code::kInvalidArgument);  // Header has 1 field.
}

TEST_F(CsvReaderTest, ProgressAndDefaultPoolRead) {
  std::string path = Write("progress.csv", "a,b\n1,2\n3,4\n");
  CsvOptions options;
  options.show_progress = true;  // Quiet for short reads; must not disturb the result.
  auto batch = One(ReadOk(path, options));
  EXPECT_EQ(batch->num_rows(), 2);
  EXPECT_EQ(batch->column(1).Value<int32_t>(1), 4);
  EXPECT_EQ(last_report_.rows_read, 2);
  EXPECT_EQ(last_report_.rows_skipped, 0);
}

TEST_F(CsvReaderTest, StoppingEarlyDoesNotHang) {
  std::string text = "v\n";
  for (int i = 0; i < 1000; ++i) text += std::to_string(i) + "\n";
  std::string path = Write("early.csv", text);
  CsvOptions options;
  options.batch_rows = 10;
  options.threads = 2;
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  RecordBatchPtr batch;
  ASSERT_TRUE((*reader)->Next(&batch).ok());
  EXPECT_EQ(batch->column(0).Value<int32_t>(0), 0);
  // Destroyed here with chunks in flight.
}

// Random strings over an alphabet rich in separators, written with RFC 4180
// quoting and read back through many small chunks.
TEST_F(CsvReaderTest, RandomQuotedTextRoundTrips) {
  const std::string alphabet = "ab,\"\n\r x";
  for (int seed = 0; seed < 20; ++seed) {
    std::mt19937 random(seed);
    const int columns = 2 + random() % 3;
    const int rows = random() % 300;
    std::vector<std::vector<std::optional<std::string>>> values(rows);
    std::string text;
    for (int c = 0; c < columns; ++c) text += (c ? "," : "") + std::string("c") + std::to_string(c);
    text += "\n";
    for (int r = 0; r < rows; ++r) {
      if (random() % 10 == 0) text += random() % 2 ? "\n" : "\r\n";  // A blank line.
      for (int c = 0; c < columns; ++c) {
        std::optional<std::string> value;
        if (random() % 6 != 0) {
          value.emplace();
          for (int n = random() % 6; n > 0; --n) *value += alphabet[random() % alphabet.size()];
        }
        values[r].push_back(value);
        if (c) text += ",";
        if (!value) continue;
        bool quote = value->empty() || value->find_first_of(",\"\n\r") != std::string::npos;
        if (!quote) {
          text += *value;
          continue;
        }
        text += '"';
        for (char ch : *value) text += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        text += '"';
      }
      if (r + 1 < rows || random() % 2) text += random() % 2 ? "\n" : "\r\n";
    }
    std::string path = Write("random" + std::to_string(seed) + ".csv", text);
    CsvOptions options;
    std::vector<Field> fields;
    for (int c = 0; c < columns; ++c) fields.push_back({"c" + std::to_string(c), DataType::String()});
    options.schema = Schema(fields);
    options.batch_rows = 1 + random() % 40;
    options.threads = 3;
    Table table = ReadOk(path, options);
    ASSERT_EQ(table.num_rows(), rows) << "seed " << seed;
    // Blank lines do not count as rows, so batches stay exactly batch_rows long.
    for (size_t b = 0; b + 1 < table.batches().size(); ++b) {
      ASSERT_EQ(table.batches()[b]->num_rows(), options.batch_rows) << "seed " << seed;
    }
    if (rows == 0) continue;
    auto batch = table.Combine();
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < columns; ++c) {
        const auto& expected = values[r][c];
        ASSERT_EQ(batch->column(c).IsNull(r), !expected.has_value()) << "seed " << seed << " row " << r << " col " << c;
        if (expected) ASSERT_EQ(batch->column(c).GetString(r), *expected) << "seed " << seed << " row " << r;
      }
    }
  }
}

// Random bytes must give rows or a Corruption, never a crash or a hang.
TEST_F(CsvReaderTest, RandomGarbageFailsCleanly) {
  const std::string alphabet = ",\"\n\r1a";
  for (int seed = 0; seed < 200; ++seed) {
    std::mt19937 random(seed);
    std::string text;
    for (int n = random() % 200; n > 0; --n) text += alphabet[random() % alphabet.size()];
    std::string path = Write("garbage.csv", text);
    for (OnError policy : {OnError::kError, OnError::kSkip}) {
      CsvOptions options;
      options.on_error = policy;
      options.batch_rows = 1 + random() % 5;
      options.infer_rows = 1 + random() % 5;
      options.header = random() % 2;
      Status status = ReadStatus(path, options);
      EXPECT_TRUE(status.ok() || status.code() == Status::Code::kCorruption ||
                  status.code() == Status::Code::kInvalidArgument)
          << status.ToString();
    }
  }
}

}  // namespace
}  // namespace kiln

namespace kiln::text {
namespace {

bool Hex(const std::string& text, uint32_t* value) {
  std::string padded = text + std::string(8, '\0');
  return ParseHex32(padded.data(), padded.data() + text.size(), value);
}

TEST(CsvValueParseTest, Hex32AllLengthsAndCases) {
  uint32_t value = 0;
  ASSERT_TRUE(Hex("9e3817e8", &value));
  EXPECT_EQ(value, 0x9e3817e8u);
  ASSERT_TRUE(Hex("ABCDEF01", &value));
  EXPECT_EQ(value, 0xabcdef01u);
  ASSERT_TRUE(Hex("ffffffff", &value));
  EXPECT_EQ(value, 0xffffffffu);
  ASSERT_TRUE(Hex("00000000", &value));
  EXPECT_EQ(value, 0u);
  ASSERT_TRUE(Hex("fA0", &value));
  EXPECT_EQ(value, 0xfa0u);
  for (const char* bad : {"", "123456789", "0000000g", "g0000000", "0000:000", "0000@000", "0000`000", "0000G000",
                          "0000/000", "\x10\x10\x10\x10\x10\x10\x10\x10", "0000\xe9" "000", "12 4"}) {
    EXPECT_FALSE(Hex(bad, &value)) << bad;
  }
  // Every single character in every position of an 8-digit field.
  for (int position = 0; position < 8; ++position) {
    for (int c = 1; c < 256; ++c) {
      std::string text = "01234567";
      text[position] = static_cast<char>(c);
      bool valid = std::isxdigit(c);
      ASSERT_EQ(Hex(text, &value), valid) << position << " " << c;
      if (valid) ASSERT_EQ(value, std::stoul(text, nullptr, 16));
    }
  }
}

TEST(CsvValueParseTest, IntegersAndFloats) {
  auto int32 = [](const std::string& text, int32_t* out) { return ParseSigned(text.data(), text.data() + text.size(), out); };
  int32_t value = 0;
  EXPECT_TRUE(int32("0", &value) && value == 0);
  EXPECT_TRUE(int32("-0012", &value) && value == -12);
  EXPECT_TRUE(int32("+2147483647", &value) && value == 2147483647);
  EXPECT_TRUE(int32("0000000000002147483647", &value) && value == 2147483647);
  EXPECT_FALSE(int32("2147483648", &value));
  EXPECT_FALSE(int32("-", &value));
  EXPECT_FALSE(int32("", &value));
  EXPECT_FALSE(int32("1 ", &value));
  EXPECT_FALSE(int32("1.0", &value));
  uint64_t big = 0;
  std::string max = "18446744073709551615", over = "18446744073709551616";
  EXPECT_TRUE(ParseUnsigned(max.data(), max.data() + max.size(), &big) && big == UINT64_MAX);
  EXPECT_FALSE(ParseUnsigned(over.data(), over.data() + over.size(), &big));
  double real = 0;
  std::string text = "+1.25e2";
  EXPECT_TRUE(ParseFloat(text.data(), text.data() + text.size(), &real) && real == 125);
  text = "1.5x";
  EXPECT_FALSE(ParseFloat(text.data(), text.data() + text.size(), &real));
}

}  // namespace
}  // namespace kiln::text

namespace kiln {
namespace {

TEST_F(CsvReaderTest, AByteRangeReadsTheRowsStartingInItWithTheirLines) {
  std::string path = Write("r.csv", "a,b\n1,10\n2,20\n3,bad\n4,40\n");
  CsvOptions options;
  options.quoted = false;
  options.range = {5, 15};  // From inside "1,10": rows "2,20" and "3,bad" start in [5, 15).
  options.schema = Schema({{"a", DataType::Int64(), true}, {"b", DataType::Int64(), true}});
  Status status = ReadStatus(path, options);
  // Row "3,bad" is the first bad one in the range; its line is the file's line 4.
  EXPECT_NE(status.message().find("r.csv:4"), std::string::npos) << status.ToString();
  options.schema.reset();
  Table table = ReadOk(path, options);  // Types still come from the whole file's head.
  ASSERT_EQ(table.num_rows(), 2);
  ASSERT_EQ(table.schema()->field(0).type, DataType::Int32());
  EXPECT_EQ(One(table)->column(0).Value<int32_t>(0), 2);
  EXPECT_EQ(One(table)->column(1).GetString(1), "bad");
  options.quoted = true;
  EXPECT_EQ(ReadStatus(path, options).code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace kiln
