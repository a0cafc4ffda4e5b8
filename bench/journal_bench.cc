// journal_bench: what the session journal (maillage/journal.h) costs, on the
// all-Convergence network (maillage generate --all, seed 1).
//
//   1. Events per second with the journal on: the same stream of events
//      applied to a new journal on disk with sync_each_event (fsync before
//      Apply returns: the default), on disk without it, and on tmpfs
//      (/dev/shm) without it, the baseline where the journal does no I/O
//      wait; rounds interleaved, medians of the rounds.
//   2. Opening a journal of 100,000 events: the replay of all of them from
//      the snapshot written at creation, then, after Compact, the snapshot
//      alone; and the snapshot's size.
//
// Usage: journal_bench [--disk DIR] [--events N] [--rounds R]
//   --disk DIR   where the on-disk journals go (default /var/tmp)
//   --events N   events in the replayed journal (default 100000)
//   --rounds R   rounds of part 1 and openings of part 2 (default 3)
// The machine may be shared: read the ratios, not the seconds.

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "event_stream.h"
#include "maillage/journal.h"
#include "maillage/synth.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void Remove(const std::string& p) {
  for (const char* s : {"", "-wal", "-shm"}) {
    std::error_code ec;
    fs::remove(p + s, ec);
  }
}

[[noreturn]] void Die(const absl::Status& s) {
  std::fprintf(stderr, "journal_bench: %s\n", std::string(s.message()).c_str());
  std::exit(1);
}

struct Run {
  double seconds = 0;
  int64_t written = 0;
  std::vector<double> latencies;  // per written event, seconds
};

Run ApplyStream(const std::string& path, const maillage::Network& net,
                const std::vector<maillage::SessionEvent>& stream, bool sync) {
  Remove(path);
  maillage::JournalOptions o;
  o.sync_each_event = sync;
  absl::StatusOr<maillage::Journal> j = maillage::Journal::Create(path, net, o);
  if (!j.ok()) Die(j.status());
  Run r;
  const auto start = Clock::now();
  for (const maillage::SessionEvent& e : stream) {
    const auto t0 = Clock::now();
    absl::StatusOr<maillage::EventOutcome> out = j->Apply(e);
    const auto t1 = Clock::now();
    if (out.ok() && !out->skipped) {
      ++r.written;
      r.latencies.push_back(Seconds(t0, t1));
    }
  }
  r.seconds = Seconds(start, Clock::now());
  Remove(path);
  return r;
}

int64_t SnapshotBytes(const std::string& path) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT length(state) FROM snapshots ORDER BY seq "
                           "DESC LIMIT 1",
                           -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string disk = "/var/tmp";
  int64_t events = 100000;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--disk") {
      disk = argv[i + 1];
    } else if (flag == "--events" && absl::SimpleAtoi(argv[i + 1], &events)) {
    } else if (flag == "--rounds" && absl::SimpleAtoi(argv[i + 1], &rounds)) {
    } else {
      std::fprintf(stderr, "usage: journal_bench [--disk DIR] [--events N] "
                           "[--rounds R]\n");
      return 2;
    }
  }
  const std::string shm = fs::exists("/dev/shm") ? "/dev/shm" : disk;
  const std::string tag = absl::StrCat("journal_bench_", getpid());
  maillage::SynthOptions so;
  so.seed = 1;
  absl::StatusOr<maillage::Network> net = maillage::Generate(so);
  if (!net.ok()) Die(net.status());
  std::printf("network: all Convergence, %zu people, %zu needs, %zu services\n",
              net->persons().size(), net->needs().size(),
              net->services().size());

  // 1. Events per second.
  const std::vector<maillage::SessionEvent> stream =
      maillage::testing_events::EventStream(*net, 3000, 101);
  struct Variant {
    const char* name;
    std::string path;
    bool sync;
    std::vector<double> per_second, median_latency, p99_latency;
    int64_t written = 0;
  };
  std::vector<Variant> variants = {
      {"disk, fsync each event (default)", disk + "/" + tag + "-a", true, {}, {},
       {}, 0},
      {"disk, no fsync", disk + "/" + tag + "-b", false, {}, {}, {}, 0},
      {"tmpfs, no fsync (baseline)", shm + "/" + tag + "-c", false, {}, {}, {},
       0}};
  for (int r = 0; r < rounds; ++r) {
    for (Variant& v : variants) {
      Run run = ApplyStream(v.path, *net, stream, v.sync);
      v.written = run.written;
      v.per_second.push_back(static_cast<double>(run.written) / run.seconds);
      std::sort(run.latencies.begin(), run.latencies.end());
      v.median_latency.push_back(run.latencies[run.latencies.size() / 2]);
      v.p99_latency.push_back(run.latencies[run.latencies.size() * 99 / 100]);
    }
  }
  const double base = Median(variants.back().per_second);
  std::printf("\n1. %zu events in the stream, %lld written, %d rounds\n",
              stream.size(), static_cast<long long>(variants[0].written),
              rounds);
  std::printf("| journal | events/s (median) | per event, median | p99 | "
              "time / baseline |\n|---|---|---|---|---|\n");
  for (const Variant& v : variants) {
    const double eps = Median(v.per_second);
    std::printf("| %s | %.0f | %.3f ms | %.3f ms | %.2f |\n", v.name, eps,
                1e3 * Median(v.median_latency), 1e3 * Median(v.p99_latency),
                base / eps);
  }

  // 2. Replay of `events` events, then the snapshot.
  const std::string path = shm + "/" + tag + "-replay";
  Remove(path);
  {
    maillage::JournalOptions o;
    o.sync_each_event = false;
    o.compact_every = 0;  // the replay of all of them is measured
    absl::StatusOr<maillage::Journal> j =
        maillage::Journal::Create(path, *net, o);
    if (!j.ok()) Die(j.status());
    const auto t0 = Clock::now();
    for (uint64_t seed = 200; j->last_seq() < events; ++seed) {
      for (const maillage::SessionEvent& e :
           maillage::testing_events::EventStream(*net, 20000, seed)) {
        if (j->last_seq() >= events) break;
        (void)j->Apply(e);
      }
    }
    std::printf("\n2. journal of %lld events written in %.1f s (tmpfs, no "
                "fsync)\n",
                static_cast<long long>(j->last_seq()), Seconds(t0, Clock::now()));
  }
  std::vector<double> replay, snapshot;
  int64_t replayed = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    absl::StatusOr<maillage::Journal> j = maillage::Journal::OpenReadOnly(path);
    if (!j.ok()) Die(j.status());
    replay.push_back(Seconds(t0, Clock::now()));
    replayed = j->replayed();
  }
  const int64_t before = static_cast<int64_t>(fs::file_size(path));
  {
    absl::StatusOr<maillage::Journal> j = maillage::Journal::Open(path);
    if (!j.ok()) Die(j.status());
    if (absl::Status s = j->Compact(); !s.ok()) Die(s);
  }
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    absl::StatusOr<maillage::Journal> j = maillage::Journal::OpenReadOnly(path);
    if (!j.ok()) Die(j.status());
    snapshot.push_back(Seconds(t0, Clock::now()));
  }
  // The default: a snapshot every 1,000 events, so a restart replays at
  // most 1,000.
  std::vector<double> after_1000;
  {
    maillage::JournalOptions o;
    o.sync_each_event = false;
    o.compact_every = 0;
    absl::StatusOr<maillage::Journal> j = maillage::Journal::Open(path, o);
    if (!j.ok()) Die(j.status());
    const int64_t target = j->last_seq() + 1000;
    for (uint64_t seed = 900; j->last_seq() < target; ++seed) {
      for (const maillage::SessionEvent& e :
           maillage::testing_events::EventStream(*net, 5000, seed)) {
        if (j->last_seq() >= target) break;
        (void)j->Apply(e);
      }
    }
  }
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = Clock::now();
    absl::StatusOr<maillage::Journal> j = maillage::Journal::OpenReadOnly(path);
    if (!j.ok()) Die(j.status());
    after_1000.push_back(Seconds(t0, Clock::now()));
  }
  std::printf("| opening | events replayed | time (median of %d) |\n"
              "|---|---|---|\n",
              rounds);
  std::printf("| snapshot at creation + replay | %lld | %.2f s |\n",
              static_cast<long long>(replayed), Median(replay));
  std::printf("| after Compact: the snapshot | 0 | %.3f s |\n", Median(snapshot));
  std::printf("| the snapshot + 1,000 events (the default compaction) | 1000 | "
              "%.3f s |\n",
              Median(after_1000));
  std::printf("snapshot: %.2f MB; journal file: %.1f MB before Compact\n",
              static_cast<double>(SnapshotBytes(path)) / 1e6,
              static_cast<double>(before) / 1e6);
  Remove(path);
  return 0;
}
