#include "frames.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "columns.h"
#include "rows.h"

namespace maillage::python {
namespace {

constexpr Table kAllTables[] = {
    Table::kSites, Table::kPartners, Table::kServices,     Table::kPersons,
    Table::kNeeds, Table::kSupports, Table::kPartnerships, Table::kTravelTimes};

// Shortest text that reads back as `v`; integral values without a fraction.
std::string FormatNumber(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, p);
}

// --- Out: columns of a table -------------------------------------------------

py::dict SitesColumns(const std::vector<SiteRow>& rows) {
  const size_t n = rows.size();
  StrColumn id(n), name(n), territory(n), insee(n);
  F64Column lat(n), lng(n);
  for (size_t i = 0; i < n; ++i) {
    const SiteRow& r = rows[i];
    id.Set(i, r.id);
    name.Set(i, r.name);
    territory.Set(i, r.territory);
    insee.Set(i, r.insee_com);
    lat.SetOpt(i, r.lat);
    lng.SetOpt(i, r.lng);
  }
  py::dict d;
  d["site_id"] = std::move(id).array();
  d["name"] = std::move(name).array();
  d["territory"] = std::move(territory).array();
  d["insee_com"] = std::move(insee).array();
  d["lat"] = std::move(lat).array();
  d["lng"] = std::move(lng).array();
  return d;
}

py::dict PartnersColumns(const std::vector<PartnerRow>& rows) {
  const size_t n = rows.size();
  StrColumn id(n), name(n), kind(n), insee(n);
  F64Column lat(n), lng(n);
  for (size_t i = 0; i < n; ++i) {
    const PartnerRow& r = rows[i];
    id.Set(i, r.id);
    name.Set(i, r.name);
    kind.Set(i, r.kind);
    insee.Set(i, r.insee_com);
    lat.SetOpt(i, r.lat);
    lng.SetOpt(i, r.lng);
  }
  py::dict d;
  d["partner_id"] = std::move(id).array();
  d["name"] = std::move(name).array();
  d["kind"] = std::move(kind).array();
  d["insee_com"] = std::move(insee).array();
  d["lat"] = std::move(lat).array();
  d["lng"] = std::move(lng).array();
  return d;
}

py::dict ServicesColumns(const std::vector<ServiceRow>& rows) {
  const size_t n = rows.size();
  StrColumn id(n), partner(n), name(n), themes(n), publics(n), modes(n),
      zone(n), insee(n), updated(n);
  F64Column lat(n), lng(n);
  NumColumn<int64_t> available(n), max(n);
  OptIntColumn min_age(n), max_age(n);
  for (size_t i = 0; i < n; ++i) {
    const ServiceRow& r = rows[i];
    id.Set(i, r.id);
    partner.Set(i, r.partner_id);
    name.Set(i, r.name);
    themes.SetList(i, r.thematiques);
    publics.SetList(i, r.publics);
    modes.SetList(i, r.modes_accueil);
    zone.SetList(i, r.zone_eligibilite);
    insee.Set(i, r.insee_com);
    lat.SetOpt(i, r.lat);
    lng.SetOpt(i, r.lng);
    available.Set(i, r.capacity_available.value_or(0));
    max.Set(i, r.capacity_max.value_or(0));
    min_age.Set(i, r.min_age);
    max_age.Set(i, r.max_age);
    updated.Set(i, r.updated);
  }
  py::dict d;
  d["service_id"] = std::move(id).array();
  d["partner_id"] = std::move(partner).array();
  d["name"] = std::move(name).array();
  d["thematiques"] = std::move(themes).array();
  d["publics"] = std::move(publics).array();
  d["modes_accueil"] = std::move(modes).array();
  d["zone_eligibilite"] = std::move(zone).array();
  d["insee_com"] = std::move(insee).array();
  d["lat"] = std::move(lat).array();
  d["lng"] = std::move(lng).array();
  d["capacity_available"] = std::move(available).array();
  d["capacity_max"] = std::move(max).array();
  d["min_age"] = std::move(min_age).object();
  d["max_age"] = std::move(max_age).object();
  d["updated"] = std::move(updated).array();
  return d;
}

py::dict PersonsColumns(const std::vector<PersonRow>& rows) {
  const size_t n = rows.size();
  StrColumn id(n), site(n), insee(n), publics(n);
  F64Column lat(n), lng(n), max_distance(n);
  OptIntColumn age(n);
  for (size_t i = 0; i < n; ++i) {
    const PersonRow& r = rows[i];
    id.Set(i, r.id);
    site.Set(i, r.site_id);
    insee.Set(i, r.insee_com);
    lat.SetOpt(i, r.lat);
    lng.SetOpt(i, r.lng);
    age.Set(i, r.age);
    publics.SetList(i, r.publics);
    max_distance.SetOpt(i, r.max_distance_km);
  }
  py::dict d;
  d["person_id"] = std::move(id).array();
  d["site_id"] = std::move(site).array();
  d["insee_com"] = std::move(insee).array();
  d["lat"] = std::move(lat).array();
  d["lng"] = std::move(lng).array();
  d["age"] = std::move(age).object();
  d["publics"] = std::move(publics).array();
  d["max_distance_km"] = std::move(max_distance).array();
  return d;
}

py::dict NeedsColumns(const std::vector<NeedRow>& rows) {
  const size_t n = rows.size();
  StrColumn person(n), theme(n);
  NumColumn<int64_t> urgency(n);
  for (size_t i = 0; i < n; ++i) {
    person.Set(i, rows[i].person_id);
    theme.Set(i, rows[i].thematique);
    urgency.Set(i, rows[i].urgency.value_or(0));
  }
  py::dict d;
  d["person_id"] = std::move(person).array();
  d["thematique"] = std::move(theme).array();
  d["urgency"] = std::move(urgency).array();
  return d;
}

py::dict SupportsColumns(const std::vector<SupportRow>& rows) {
  const size_t n = rows.size();
  StrColumn person(n), service(n), theme(n), status(n);
  for (size_t i = 0; i < n; ++i) {
    person.Set(i, rows[i].person_id);
    service.Set(i, rows[i].service_id);
    theme.Set(i, rows[i].thematique);
    status.Set(i, rows[i].status);
  }
  py::dict d;
  d["person_id"] = std::move(person).array();
  d["service_id"] = std::move(service).array();
  d["thematique"] = std::move(theme).array();
  d["status"] = std::move(status).array();
  return d;
}

py::dict PartnershipsColumns(const std::vector<PartnershipRow>& rows) {
  const size_t n = rows.size();
  StrColumn from(n), to(n), kind(n);
  F64Column strength(n);
  for (size_t i = 0; i < n; ++i) {
    from.Set(i, rows[i].from_id);
    to.Set(i, rows[i].to_id);
    kind.Set(i, rows[i].kind);
    strength.SetOpt(i, rows[i].strength);
  }
  py::dict d;
  d["from_id"] = std::move(from).array();
  d["to_id"] = std::move(to).array();
  d["kind"] = std::move(kind).array();
  d["strength"] = std::move(strength).array();
  return d;
}

py::dict TravelTimesColumns(const std::vector<TravelTimeRow>& rows) {
  const size_t n = rows.size();
  StrColumn from(n), service(n);
  F64Column minutes(n);
  for (size_t i = 0; i < n; ++i) {
    from.Set(i, rows[i].from_insee_com);
    service.Set(i, rows[i].service_id);
    minutes.SetOpt(i, rows[i].minutes);
  }
  py::dict d;
  d["from_insee_com"] = std::move(from).array();
  d["service_id"] = std::move(service).array();
  d["minutes"] = std::move(minutes).array();
  return d;
}

// --- In: the cells of a frame ------------------------------------------------

// One column as given: float64, int64 or object values.
struct InColumn {
  const double* f64 = nullptr;
  const int64_t* i64 = nullptr;
  PyObject* const* obj = nullptr;
};

// A column of the native format in a frame: its position, or -1 when the
// frame does not have it (every cell absent).
struct Field {
  int index = -1;
  absl::string_view name;
};

// The cells of one frame, read row by row with the folder loader's parsing
// rules and problems.
class FrameCells {
 public:
  FrameCells(NetworkBuilder* builder, Table table,
             std::vector<InColumn> columns,
             const std::vector<std::string>& names)
      : builder_(builder), table_(table), columns_(std::move(columns)) {
    for (size_t i = 0; i < names.size(); ++i) {
      // The first of duplicate columns; the header check rejects the frame.
      index_.emplace_back(names[i], static_cast<int>(i));
    }
  }

  Field Find(absl::string_view name) const {
    for (const auto& [n, i] : index_) {
      if (n == name) return Field{i, name};
    }
    return Field{-1, name};
  }

  void SetRow(int64_t row) {
    row_ = static_cast<size_t>(row);
    line_ = row + 2;
  }
  RowOrigin origin() const { return RowOrigin{line_}; }

  std::string Str(Field f) {
    std::string out;
    if (f.index < 0) return out;
    const InColumn& c = columns_[static_cast<size_t>(f.index)];
    if (c.f64 != nullptr) {
      const double v = c.f64[row_];
      if (!std::isnan(v)) out = FormatNumber(v);
    } else if (c.i64 != nullptr) {
      out = absl::StrCat(c.i64[row_]);
    } else {
      Text(c.obj[row_], f, &out);
    }
    return out;
  }

  std::vector<std::string> List(Field f) {
    std::vector<std::string> out;
    if (f.index < 0) return out;
    const InColumn& c = columns_[static_cast<size_t>(f.index)];
    PyObject* o = c.obj != nullptr ? c.obj[row_] : nullptr;
    if (o != nullptr && (PyList_Check(o) || PyTuple_Check(o))) {
      const Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
      PyObject** items = PySequence_Fast_ITEMS(o);
      for (Py_ssize_t i = 0; i < n; ++i) {
        std::string item;
        Text(items[i], f, &item);
        AddItem(f, std::move(item), &out);
      }
      return out;
    }
    const std::string cell = Str(f);
    if (cell.empty()) return out;
    size_t begin = 0;
    while (true) {
      const size_t bar = cell.find('|', begin);
      AddItem(f, cell.substr(begin, bar - begin), &out);
      if (bar == std::string::npos) break;
      begin = bar + 1;
    }
    return out;
  }

  absl::optional<double> Double(Field f) {
    if (f.index < 0) return absl::nullopt;
    const InColumn& c = columns_[static_cast<size_t>(f.index)];
    if (c.f64 != nullptr) return FromDouble(f, c.f64[row_]);
    if (c.i64 != nullptr) return static_cast<double>(c.i64[row_]);
    PyObject* o = c.obj[row_];
    if (o == nullptr || o == Py_None) return absl::nullopt;
    if (PyFloat_Check(o)) return FromDouble(f, PyFloat_AS_DOUBLE(o));
    if (PyLong_Check(o)) {
      const double v = PyLong_AsDouble(o);
      if (v == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return Malformed<double>(f, "malformed number", "");
      }
      return v;
    }
    if (!PyUnicode_Check(o) && PyNumber_Check(o)) {
      PyObject* x = PyNumber_Float(o);  // numpy scalars, Decimal, ...
      if (x != nullptr) {
        const double v = PyFloat_AS_DOUBLE(x);
        Py_DECREF(x);
        return FromDouble(f, v);
      }
      PyErr_Clear();
    }
    std::string cell;
    Text(o, f, &cell);
    if (cell.empty()) return absl::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec != std::errc() || p != cell.data() + cell.size() ||
        !std::isfinite(v)) {
      return Malformed<double>(f, "malformed number", cell);
    }
    return v;
  }

  absl::optional<int64_t> Int(Field f) {
    if (f.index < 0) return absl::nullopt;
    const InColumn& c = columns_[static_cast<size_t>(f.index)];
    if (c.f64 != nullptr) return IntFromDouble(f, c.f64[row_]);
    if (c.i64 != nullptr) return c.i64[row_];
    PyObject* o = c.obj[row_];
    if (o == nullptr || o == Py_None) return absl::nullopt;
    if (PyFloat_Check(o)) return IntFromDouble(f, PyFloat_AS_DOUBLE(o));
    if (!PyUnicode_Check(o) && PyIndex_Check(o)) {
      PyObject* x = PyNumber_Index(o);  // int, bool, numpy integers
      if (x != nullptr) {
        int overflow = 0;
        const long long v = PyLong_AsLongLongAndOverflow(x, &overflow);
        Py_DECREF(x);
        if (overflow == 0 && !(v == -1 && PyErr_Occurred())) {
          return static_cast<int64_t>(v);
        }
      }
      PyErr_Clear();
      std::string cell;
      Text(o, f, &cell);
      return Malformed<int64_t>(f, "malformed integer", cell);
    }
    if (!PyUnicode_Check(o) && PyNumber_Check(o)) {
      PyObject* x = PyNumber_Float(o);
      if (x != nullptr) {
        const double v = PyFloat_AS_DOUBLE(x);
        Py_DECREF(x);
        return IntFromDouble(f, v);
      }
      PyErr_Clear();
    }
    std::string cell;
    Text(o, f, &cell);
    if (cell.empty()) return absl::nullopt;
    int64_t v = 0;
    auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec != std::errc() || p != cell.data() + cell.size()) {
      return Malformed<int64_t>(f, "malformed integer", cell);
    }
    return v;
  }

 private:
  // The text of a cell: str as is, None empty, a float without its ".0"
  // when integral (ids and communes read as numbers), anything else str().
  void Text(PyObject* o, Field f, std::string* out) {
    out->clear();
    if (o == nullptr || o == Py_None) return;
    if (PyUnicode_Check(o)) {
      Utf8(o, f, out);
    } else if (PyFloat_Check(o)) {
      const double v = PyFloat_AS_DOUBLE(o);
      if (!std::isnan(v)) *out = FormatNumber(v);
    } else {
      PyObject* s = PyObject_Str(o);
      if (s == nullptr) throw py::error_already_set();
      Utf8(s, f, out);
      Py_DECREF(s);
    }
  }

  void Utf8(PyObject* s, Field f, std::string* out) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(s, &n);
    if (p == nullptr) {  // lone surrogates
      PyErr_Clear();
      Fail(f, "invalid UTF-8");
      return;
    }
    out->assign(p, static_cast<size_t>(n));
  }

  void AddItem(Field f, std::string item, std::vector<std::string>* out) {
    if (item.empty()) {
      Fail(f, "empty item in a '|' list");
      return;
    }
    out->push_back(std::move(item));
  }

  absl::optional<double> FromDouble(Field f, double v) {
    if (std::isnan(v)) return absl::nullopt;
    if (!std::isfinite(v)) {
      return Malformed<double>(f, "malformed number", FormatNumber(v));
    }
    return v;
  }

  absl::optional<int64_t> IntFromDouble(Field f, double v) {
    if (std::isnan(v)) return absl::nullopt;
    // 2^63 is exactly representable; anything at or above it overflows.
    if (v != std::floor(v) || std::fabs(v) >= 9.2233720368547758e18) {
      return Malformed<int64_t>(f, "malformed integer", FormatNumber(v));
    }
    return static_cast<int64_t>(v);
  }

  template <typename T>
  absl::optional<T> Malformed(Field f, absl::string_view what,
                              absl::string_view value) {
    // Values of personal tables are never quoted.
    if (IsPersonalTable(table_) || value.empty()) {
      Fail(f, std::string(what));
    } else {
      Fail(f, absl::StrCat(what, " '", value, "'"));
    }
    return absl::nullopt;
  }

  void Fail(Field f, std::string reason) {
    builder_->AddProblem(table_, line_, f.name, std::move(reason));
  }

  NetworkBuilder* builder_;
  Table table_;
  std::vector<InColumn> columns_;
  std::vector<std::pair<std::string, int>> index_;
  size_t row_ = 0;
  int64_t line_ = 0;
};

void AddRows(NetworkBuilder& b, Table t, FrameCells& c, int64_t rows) {
  auto f = [&](absl::string_view name) { return c.Find(name); };
  switch (t) {
    case Table::kSites: {
      const Field id = f("site_id"), name = f("name"),
                  territory = f("territory"), insee = f("insee_com"),
                  lat = f("lat"), lng = f("lng");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        b.AddSite({c.Str(id), c.Str(name), c.Str(territory), c.Str(insee),
                   c.Double(lat), c.Double(lng)},
                  c.origin());
      }
      break;
    }
    case Table::kPartners: {
      const Field id = f("partner_id"), name = f("name"), kind = f("kind"),
                  insee = f("insee_com"), lat = f("lat"), lng = f("lng");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        b.AddPartner({c.Str(id), c.Str(name), c.Str(kind), c.Str(insee),
                      c.Double(lat), c.Double(lng)},
                     c.origin());
      }
      break;
    }
    case Table::kServices: {
      const Field id = f("service_id"), partner = f("partner_id"),
                  name = f("name"), themes = f("thematiques"),
                  publics = f("publics"), modes = f("modes_accueil"),
                  zone = f("zone_eligibilite"), insee = f("insee_com"),
                  lat = f("lat"), lng = f("lng"),
                  available = f("capacity_available"), max = f("capacity_max"),
                  min_age = f("min_age"), max_age = f("max_age"),
                  updated = f("updated");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        ServiceRow r;
        r.id = c.Str(id);
        r.partner_id = c.Str(partner);
        r.name = c.Str(name);
        r.thematiques = c.List(themes);
        r.publics = c.List(publics);
        r.modes_accueil = c.List(modes);
        r.zone_eligibilite = c.List(zone);
        r.insee_com = c.Str(insee);
        r.lat = c.Double(lat);
        r.lng = c.Double(lng);
        r.capacity_available = c.Int(available);
        r.capacity_max = c.Int(max);
        r.min_age = c.Int(min_age);
        r.max_age = c.Int(max_age);
        r.updated = c.Str(updated);
        b.AddService(std::move(r), c.origin());
      }
      break;
    }
    case Table::kPersons: {
      const Field id = f("person_id"), site = f("site_id"),
                  insee = f("insee_com"), lat = f("lat"), lng = f("lng"),
                  age = f("age"), publics = f("publics"),
                  max_distance = f("max_distance_km");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        PersonRow r;
        r.id = c.Str(id);
        r.site_id = c.Str(site);
        r.insee_com = c.Str(insee);
        r.lat = c.Double(lat);
        r.lng = c.Double(lng);
        r.age = c.Int(age);
        r.publics = c.List(publics);
        r.max_distance_km = c.Double(max_distance);
        b.AddPerson(std::move(r), c.origin());
      }
      break;
    }
    case Table::kNeeds: {
      const Field person = f("person_id"), theme = f("thematique"),
                  urgency = f("urgency");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        b.AddNeed({c.Str(person), c.Str(theme), c.Int(urgency)}, c.origin());
      }
      break;
    }
    case Table::kSupports: {
      const Field person = f("person_id"), service = f("service_id"),
                  theme = f("thematique"), status = f("status");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        b.AddSupport(
            {c.Str(person), c.Str(service), c.Str(theme), c.Str(status)},
            c.origin());
      }
      break;
    }
    case Table::kPartnerships: {
      const Field from = f("from_id"), to = f("to_id"), kind = f("kind"),
                  strength = f("strength");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        b.AddPartnership(
            {c.Str(from), c.Str(to), c.Str(kind), c.Double(strength)},
            c.origin());
      }
      break;
    }
    case Table::kTravelTimes: {
      const Field from = f("from_insee_com"), service = f("service_id"),
                  minutes = f("minutes");
      for (int64_t i = 0; i < rows; ++i) {
        c.SetRow(i);
        b.AddTravelTime({c.Str(from), c.Str(service), c.Double(minutes)},
                        c.origin());
      }
      break;
    }
  }
}

void AddFrame(NetworkBuilder& b, Table t, const py::handle& spec) {
  const std::string key = TableKey(t);
  py::tuple pair = py::reinterpret_borrow<py::object>(spec).cast<py::tuple>();
  if (pair.size() != 2) {
    throw py::value_error(key + ": expected (column names, arrays)");
  }
  std::vector<std::string> names = pair[0].cast<std::vector<std::string>>();
  py::list arrays = pair[1].cast<py::list>();
  if (arrays.size() != names.size()) {
    throw py::value_error(key + ": as many arrays as column names expected");
  }
  std::vector<InColumn> columns;
  py::ssize_t rows = -1;
  for (py::handle h : arrays) {
    py::array a = py::reinterpret_borrow<py::array>(h);
    if (!py::isinstance<py::array>(h) || a.ndim() != 1 ||
        !(a.flags() & py::array::c_style)) {
      throw py::value_error(key + ": columns must be 1-D contiguous arrays");
    }
    if (rows >= 0 && a.shape(0) != rows) {
      throw py::value_error(key + ": columns of different lengths");
    }
    rows = a.shape(0);
    InColumn c;
    const char kind = a.dtype().kind();
    if (kind == 'f' && a.itemsize() == 8) {
      c.f64 = static_cast<const double*>(a.data());
    } else if (kind == 'i' && a.itemsize() == 8) {
      c.i64 = static_cast<const int64_t*>(a.data());
    } else if (kind == 'O') {
      c.obj = static_cast<PyObject* const*>(a.data());
    } else {
      throw py::value_error(
          key + ": columns must be float64, int64 or object arrays");
    }
    columns.push_back(c);
  }
  if (rows < 0) rows = 0;

  b.SetFileName(t, key);
  // Checked as the folder loader checks a file's header.
  const bool header_ok = b.CheckHeader(t, names);
  b.SetColumns(t, names);
  FrameCells cells(&b, t, std::move(columns), names);
  if (!header_ok) {
    // The header problem says why; the ids still mark references to these
    // rows as references to rejected rows.
    const bool has_id = t == Table::kSites || t == Table::kPartners ||
                        t == Table::kServices || t == Table::kPersons;
    const Field id = cells.Find(TableColumns(t)[0]);
    for (int64_t i = 0; i < rows; ++i) {
      cells.SetRow(i);
      b.AddRejected(t, i + 2, has_id ? cells.Str(id) : std::string());
    }
    return;
  }
  AddRows(b, t, cells, rows);
}

}  // namespace

const char* TableKey(Table t) {
  switch (t) {
    case Table::kSites:
      return "sites";
    case Table::kPartners:
      return "partners";
    case Table::kServices:
      return "services";
    case Table::kPersons:
      return "persons";
    case Table::kNeeds:
      return "needs";
    case Table::kSupports:
      return "supports";
    case Table::kPartnerships:
      return "partnerships";
    case Table::kTravelTimes:
      return "travel_times";
  }
  return "";
}

py::dict NetworkColumns(const Network& net) {
  const NetworkRows rows = RowsOf(net);
  py::dict d;
  d["sites"] = SitesColumns(rows.sites);
  d["partners"] = PartnersColumns(rows.partners);
  d["services"] = ServicesColumns(rows.services);
  d["persons"] = PersonsColumns(rows.persons);
  d["needs"] = NeedsColumns(rows.needs);
  d["supports"] = SupportsColumns(rows.supports);
  d["partnerships"] = PartnershipsColumns(rows.partnerships);
  d["travel_times"] = TravelTimesColumns(rows.travel_times);
  return d;
}

void AddFrames(const py::dict& frames, NetworkBuilder* builder) {
  for (auto item : frames) {
    const std::string key = py::str(item.first);
    bool known = false;
    for (Table t : kAllTables) known |= key == TableKey(t);
    if (!known) throw py::value_error("unknown table '" + key + "'");
  }
  for (Table t : kAllTables) {
    const char* key = TableKey(t);
    if (!frames.contains(key) || frames[key].is_none()) {
      if (!IsOptionalTable(t)) {
        throw py::value_error(std::string("the '") + key +
                              "' frame is required");
      }
      continue;
    }
    AddFrame(*builder, t, frames[key]);
  }
}

void MoveColumnsFromReasons(std::vector<Problem>* problems) {
  for (Problem& p : *problems) {
    if (p.column != 0 || p.reason.rfind("column ", 0) != 0) continue;
    const size_t colon = p.reason.find(": ");
    if (colon == std::string::npos) continue;
    int32_t col = 0;
    const char* b = p.reason.data() + 7;
    const char* e = p.reason.data() + colon;
    if (std::from_chars(b, e, col).ptr == e) {
      p.column = col;
      p.reason.erase(0, colon + 2);
    }
  }
}

}  // namespace maillage::python
