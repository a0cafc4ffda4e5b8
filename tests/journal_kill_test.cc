// The journal under SIGKILL: a child process applies a stream of events to a
// journal and is killed at a random point, again and again (200 times by
// default; MAILLAGE_JOURNAL_KILLS=N for a longer run). Each run starts up to
// 50 events before the last one written, as a client that sends its events
// again after a crash. After each kill:
//   - no acknowledged event is lost: every event whose Apply returned is in
//     the journal if a clean run accepts it, and none is there twice;
//   - opening the journal gives exactly the state of a clean run (a journal
//     never killed) over the same events: plan, referral states, objective;
//   - a reader process that opened the journal while the child was writing
//     saw the state of a clean run after some acknowledged event.
// The child compacts every 40 events, so kills land in snapshots too.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "event_stream.h"
#include "gtest/gtest.h"
#include "maillage/journal.h"
#include "maillage/synth.h"

namespace maillage {
namespace {

using testing_events::State;
using testing_events::StateOf;
namespace fs = std::filesystem;

constexpr uint64_t kSeed = 21;

int Kills() {
  const char* env = std::getenv("MAILLAGE_JOURNAL_KILLS");
  int n = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &n) && n > 0) return n;
  return 200;
}

// The stream index of an event id "ev-SEED-I".
int64_t IndexOf(const std::string& id) {
  absl::string_view v = id;
  int64_t i = -1;
  if (!absl::ConsumePrefix(&v, absl::StrCat("ev-", kSeed, "-")) ||
      !absl::SimpleAtoi(v, &i)) {
    return -1;
  }
  return i;
}

// The child: applies the stream from `start`, a little before where the
// last run stopped (the events already in the journal are skipped by their
// ids, as a client sending its file again), and writes the index of each
// event to `fd` once Apply has returned. Never returns.
[[noreturn]] void RunChild(const std::string& path,
                           const std::vector<SessionEvent>& stream,
                           size_t start, int fd) {
  absl::StatusOr<Journal> j = Journal::Open(path);
  if (!j.ok()) _exit(3);
  int64_t written = 0;
  for (size_t i = start; i < stream.size(); ++i) {
    absl::StatusOr<EventOutcome> r = j->Apply(stream[i]);
    if (!r.ok() && !absl::IsInvalidArgument(r.status()) &&
        !absl::IsFailedPrecondition(r.status())) {
      _exit(4);
    }
    const auto index = static_cast<int64_t>(i);
    if (write(fd, &index, sizeof index) != sizeof index) _exit(5);
    if (r.ok() && !r->skipped && ++written % 40 == 0) {
      if (!j->Compact().ok()) _exit(6);
    }
  }
  _exit(0);
}

// A journal that is never killed, advanced over the stream on demand.
class CleanRun {
 public:
  CleanRun(const std::string& path, const Network& net,
           const std::vector<SessionEvent>* stream)
      : stream_(stream) {
    absl::StatusOr<Journal> j = Journal::Create(path, net);
    EXPECT_TRUE(j.ok()) << j.status();
    journal_.emplace(*std::move(j));
  }
  // Processes the stream up to index `last` (included).
  void AdvanceTo(int64_t last) {
    while (next_ <= last) {
      absl::StatusOr<EventOutcome> r =
          journal_->Apply((*stream_)[static_cast<size_t>(next_)]);
      accepted_.push_back(r.ok() && !r->skipped);
      ++next_;
    }
  }
  bool accepted(int64_t i) const { return accepted_[static_cast<size_t>(i)]; }
  State state() const { return StateOf(*journal_); }

 private:
  const std::vector<SessionEvent>* stream_;
  absl::optional<Journal> journal_;
  std::vector<bool> accepted_;
  int64_t next_ = 0;
};

// The stream index of the last event of the journal's state (-1: none),
// after checking that its events are distinct stream events in stream
// order. (A reader's state is that of the transaction that loaded it: the
// events written since are left out.)
int64_t LastIndex(const Journal& j) {
  absl::StatusOr<std::vector<Journal::WrittenEvent>> events = j.Events();
  EXPECT_TRUE(events.ok()) << events.status();
  int64_t last = -1;
  for (const Journal::WrittenEvent& w : *events) {
    if (w.seq > j.last_seq()) break;
    const int64_t i = IndexOf(w.event.event_id);
    EXPECT_GT(i, last) << "event " << w.seq << " out of order or twice";
    last = i;
  }
  return last;
}

TEST(JournalKillTest, NothingAcknowledgedIsLostAndTheStateIsAReplay) {
  SynthOptions o;
  o.territories = {"rouen"};
  o.seed = 3;
  absl::StatusOr<Network> net = Generate(o);
  ASSERT_TRUE(net.ok());
  const int kills = Kills();
  const std::vector<SessionEvent> stream = testing_events::EventStream(
      *net, static_cast<size_t>(kills) * 200, kSeed);
  const fs::path dir =
      fs::path(::testing::TempDir()) / absl::StrCat("journal_kill_", getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "kill.journal").string();
  ASSERT_TRUE(Journal::Create(path, *net).ok());
  // The clean run on tmpfs when there is one: it is never killed, so it
  // needs no fsync to be right.
  const fs::path shm = fs::exists("/dev/shm") ? fs::path("/dev/shm") : dir;
  const std::string clean_path =
      (shm / absl::StrCat("journal_clean_", getpid())).string();
  for (const char* s : {"", "-wal", "-shm"}) fs::remove(clean_path + s);
  CleanRun clean(clean_path, *net, &stream);

  std::mt19937_64 rng(kSeed);
  int64_t acked_total = 0, reader_checks = 0, done_runs = 0;
  int killed = 0;
  int64_t max_ack = -1, last_written = -1;
  for (int k = 0; killed < kills; ++k) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const auto start = static_cast<size_t>(
        std::max<int64_t>(0, last_written - static_cast<int64_t>(rng() % 50)));
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      RunChild(path, stream, start, fds[1]);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    // Let it open the journal and write a little, then kill it at a random
    // point; on every other round, read the journal meanwhile.
    std::vector<int64_t> acks;
    auto drain = [&]() {
      int64_t i;
      while (read(fds[0], &i, sizeof i) == sizeof i) acks.push_back(i);
    };
    const auto begin = std::chrono::steady_clock::now();
    while (acks.empty() &&
           std::chrono::steady_clock::now() - begin < std::chrono::seconds(5)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      drain();
    }
    std::this_thread::sleep_for(
        std::chrono::microseconds(static_cast<int64_t>(rng() % 40000)));
    if (k % 2 == 0) {
      absl::StatusOr<Journal> reader = Journal::OpenReadOnly(path);
      ASSERT_TRUE(reader.ok()) << reader.status();
      const int64_t seen = LastIndex(*reader);
      clean.AdvanceTo(seen);
      ASSERT_TRUE(StateOf(*reader) == clean.state())
          << "reader, round " << k << ": "
          << testing_events::Diff(StateOf(*reader), clean.state());
      ++reader_checks;
    }
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    drain();
    close(fds[0]);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "the child failed, round " << k;
      ++done_runs;
    } else {
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
      ++killed;
    }
    acked_total += static_cast<int64_t>(acks.size());

    absl::StatusOr<Journal> j = Journal::Open(path);
    ASSERT_TRUE(j.ok()) << "round " << k << ": " << j.status();
    const int64_t last = LastIndex(*j);
    // Each run starts the stream again (the events already written are
    // skipped): the acknowledged events are those of every run so far.
    if (!acks.empty()) max_ack = std::max(max_ack, acks.back());
    const int64_t last_ack = max_ack;
    // At most the event in flight is there beyond the acknowledged ones.
    ASSERT_LE(last, last_ack + 1)
        << "round " << k << ", " << acks.size() << " acknowledgements, "
        << (WIFEXITED(status) ? "exited" : "killed");
    clean.AdvanceTo(std::max(last, last_ack));
    absl::StatusOr<std::vector<Journal::WrittenEvent>> events = j->Events();
    ASSERT_TRUE(events.ok());
    std::vector<char> in_journal(
        static_cast<size_t>(std::max(last, last_ack)) + 1, 0);
    for (const Journal::WrittenEvent& w : *events) {
      in_journal[static_cast<size_t>(IndexOf(w.event.event_id))] = 1;
    }
    for (int64_t i = 0; i <= std::max(last, last_ack); ++i) {
      ASSERT_EQ(static_cast<bool>(in_journal[static_cast<size_t>(i)]),
                clean.accepted(i))
          << "round " << k << ", stream event " << i;
    }
    ASSERT_TRUE(j->session().Verify().ok()) << "round " << k;
    // The clean run after the journal's last event (and the rejected ones
    // acknowledged after it, which change nothing).
    ASSERT_TRUE(StateOf(*j) == clean.state())
        << "round " << k << ": "
        << testing_events::Diff(StateOf(*j), clean.state());
    last_written = last;
    ASSERT_LT(last + 1, static_cast<int64_t>(stream.size()))
        << "the stream ran out after " << killed << " kills";
  }
  std::cout << "kills: " << killed << ", events acknowledged: " << acked_total
            << ", reader checks: " << reader_checks
            << ", runs that ended before the kill: " << done_runs
            << ", stream events reached: " << max_ack + 1 << "\n";
  EXPECT_GT(acked_total, 0);
  for (const char* s : {"", "-wal", "-shm"}) fs::remove(clean_path + s);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace maillage
