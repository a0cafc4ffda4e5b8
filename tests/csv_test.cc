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
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

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

// An error as "line:column:message", for exact comparisons.
std::string Err(int64_t line, int64_t column, absl::string_view message) {
  return absl::StrCat(line, ":", column, ":", message);
}

std::vector<std::string> DescribeErrors(const CsvTable& table) {
  std::vector<std::string> out;
  for (const CsvError& error : table.errors) {
    out.push_back(Err(error.line, error.column, error.message));
  }
  return out;
}

// A record as ParseCsv gives it, with its `bad` flag.
struct Record {
  int64_t line;  // where the record starts
  Fields fields;
  bool bad = false;
  friend bool operator==(const Record&, const Record&) = default;
};
constexpr bool kBad = true;

void PrintTo(const Record& r, std::ostream* os) {
  *os << "line " << r.line << (r.bad ? ", bad: " : ": ")
      << testing::PrintToString(r.fields);
}

// An input and everything ParseCsv makes of it.
struct ParseCase {
  std::string name;
  std::string input;
  std::vector<Record> records;
  std::vector<std::string> errors = {};  // Err(...) of each, in order
};

void PrintTo(const ParseCase& c, std::ostream* os) { *os << c.name; }

class ParseCsvTest : public testing::TestWithParam<ParseCase> {};

TEST_P(ParseCsvTest, RecordsAndErrors) {
  const ParseCase& c = GetParam();
  SCOPED_TRACE(testing::PrintToString(c.input));
  const CsvTable table = ParseCsv(c.input);
  ASSERT_EQ(table.bad.size(), table.records.size());
  std::vector<Record> records;
  for (size_t i = 0; i < table.records.size(); ++i) {
    records.push_back(
        {table.records[i].line, table.records[i].fields, table.bad[i]});
  }
  EXPECT_EQ(records, c.records);
  EXPECT_EQ(DescribeErrors(table), c.errors);
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, ParseCsvTest,
    testing::Values(
        ParseCase{.name = "SimpleRecords",
                  .input = "a,b,c\n1,2,3\n",
                  .records = {{1, {"a", "b", "c"}}, {2, {"1", "2", "3"}}}},
        ParseCase{.name = "MissingFinalNewline",
                  .input = "a,b\n1,2",
                  .records = {{1, {"a", "b"}}, {2, {"1", "2"}}}},
        ParseCase{.name = "MissingFinalNewlineAfterQuotedField",
                  .input = "a,b\r\n1,\"2\"",
                  .records = {{1, {"a", "b"}}, {2, {"1", "2"}}}},
        // Empty input: no records.
        ParseCase{.name = "Empty", .input = "", .records = {}},
        ParseCase{.name = "OnlyEmptyLines", .input = "\n\n\r\n", .records = {}},
        ParseCase{.name = "OnlyNewline", .input = "\n", .records = {}},
        ParseCase{.name = "OnlyBom", .input = "\xEF\xBB\xBF", .records = {}},
        ParseCase{.name = "EmptyFields",
                  .input = ",,\na,,b\n,x\n\"\"\n",
                  .records = {{1, {"", "", ""}},
                              {2, {"a", "", "b"}},
                              {3, {"", "x"}},
                              {4, {""}}}},
        ParseCase{.name = "TrailingCommaGivesEmptyLastField",
                  .input = "a,b,\n1,2,\r\n3,4,",
                  .records = {{1, {"a", "b", ""}},
                              {2, {"1", "2", ""}},
                              {3, {"3", "4", ""}}}},
        ParseCase{.name = "WhitespaceIsPreserved",
                  .input = " a , b \n \n\t\n",
                  .records = {{1, {" a ", " b "}}, {2, {" "}}, {3, {"\t"}}}},
        ParseCase{.name = "QuotedFieldsWithCommas",
                  .input = "\"a,b\",c,\",\"\n\"x\",\"\"\n",
                  .records = {{1, {"a,b", "c", ","}}, {2, {"x", ""}}}},
        ParseCase{
            .name = "DoubledQuotes",
            .input =
                "\"he said \"\"hi\"\"\",x\n\"\"\"\"\n\"\"\"\"\"\"\n\"a\"\"\"\n",
            .records = {{1, {"he said \"hi\"", "x"}},
                        {2, {"\""}},
                        {3, {"\"\""}},
                        {4, {"a\""}}}},
        ParseCase{.name = "EmbeddedNewlinesAdvanceLineNumbers",
                  .input = "h1,h2\n\"a\nb\nc\",d\ne,\"f\n\"\ng,h\n",
                  .records = {{1, {"h1", "h2"}},
                              {2, {"a\nb\nc", "d"}},
                              {5, {"e", "f\n"}},
                              {7, {"g", "h"}}}},
        ParseCase{
            .name = "Crlf",
            .input = "a,b\r\nc,d\r\n\"e\",f\r\n",
            .records = {{1, {"a", "b"}}, {2, {"c", "d"}}, {3, {"e", "f"}}}},
        ParseCase{.name = "CrlfAndLoneCrInsideQuotesArePreserved",
                  .input = "\"x\r\ny\",z\r\n\"p\rq\"\r\nw\r\n",
                  .records = {{1, {"x\r\ny", "z"}}, {3, {"p\rq"}}, {4, {"w"}}}},
        ParseCase{.name = "LeadingBomIsSkipped",
                  .input = "\xEF\xBB\xBFid,name\n1,x\n",
                  .records = {{1, {"id", "name"}}, {2, {"1", "x"}}}},
        ParseCase{.name = "LeadingBomBeforeAQuoteIsSkipped",
                  .input = "\xEF\xBB\xBF\"id\",x",
                  .records = {{1, {"id", "x"}}}},
        ParseCase{.name = "BomOnlySkippedAtStart",
                  .input = "a\n\xEF\xBB\xBF"
                           "b\n",
                  .records = {{1, {"a"}},
                              {2,
                               {"\xEF\xBB\xBF"
                                "b"}}}},
        ParseCase{.name = "EmptyLinesAreSkippedButCounted",
                  .input = "\na\n\nb\r\n\r\nc\n\n",
                  .records = {{2, {"a"}}, {4, {"b"}}, {6, {"c"}}}},
        // Only the first problem of a field is reported.
        ParseCase{.name = "ErrorQuoteInUnquotedField",
                  .input = "a,b,c\nc,d\"e\"x,f\ng,h,i\n",
                  .records = {{1, {"a", "b", "c"}},
                              {2, {"c", "d\"e\"x", "f"}, kBad},
                              {3, {"g", "h", "i"}}},
                  .errors = {Err(2, 2, kQuoteInUnquoted)}},
        ParseCase{.name = "ErrorQuoteAfterLeadingSpace",
                  .input = "x, \"y\"\n",
                  .records = {{1, {"x", " \"y\""}, kBad}},
                  .errors = {Err(1, 2, kQuoteInUnquoted)}},
        ParseCase{.name = "ErrorCharacterAfterClosingQuote",
                  .input = "x\n\"ab\"c,d\ne\n",
                  .records = {{1, {"x"}}, {2, {"abc", "d"}, kBad}, {3, {"e"}}},
                  .errors = {Err(2, 1, kAfterClosingQuote)}},
        // The problem is on line 3, where the closing quote is.
        ParseCase{
            .name = "ErrorCharacterAfterMultilineQuotedField",
            .input = "h\n1,\"a\nb\" ,y\nz",
            .records = {{1, {"h"}}, {2, {"1", "a\nb ", "y"}, kBad}, {4, {"z"}}},
            .errors = {Err(3, 2, kAfterClosingQuote)}},
        ParseCase{.name = "ErrorLoneCrAfterClosingQuote",
                  .input = "\"a\"\rb\n",
                  .records = {{1, {"a\rb"}, kBad}},
                  .errors = {Err(1, 1, kAfterClosingQuote)}},
        ParseCase{.name = "ErrorUnterminatedQuotedField",
                  .input = "a,b\nc,d\ne,\"fg\nh,i\n",
                  .records = {{1, {"a", "b"}},
                              {2, {"c", "d"}},
                              {3, {"e", "fg\nh,i\n"}, kBad}},
                  .errors = {Err(3, 2, kUnterminated)}},
        ParseCase{.name = "ErrorUnterminatedQuoteOnly",
                  .input = "x,y\n\"",
                  .records = {{1, {"x", "y"}}, {2, {""}, kBad}},
                  .errors = {Err(2, 1, kUnterminated)}},
        ParseCase{
            .name = "ErrorBareCarriageReturn",
            .input = "a\rb,c\nd,e\r",
            .records = {{1, {"a\rb", "c"}, kBad}, {2, {"d", "e\r"}, kBad}},
            .errors = {Err(1, 1, kBareCr), Err(2, 2, kBareCr)}},
        // A lone CR is neither a line end nor an empty line; "\r\n" is an empty
        // line.
        ParseCase{.name = "ErrorLoneCrStartingALine",
                  .input = "a\n\rb\n\r\nc\n\r",
                  .records = {{1, {"a"}},
                              {2, {"\rb"}, kBad},
                              {4, {"c"}},
                              {5, {"\r"}, kBad}},
                  .errors = {Err(2, 1, kBareCr), Err(5, 1, kBareCr)}},
        ParseCase{
            .name = "ErrorInvalidUtf8",
            .input = "ok,\xC3(\nfine,\xC3\xA9\n",
            .records = {{1, {"ok", "\xC3("}, kBad}, {2, {"fine", "\xC3\xA9"}}},
            .errors = {Err(1, 2, kInvalidUtf8)}},
        // The invalid byte is on line 4 (the field starts on line 2).
        ParseCase{.name = "ErrorInvalidUtf8InsideMultilineField",
                  .input = "x\n\"ab\ncd\nef\xFF\",g\nh\n",
                  .records = {{1, {"x"}},
                              {2, {"ab\ncd\nef\xFF", "g"}, kBad},
                              {5, {"h"}}},
                  .errors = {Err(4, 1, kInvalidUtf8)}},
        ParseCase{
            .name = "SyntaxAndUtf8ErrorsInSameField",
            .input = "\"a\"\xFF,b\n",
            .records = {{1, {"a\xFF", "b"}, kBad}},
            .errors = {Err(1, 1, kAfterClosingQuote), Err(1, 1, kInvalidUtf8)}},
        ParseCase{.name = "SeveralBadRecords",
                  .input = "h1,h2\na\"b,c\nok,ok\nd,\"e\"f\n\"g",
                  .records = {{1, {"h1", "h2"}},
                              {2, {"a\"b", "c"}, kBad},
                              {3, {"ok", "ok"}},
                              {4, {"d", "ef"}, kBad},
                              {5, {"g"}, kBad}},
                  .errors = {Err(2, 1, kQuoteInUnquoted),
                             Err(4, 2, kAfterClosingQuote),
                             Err(5, 1, kUnterminated)}}),
    [](const testing::TestParamInfo<ParseCase>& param_info) {
      return param_info.param.name;
    });

TEST(ParseCsvUtf8Test, EveryInvalidSequenceIsAnError) {
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
