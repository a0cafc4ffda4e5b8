#include "network/cells.h"

#include "absl/strings/str_cat.h"
#include "base/text.h"

namespace maillage::network {

std::vector<int> PositionsOf(Table t, const std::vector<std::string>& names) {
  absl::Span<const ColumnInfo> columns = TableColumns(t);
  std::vector<int> positions(columns.size(), -1);
  for (size_t i = names.size(); i-- > 0;) {  // the first of repeated names
    const int k = ColumnIndex(t, names[i]);
    if (k >= 0) positions[static_cast<size_t>(k)] = static_cast<int>(i);
  }
  return positions;
}

namespace {

// A number or an integer: absent when empty, else parsed or reported.
template <typename T, typename ParseFn>
void ParseNumeric(TextCells& cells, std::string_view text,
                  absl::string_view field, absl::string_view what,
                  ParseFn parse, absl::optional<T>* out) {
  out->reset();
  if (text.empty()) return;
  T v{};
  switch (parse(text, &v)) {
    case base::ParseResult::kOk:
      *out = v;
      break;
    case base::ParseResult::kMalformed:
      cells.Malformed(field, absl::StrCat("malformed ", what), text);
      break;
    case base::ParseResult::kOutOfRange:
      cells.Malformed(field, absl::StrCat(what, " out of range"), text);
      break;
  }
}

}  // namespace

void TextCells::Parse(std::string_view text, absl::string_view,
                      std::string* out) {
  out->assign(text.data(), text.size());
}

void TextCells::Parse(std::string_view text, absl::string_view field,
                      std::vector<std::string>* out) {
  out->clear();
  for (std::string_view item : base::SplitList(text)) {
    if (item.empty()) {
      Fail(field, "empty item in a '|' list");
      continue;
    }
    out->emplace_back(item);
  }
}

void TextCells::Parse(std::string_view text, absl::string_view field,
                      absl::optional<double>* out) {
  ParseNumeric(*this, text, field, "number", base::ParseNumberText, out);
}

void TextCells::Parse(std::string_view text, absl::string_view field,
                      absl::optional<int64_t>* out) {
  ParseNumeric(*this, text, field, "integer", base::ParseIntegerText, out);
}

void TextCells::Malformed(absl::string_view field, absl::string_view what,
                          std::string_view value) {
  if (IsPersonalTable(table_) || value.empty()) {
    Fail(field, std::string(what));
  } else {
    Fail(field, absl::StrCat(what, " ",
                             base::Quoted(absl::string_view(value.data(),
                                                            value.size()))));
  }
}

void TextCells::Fail(absl::string_view field, std::string reason) {
  builder_->AddProblem(table_, line_, field, std::move(reason));
}

}  // namespace maillage::network
