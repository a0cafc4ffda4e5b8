// Runs a command and reports its peak resident set size and wall time, from
// wait4's rusage: what `/usr/bin/time -f %M` prints, without depending on the
// `time` package.
//
//   peak_rss COMMAND [ARG...]
//
// The command's stdout and stderr pass through; then one line on stderr:
//   peak_rss: maxrss_kb=N wall_s=S exit=E
// The exit status is the command's (128 + signal if it was killed, 127 if it
// could not be started).

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
    return 2;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("peak_rss: fork");
    return 127;
  }
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    std::fprintf(stderr, "peak_rss: cannot run %s: %s\n", argv[1],
                 std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) {
      std::perror("peak_rss: wait4");
      return 127;
    }
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  const int code = WIFEXITED(status)     ? WEXITSTATUS(status)
                   : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                         : 127;
  std::fprintf(stderr, "peak_rss: maxrss_kb=%ld wall_s=%.3f exit=%d\n",
               usage.ru_maxrss, wall, code);
  return code;
}
