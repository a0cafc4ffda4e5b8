#include "import/mapping.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "import/fields.h"

namespace maillage::import {
namespace {

constexpr absl::string_view kUnits[] = {
    "place", "places", "people", "person", "persons", "personne", "personnes"};

}  // namespace

bool AddCapacity(Importer& imp, const Value& record, Where& w) {
  Fields f(record);
  const std::string id = IdOf(f["service_id"], w, "service_id");
  f["id"];  // HSDS: the row's own id
  if (id.empty()) {
    w.Reject("service_id", "service_id is required");
    return false;
  }
  absl::optional<double> available = NumberOf(f["available"], w, "available");
  absl::optional<double> maximum = NumberOf(f["maximum"], w, "maximum");
  const std::string unit = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(TextOf(f["unit"], w, "unit")));
  const std::string updated = DateOf(f["updated"], w, "updated");
  f.CountIgnored(imp, w.source());
  if (!unit.empty() && std::find(std::begin(kUnits), std::end(kUnits), unit) ==
                           std::end(kUnits)) {
    w.Reject("unit", absl::StrCat("unit ", base::Quoted(unit),
                                  " is not places or people: row dropped"));
    return false;
  }
  if (!available) {
    w.Reject("available", "available is required");
    return false;
  }
  auto whole = [&](absl::optional<double> v, absl::string_view field) {
    if (!v) return true;
    if (*v < 0) {
      w.Reject(field, absl::StrCat("negative ", field, ": row dropped"));
      return false;
    }
    if (*v != std::floor(*v) || *v > 1e9) {
      w.Reject(field, absl::StrCat(field,
                                   " is not a whole number of places: "
                                   "row dropped"));
      return false;
    }
    return true;
  };
  if (!whole(available, "available") || !whole(maximum, "maximum")) {
    return false;
  }
  if (maximum && *available > *maximum) {
    w.Reject("available", "available is greater than maximum: row dropped");
    return false;
  }
  PendingService* s = imp.FindService(id);
  if (s == nullptr) {
    w.Reject("service_id", absl::StrCat("service_id ", base::Quoted(id),
                                        " refers to no service"));
    return false;
  }
  if (s->rejected) {
    w.Reject("service_id", absl::StrCat("service_id ", base::Quoted(id),
                                        " refers to a rejected service"));
    return false;
  }
  if (s->capacity.source >= 0) {
    w.Reject(
        "service_id",
        absl::StrCat("a second capacity row for service ", base::Quoted(id),
                     " (first in ", imp.file(s->capacity.source), " record ",
                     s->capacity.position, "): dropped"));
    return false;
  }
  s->capacity = Origin{w.source(), w.position()};
  s->row.capacity_available = static_cast<int64_t>(*available);
  if (maximum) s->row.capacity_max = static_cast<int64_t>(*maximum);
  if (!updated.empty() && updated > s->row.updated) {
    s->row.updated = updated;
    w.Map("capacity updated -> service updated");
  }
  return true;
}

absl::Status ReadSource(Importer& imp, const std::string& path,
                        absl::string_view table, absl::string_view required,
                        absl::FunctionRef<void(const Value&, Where&)> add) {
  const int source = imp.AddSource(path, std::string(table));
  bool header_checked = false;
  bool header_ok = true;
  Format format = Format::kJson;
  absl::Status status = ReadRecords(
      path, imp.options().max_file_bytes,
      [&](RecordEvent& e) {
        if (!header_ok) return;
        imp.CountRead(source);
        Where w(&imp, source, e.position);
        if (!e.error.empty()) {
          w.Reject("", absl::StrCat(e.error, ": record rejected"));
          return;
        }
        if (!header_checked) {
          header_checked = true;
          // A CSV file's records all have the header's fields.
          if (e.record.fields.size() > 0 &&
              e.record.fields[0].second.from_csv &&
              e.record.Get(required).kind == Value::Kind::kAbsent) {
            header_ok = false;
            return;
          }
        }
        add(e.record, w);
      },
      &format);
  MAILLAGE_RETURN_IF_ERROR(status);
  if (!header_ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": no ", base::Quoted(required), " column: not a ",
                     table, " table"));
  }
  return absl::OkStatus();
}

}  // namespace maillage::import
