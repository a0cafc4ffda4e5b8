#include "network/cells.h"

#include "absl/strings/str_cat.h"

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

std::vector<std::string> TextCells::List(std::string_view text,
                                         absl::string_view field) {
  std::vector<std::string> out;
  for (std::string_view item : base::SplitList(text)) {
    if (item.empty()) {
      Fail(field, "empty item in a '|' list");
      continue;
    }
    out.emplace_back(item);
  }
  return out;
}

absl::optional<double> TextCells::Number(std::string_view text,
                                         absl::string_view field) {
  if (text.empty()) return absl::nullopt;
  double v = 0;
  if (!base::ParseNumber(text, &v)) {
    Malformed(field, "malformed number", text);
    return absl::nullopt;
  }
  return v;
}

absl::optional<int64_t> TextCells::Integer(std::string_view text,
                                           absl::string_view field) {
  if (text.empty()) return absl::nullopt;
  int64_t v = 0;
  if (!base::ParseInteger(text, &v)) {
    Malformed(field, "malformed integer", text);
    return absl::nullopt;
  }
  return v;
}

void TextCells::Malformed(absl::string_view field, absl::string_view what,
                          std::string_view value) {
  if (IsPersonalTable(table_) || value.empty()) {
    Fail(field, std::string(what));
  } else {
    Fail(field, absl::StrCat(what, " '",
                             absl::string_view(value.data(), value.size()),
                             "'"));
  }
}

void TextCells::Fail(absl::string_view field, std::string reason) {
  builder_->AddProblem(table_, line_, field, std::move(reason));
}

}  // namespace maillage::network
