#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace maillage::base {
namespace {

std::string ErrnoMessage(int error_number) {
  return std::generic_category().message(error_number);
}

}  // namespace

namespace {

// What kind of file a stat mode is, for messages.
const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what,
                                     int64_t max_bytes) {
  const std::string where = absl::StrCat(what, " ", path);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    const int error_number = errno;
    const std::string message =
        absl::StrCat("cannot read ", where, ": ", ErrnoMessage(error_number));
    if (error_number == ENOENT || error_number == ENOTDIR) {
      return absl::NotFoundError(message);
    }
    return absl::UnavailableError(message);
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::UnavailableError(absl::StrCat("cannot read ", where, ": ",
                                               KindOf(info.st_mode),
                                               ", not a regular file"));
  }
  if (info.st_size > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot read ", where, ": ", info.st_size,
                     " bytes, more than the limit of ", max_bytes));
  }
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open ", where, ": ", ErrnoMessage(errno)));
  }
  // One byte more than the size, so that the end of file is seen without
  // growing the buffer; a file that grows past the limit while it is read is
  // refused.
  std::string contents(static_cast<size_t>(info.st_size) + 1, '\0');
  size_t used = 0;
  while (true) {
    if (used == contents.size()) {
      if (static_cast<int64_t>(used) > max_bytes) {
        ::close(fd);
        return absl::ResourceExhaustedError(
            absl::StrCat("cannot read ", where, ": more than the limit of ",
                         max_bytes, " bytes"));
      }
      contents.resize(2 * used);
    }
    const ssize_t n =
        ::read(fd, contents.data() + used, contents.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      ::close(fd);
      return absl::UnavailableError(absl::StrCat("cannot read ", where, ": ",
                                                 ErrnoMessage(error_number)));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  contents.resize(used);
  return contents;
}

absl::Status WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

absl::Status MakeFolder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create folder ", dir, ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace maillage::base
