#include "base/csv.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace maillage::base {
namespace {

using Fields = std::vector<std::string>;

constexpr char kQuoteInUnquoted[] = "quote character in unquoted field";
constexpr char kAfterClosingQuote[] =
    "unexpected character after closing quote";
constexpr char kUnterminated[] = "unterminated quoted field";
constexpr char kBareCr[] =
    "carriage return not followed by line feed in unquoted field";
constexpr char kInvalidUtf8[] = "invalid UTF-8";

// "line:column:message" for each error, for exact comparisons.
std::vector<std::string> DescribeErrors(const CsvTable& table) {
  std::vector<std::string> out;
  for (const CsvError& error : table.errors) {
    out.push_back(std::to_string(error.line) + ":" +
                  std::to_string(error.column) + ":" + error.message);
  }
  return out;
}

std::string Err(int64_t line, int64_t column, const char* message) {
  return std::to_string(line) + ":" + std::to_string(column) + ":" + message;
}

std::vector<int64_t> Lines(const CsvTable& table) {
  std::vector<int64_t> lines;
  for (const CsvRecord& record : table.records) lines.push_back(record.line);
  return lines;
}

TEST(ParseCsvTest, SimpleRecords) {
  const CsvTable table = ParseCsv("a,b,c\n1,2,3\n");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(table.records[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(table.bad, (std::vector<bool>{false, false}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, MissingFinalNewline) {
  const CsvTable table = ParseCsv("a,b\n1,2");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(table.errors.empty());

  const CsvTable crlf = ParseCsv("a,b\r\n1,\"2\"");
  ASSERT_EQ(crlf.records.size(), 2u);
  EXPECT_EQ(crlf.records[1].fields, (Fields{"1", "2"}));
  EXPECT_TRUE(crlf.errors.empty());
}

TEST(ParseCsvTest, EmptyInputHasNoRecords) {
  EXPECT_TRUE(ParseCsv("").records.empty());
  EXPECT_TRUE(ParseCsv("\n\n\r\n").records.empty());
  EXPECT_TRUE(ParseCsv("\xEF\xBB\xBF").records.empty());
  EXPECT_TRUE(ParseCsv("\n").errors.empty());
}

TEST(ParseCsvTest, EmptyFields) {
  const CsvTable table = ParseCsv(",,\na,,b\n,x\n\"\"\n");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[0].fields, (Fields{"", "", ""}));
  EXPECT_EQ(table.records[1].fields, (Fields{"a", "", "b"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"", "x"}));
  EXPECT_EQ(table.records[3].fields, (Fields{""}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, TrailingCommaGivesEmptyLastField) {
  const CsvTable table = ParseCsv("a,b,\n1,2,\r\n3,4,");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a", "b", ""}));
  EXPECT_EQ(table.records[1].fields, (Fields{"1", "2", ""}));
  EXPECT_EQ(table.records[2].fields, (Fields{"3", "4", ""}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, WhitespaceIsPreserved) {
  const CsvTable table = ParseCsv(" a , b \n \n\t\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[0].fields, (Fields{" a ", " b "}));
  EXPECT_EQ(table.records[1].fields, (Fields{" "}));
  EXPECT_EQ(table.records[2].fields, (Fields{"\t"}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, QuotedFieldsWithCommas) {
  const CsvTable table = ParseCsv("\"a,b\",c,\",\"\n\"x\",\"\"\n");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a,b", "c", ","}));
  EXPECT_EQ(table.records[1].fields, (Fields{"x", ""}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, DoubledQuotes) {
  const CsvTable table =
      ParseCsv("\"he said \"\"hi\"\"\",x\n\"\"\"\"\n\"\"\"\"\"\"\n\"a\"\"\"\n");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[0].fields, (Fields{"he said \"hi\"", "x"}));
  EXPECT_EQ(table.records[1].fields, (Fields{"\""}));
  EXPECT_EQ(table.records[2].fields, (Fields{"\"\""}));
  EXPECT_EQ(table.records[3].fields, (Fields{"a\""}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, EmbeddedNewlinesAdvanceLineNumbers) {
  const CsvTable table = ParseCsv("h1,h2\n\"a\nb\nc\",d\ne,\"f\n\"\ng,h\n");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[1].fields, (Fields{"a\nb\nc", "d"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"e", "f\n"}));
  EXPECT_EQ(table.records[3].fields, (Fields{"g", "h"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2, 5, 7}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, Crlf) {
  const CsvTable table = ParseCsv("a,b\r\nc,d\r\n\"e\",f\r\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a", "b"}));
  EXPECT_EQ(table.records[1].fields, (Fields{"c", "d"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"e", "f"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, CrlfAndLoneCrInsideQuotesArePreserved) {
  const CsvTable table = ParseCsv("\"x\r\ny\",z\r\n\"p\rq\"\r\nw\r\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[0].fields, (Fields{"x\r\ny", "z"}));
  EXPECT_EQ(table.records[1].fields, (Fields{"p\rq"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"w"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, LeadingBomIsSkipped) {
  const CsvTable table = ParseCsv("\xEF\xBB\xBFid,name\n1,x\n");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].fields, (Fields{"id", "name"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2}));
  EXPECT_TRUE(table.errors.empty());

  const CsvTable quoted = ParseCsv("\xEF\xBB\xBF\"id\",x");
  ASSERT_EQ(quoted.records.size(), 1u);
  EXPECT_EQ(quoted.records[0].fields, (Fields{"id", "x"}));
  EXPECT_TRUE(quoted.errors.empty());
}

TEST(ParseCsvTest, BomOnlySkippedAtStart) {
  const CsvTable table = ParseCsv(
      "a\n\xEF\xBB\xBF"
      "b\n");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[1].fields, (Fields{"\xEF\xBB\xBF"
                                             "b"}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, EmptyLinesAreSkippedButCounted) {
  const CsvTable table = ParseCsv("\na\n\nb\r\n\r\nc\n\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a"}));
  EXPECT_EQ(table.records[1].fields, (Fields{"b"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"c"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{2, 4, 6}));
  EXPECT_EQ(table.bad, (std::vector<bool>{false, false, false}));
  EXPECT_TRUE(table.errors.empty());
}

TEST(ParseCsvTest, ErrorQuoteInUnquotedField) {
  const CsvTable table = ParseCsv("a,b,c\nc,d\"e\"x,f\ng,h,i\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[1].fields, (Fields{"c", "d\"e\"x", "f"}));
  EXPECT_EQ(table.bad, (std::vector<bool>{false, true, false}));
  // Only the first problem of a field is reported.
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(2, 2, kQuoteInUnquoted)}));
}

TEST(ParseCsvTest, ErrorQuoteAfterLeadingSpace) {
  const CsvTable table = ParseCsv("x, \"y\"\n");
  ASSERT_EQ(table.records.size(), 1u);
  EXPECT_EQ(table.records[0].fields, (Fields{"x", " \"y\""}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(1, 2, kQuoteInUnquoted)}));
}

TEST(ParseCsvTest, ErrorCharacterAfterClosingQuote) {
  const CsvTable table = ParseCsv("x\n\"ab\"c,d\ne\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[1].fields, (Fields{"abc", "d"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"e"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(table.bad, (std::vector<bool>{false, true, false}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(2, 1, kAfterClosingQuote)}));
}

TEST(ParseCsvTest, ErrorCharacterAfterMultilineQuotedField) {
  // The problem is on line 3, where the closing quote is.
  const CsvTable table = ParseCsv("h\n1,\"a\nb\" ,y\nz");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[1].fields, (Fields{"1", "a\nb ", "y"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"z"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(table.bad, (std::vector<bool>{false, true, false}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(3, 2, kAfterClosingQuote)}));
}

TEST(ParseCsvTest, ErrorLoneCrAfterClosingQuote) {
  const CsvTable table = ParseCsv("\"a\"\rb\n");
  ASSERT_EQ(table.records.size(), 1u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a\rb"}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(1, 1, kAfterClosingQuote)}));
}

TEST(ParseCsvTest, ErrorUnterminatedQuotedField) {
  const CsvTable table = ParseCsv("a,b\nc,d\ne,\"fg\nh,i\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[2].fields, (Fields{"e", "fg\nh,i\n"}));
  EXPECT_EQ(table.records[2].line, 3);
  EXPECT_EQ(table.bad, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(3, 2, kUnterminated)}));
}

TEST(ParseCsvTest, ErrorUnterminatedQuoteOnly) {
  const CsvTable table = ParseCsv("x,y\n\"");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[1].fields, (Fields{""}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(2, 1, kUnterminated)}));
}

TEST(ParseCsvTest, ErrorBareCarriageReturn) {
  const CsvTable table = ParseCsv("a\rb,c\nd,e\r");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a\rb", "c"}));
  EXPECT_EQ(table.records[1].fields, (Fields{"d", "e\r"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(table.bad, (std::vector<bool>{true, true}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(1, 1, kBareCr), Err(2, 2, kBareCr)}));
}

TEST(ParseCsvTest, ErrorLoneCrStartingALine) {
  // A lone CR is neither a line end nor an empty line; "\r\n" is an empty
  // line.
  const CsvTable table = ParseCsv("a\n\rb\n\r\nc\n\r");
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[1].fields, (Fields{"\rb"}));
  EXPECT_EQ(table.records[2].fields, (Fields{"c"}));
  EXPECT_EQ(table.records[3].fields, (Fields{"\r"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2, 4, 5}));
  EXPECT_EQ(table.bad, (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(2, 1, kBareCr), Err(5, 1, kBareCr)}));
}

TEST(ParseCsvTest, ErrorInvalidUtf8) {
  const CsvTable table = ParseCsv("ok,\xC3(\nfine,\xC3\xA9\n");
  ASSERT_EQ(table.records.size(), 2u);
  EXPECT_EQ(table.records[0].fields, (Fields{"ok", "\xC3("}));
  EXPECT_EQ(table.bad, (std::vector<bool>{true, false}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(1, 2, kInvalidUtf8)}));
}

TEST(ParseCsvTest, ErrorInvalidUtf8InsideMultilineField) {
  // The invalid byte is on line 4 (the field starts on line 2).
  const CsvTable table = ParseCsv("x\n\"ab\ncd\nef\xFF\",g\nh\n");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(table.records[1].fields, (Fields{"ab\ncd\nef\xFF", "g"}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2, 5}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(4, 1, kInvalidUtf8)}));
}

TEST(ParseCsvTest, InvalidUtf8Kinds) {
  const std::vector<std::string> invalid = {
      "\x80",              // continuation byte alone
      "\xC0\xAF",          // overlong
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // UTF-16 surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // invalid lead byte
      "\xE2\x82",          // truncated at end of field
      "\xE2\x82,",         // truncated before delimiter
      "\xFE",
  };
  for (const std::string& text : invalid) {
    const CsvTable table = ParseCsv("a,b" + text);
    EXPECT_EQ(DescribeErrors(table),
              (std::vector<std::string>{Err(1, 2, kInvalidUtf8)}))
        << testing::PrintToString(text);
    EXPECT_EQ(table.bad, (std::vector<bool>{true}));
  }
  const CsvTable valid = ParseCsv(
      "\xC3\xA9,\xE2\x82\xAC,\xF0\x9F\x98\x80,\xEF\xBF\xBF,\xF4\x8F\xBF\xBF\n");
  EXPECT_TRUE(valid.errors.empty());
  ASSERT_EQ(valid.records.size(), 1u);
  EXPECT_EQ(valid.records[0].fields.size(), 5u);
}

TEST(ParseCsvTest, SyntaxAndUtf8ErrorsInSameField) {
  const CsvTable table = ParseCsv("\"a\"\xFF,b\n");
  ASSERT_EQ(table.records.size(), 1u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a\xFF", "b"}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(1, 1, kAfterClosingQuote),
                                      Err(1, 1, kInvalidUtf8)}));
}

TEST(ParseCsvTest, SeveralBadRecords) {
  const CsvTable table = ParseCsv("h1,h2\na\"b,c\nok,ok\nd,\"e\"f\n\"g");
  ASSERT_EQ(table.records.size(), 5u);
  EXPECT_EQ(table.bad, (std::vector<bool>{false, true, false, true, true}));
  EXPECT_EQ(Lines(table), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(DescribeErrors(table),
            (std::vector<std::string>{Err(2, 1, kQuoteInUnquoted),
                                      Err(4, 2, kAfterClosingQuote),
                                      Err(5, 1, kUnterminated)}));
}

TEST(AppendCsvFieldTest, QuotesOnlyWhenNeeded) {
  const auto field = [](std::string_view value) {
    std::string out = "<";
    AppendCsvField(value, &out);
    return out;
  };
  EXPECT_EQ(field("abc"), "<abc");
  EXPECT_EQ(field(""), "<");
  EXPECT_EQ(field(" a b "), "< a b ");
  EXPECT_EQ(field("a|b"), "<a|b");
  EXPECT_EQ(field("a,b"), "<\"a,b\"");
  EXPECT_EQ(field("a\"b"), "<\"a\"\"b\"");
  EXPECT_EQ(field("\""), "<\"\"\"\"");
  EXPECT_EQ(field("a\nb"), "<\"a\nb\"");
  EXPECT_EQ(field("a\rb"), "<\"a\rb\"");
  EXPECT_EQ(field("\"x\",\"y\""), "<\"\"\"x\"\",\"\"y\"\"\"");
  EXPECT_EQ(field("\xEF\xBB\xBFx"), "<\"\xEF\xBB\xBFx\"");
}

TEST(AppendCsvRecordTest, JoinsWithCommasAndNewline) {
  std::string out;
  AppendCsvRecord({"a", "b,c", ""}, &out);
  AppendCsvRecord({"", ""}, &out);
  AppendCsvRecord({""}, &out);
  AppendCsvRecord({"x\"y"}, &out);
  EXPECT_EQ(out, "a,\"b,c\",\n,\n\"\"\n\"x\"\"y\"\n");
  const CsvTable table = ParseCsv(out);
  ASSERT_EQ(table.records.size(), 4u);
  EXPECT_EQ(table.records[0].fields, (Fields{"a", "b,c", ""}));
  EXPECT_EQ(table.records[1].fields, (Fields{"", ""}));
  EXPECT_EQ(table.records[2].fields, (Fields{""}));
  EXPECT_EQ(table.records[3].fields, (Fields{"x\"y"}));
}

TEST(RoundTripTest, RandomizedTrickyValues) {
  // Pieces that exercise quoting, line counting and UTF-8 handling.
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           "0",
                                           " ",
                                           ",",
                                           "\"",
                                           "\"\"",
                                           "\n",
                                           "\r\n",
                                           "\r",
                                           "|",
                                           "\t",
                                           "\xC3\xA9",
                                           "\xE2\x82\xAC",
                                           "\xF0\x9F\x98\x80",
                                           "\xEF\xBB\xBF",
                                           "''",
                                           ";"};
  std::mt19937 rng(20240607);
  for (int iteration = 0; iteration < 300; ++iteration) {
    std::vector<Fields> expected;
    std::vector<int64_t> expected_lines;
    std::string text;
    int64_t line = 1;
    const int record_count = 1 + static_cast<int>(rng() % 8);
    for (int r = 0; r < record_count; ++r) {
      Fields fields;
      const int field_count = 1 + static_cast<int>(rng() % 6);
      for (int f = 0; f < field_count; ++f) {
        std::string value;
        const int piece_count = static_cast<int>(rng() % 6);
        for (int p = 0; p < piece_count; ++p) {
          value += pieces[rng() % pieces.size()];
        }
        fields.push_back(value);
      }
      std::vector<std::string_view> views(fields.begin(), fields.end());
      const size_t before = text.size();
      AppendCsvRecord(views, &text);
      expected_lines.push_back(line);
      for (size_t i = before; i < text.size(); ++i) {
        if (text[i] == '\n') ++line;
      }
      expected.push_back(std::move(fields));
    }
    const bool with_bom = rng() % 4 == 0;
    const bool strip_final_newline = rng() % 3 == 0;
    std::string input = with_bom ? "\xEF\xBB\xBF" + text : text;
    if (strip_final_newline) input.pop_back();

    const CsvTable table = ParseCsv(input);
    ASSERT_TRUE(table.errors.empty()) << testing::PrintToString(input);
    ASSERT_EQ(table.records.size(), expected.size())
        << testing::PrintToString(input);
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(table.records[i].fields, expected[i])
          << "record " << i << " of " << testing::PrintToString(input);
      EXPECT_EQ(table.records[i].line, expected_lines[i])
          << "record " << i << " of " << testing::PrintToString(input);
    }
    EXPECT_EQ(table.bad, std::vector<bool>(expected.size(), false));
  }
}

TEST(ReadCsvFileTest, ReadsFile) {
  const std::string path = testing::TempDir() + "/maillage_csv_test.csv";
  std::string content =
      "\xEF\xBB\xBFid,name\r\n1,\"a,b\"\r\n\r\n2,\"c\nd\"\r\n";
  for (int i = 0; i < 30000; ++i) content += "3,abcdefghijklmnop\n";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(std::fwrite(content.data(), 1, content.size(), file),
            content.size());
  ASSERT_EQ(std::fclose(file), 0);

  const absl::StatusOr<CsvTable> table = ReadCsvFile(path);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->records.size(), 30003u);
  EXPECT_EQ(table->records[0].fields, (Fields{"id", "name"}));
  EXPECT_EQ(table->records[1].fields, (Fields{"1", "a,b"}));
  EXPECT_EQ(table->records[2].fields, (Fields{"2", "c\nd"}));
  EXPECT_EQ(table->records[2].line, 4);
  EXPECT_EQ(table->records[3].line, 6);
  EXPECT_EQ(table->records.back().line, 30005);
  EXPECT_EQ(table->records.back().fields, (Fields{"3", "abcdefghijklmnop"}));
  EXPECT_TRUE(table->errors.empty());
  std::remove(path.c_str());
}

TEST(ReadCsvFileTest, EmptyFile) {
  const std::string path = testing::TempDir() + "/maillage_csv_empty.csv";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(std::fclose(file), 0);
  const absl::StatusOr<CsvTable> table = ReadCsvFile(path);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_TRUE(table->records.empty());
  std::remove(path.c_str());
}

TEST(ReadCsvFileTest, MissingFileIsNotFound) {
  const absl::StatusOr<CsvTable> table =
      ReadCsvFile(testing::TempDir() + "/does/not/exist.csv");
  EXPECT_EQ(table.status().code(), absl::StatusCode::kNotFound);
}

TEST(ReadCsvFileTest, DirectoryIsUnavailable) {
  const absl::StatusOr<CsvTable> table = ReadCsvFile(testing::TempDir());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace maillage::base
