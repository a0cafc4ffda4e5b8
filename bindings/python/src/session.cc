// maillage._core's journal (session.h): Journal opened, created, applied
// to, read. The work runs without the GIL; tables go out as dicts of
// columns for the pure-Python package to make DataFrames of.

#include "session.h"

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "maillage/journal.h"
#include "pybind11/stl.h"
#include "status.h"

namespace maillage::python {
namespace {

struct JournalHandle {
  explicit JournalHandle(Journal j) : journal(std::move(j)) {}
  Journal journal;
};
using JournalPtr = std::shared_ptr<JournalHandle>;

template <typename T>
T Take(absl::StatusOr<T>&& v) {
  if (!v.ok()) ThrowStatus(v.status(), PyExc_FileNotFoundError);
  return *std::move(v);
}
void Check(const absl::Status& s) {
  if (!s.ok()) ThrowStatus(s, PyExc_FileNotFoundError);
}

py::object OptInt(const absl::optional<int64_t>& v) {
  return v ? py::object(py::int_(*v)) : py::object(py::none());
}

// A table as a dict of columns (lists), filled a row at a time, for the
// pure-Python package to make a DataFrame of.
class Columns {
 public:
  explicit Columns(std::initializer_list<const char*> names) {
    for (const char* n : names) columns_.emplace_back(n, py::list());
  }
  // One value per column, in the order of the names.
  template <typename... V>
  void Add(const V&... values) {
    size_t i = 0;
    (columns_[i++].second.append(values), ...);
  }
  py::dict Dict() const {
    py::dict d;
    for (const auto& [name, list] : columns_) d[name] = list;
    return d;
  }

 private:
  std::vector<std::pair<const char*, py::list>> columns_;
};

// apply(csv_text) -> {record, line, event_id, status, seq, message}: one
// row per record of the text, in order.
py::dict Apply(JournalHandle& h, const std::string& text) {
  EventFile f = Take(ParseEvents(text));
  struct Row {
    int64_t record, line;
    std::string event_id, status, message;
    int64_t seq = 0;
  };
  std::vector<Row> rows;
  {
    py::gil_scoped_release release;
    for (const EventLineProblem& p : f.problems) {
      if (!rows.empty() && rows.back().record == p.record) {
        absl::StrAppend(&rows.back().message, "; ", p.field, ": ", p.reason);
        continue;
      }
      rows.push_back(
          {p.record, p.line, "", "rejected",
           p.field.empty() ? p.reason : absl::StrCat(p.field, ": ", p.reason)});
    }
    for (size_t i = 0; i < f.events.size(); ++i) {
      absl::StatusOr<EventOutcome> r = h.journal.Apply(f.events[i]);
      Row row{f.records[i], f.lines[i], f.events[i].event_id, "", ""};
      if (r.ok()) {
        row.status = r->skipped ? "skipped" : "applied";
        row.seq = r->seq;
      } else if (absl::IsInvalidArgument(r.status()) ||
                 absl::IsFailedPrecondition(r.status())) {
        row.status = "rejected";
        row.message = std::string(r.status().message());
      } else {
        py::gil_scoped_acquire acquire;
        ThrowStatus(r.status());
      }
      rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return a.record < b.record;
    });
  }
  Columns out({"record", "line", "event_id", "status", "seq", "message"});
  for (const Row& r : rows) {
    out.Add(r.record, r.line, r.event_id, r.status,
            r.seq == 0 ? py::object(py::none()) : py::object(py::int_(r.seq)),
            r.message);
  }
  return out.Dict();
}

py::dict Plan(const JournalHandle& h) {
  std::vector<SessionPlanRow> rows;
  {
    py::gil_scoped_release release;
    rows = SessionPlan(h.journal);
  }
  Columns out({"person_id", "thematique", "urgency", "referral_state",
               "service_id", "partner_id", "pinned"});
  for (const SessionPlanRow& r : rows) {
    out.Add(r.person_id, r.thematique, r.urgency, r.referral_state,
            r.service_id, r.partner_id, r.pinned);
  }
  return out.Dict();
}

py::dict History(const JournalHandle& h, const std::string& person) {
  std::vector<HistoryRow> rows;
  {
    py::gil_scoped_release release;
    rows = Take(h.journal.History(person));
  }
  Columns out({"seq", "time", "event", "origin", "event_id", "person_id",
               "thematique", "service_id", "partner_id", "reason", "urgency",
               "places", "from_service_id"});
  for (const HistoryRow& r : rows) {
    out.Add(r.seq, r.time, r.event, r.origin, r.event_id, r.person_id,
            r.thematique, r.service_id, r.partner_id, r.reason,
            OptInt(r.urgency), OptInt(r.places), r.from_service_id);
  }
  return out.Dict();
}

py::dict Objective(const JournalHandle& h) {
  const SessionObjective o = h.journal.session().objective();
  py::dict d;
  d["people_covered"] = o.people_covered;
  d["needs_covered"] = o.needs_covered;
  d["needs_pinned"] = o.needs_pinned;
  d["urgency_level"] = o.urgency_level;
  d["total_score_scaled"] = o.total_score_scaled;
  d["flow_cost"] = o.flow_cost;
  return d;
}

JournalPtr Open(const std::string& path, bool read_only) {
  absl::StatusOr<Journal> j;
  {
    py::gil_scoped_release release;
    j = read_only ? Journal::OpenReadOnly(path) : Journal::Open(path);
  }
  return std::make_shared<JournalHandle>(Take(std::move(j)));
}

}  // namespace

py::object CreateJournal(const std::string& path, const Network& network,
                         double expiry_days) {
  if (!(expiry_days >= 0) || expiry_days > 36500) {
    PyErr_SetString(PyExc_ValueError, "expiry_days must be from 0 to 36500");
    throw py::error_already_set();
  }
  JournalOptions o;
  o.expiry = absl::Seconds(static_cast<int64_t>(expiry_days * 86400));
  absl::StatusOr<Journal> j;
  {
    py::gil_scoped_release release;
    j = Journal::Create(path, network, o);
  }
  if (absl::IsAlreadyExists(j.status())) {
    PyErr_SetString(PyExc_FileExistsError,
                    std::string(j.status().message()).c_str());
    throw py::error_already_set();
  }
  if (!j.ok()) ThrowStatus(j.status());
  return py::cast(std::make_shared<JournalHandle>(*std::move(j)));
}

void BindSession(py::module_& m) {
  py::class_<JournalHandle, JournalPtr>(m, "Journal")
      .def("apply", &Apply, py::arg("csv_text"))
      .def("plan", &Plan)
      .def("history", &History, py::arg("person_id") = "")
      .def("objective", &Objective)
      .def("compact",
           [](JournalHandle& h) {
             absl::Status s;
             {
               py::gil_scoped_release release;
               s = h.journal.Compact();
             }
             Check(s);
           })
      .def("erase",
           [](JournalHandle& h, const std::string& person) {
             absl::StatusOr<int64_t> n;
             {
               py::gil_scoped_release release;
               n = h.journal.ErasePerson(person);
             }
             if (!n.ok() && absl::IsNotFound(n.status())) {
               ThrowStatus(n.status(), PyExc_KeyError);
             }
             return Take(std::move(n));
           })
      .def("write_plan",
           [](const JournalHandle& h, const std::string& dir) {
             Check(WriteSessionPlan(h.journal, dir));
           })
      .def_property_readonly(
          "last_seq",
          [](const JournalHandle& h) { return h.journal.last_seq(); })
      .def_property_readonly(
          "snapshot_seq",
          [](const JournalHandle& h) { return h.journal.snapshot_seq(); })
      .def_property_readonly(
          "replayed",
          [](const JournalHandle& h) { return h.journal.replayed(); })
      .def_property_readonly("expiry_days",
                             [](const JournalHandle& h) {
                               return absl::ToDoubleHours(h.journal.expiry()) /
                                      24;
                             })
      .def_property_readonly(
          "path", [](const JournalHandle& h) { return h.journal.path(); })
      .def_property_readonly("num_people",
                             [](const JournalHandle& h) {
                               return h.journal.session().num_people();
                             })
      .def_property_readonly("num_needs", [](const JournalHandle& h) {
        return h.journal.session().num_needs();
      });
  m.def("open_journal", &Open, py::arg("path"), py::arg("read_only") = false);
}

}  // namespace maillage::python
