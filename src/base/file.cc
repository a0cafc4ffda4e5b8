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

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int error_number = errno;
    const std::string message = absl::StrCat("cannot open ", what, " ", path,
                                             ": ", ErrnoMessage(error_number));
    if (error_number == ENOENT || error_number == ENOTDIR) {
      return absl::NotFoundError(message);
    }
    return absl::UnavailableError(message);
  }
  // For a regular file one byte more than its size is allocated so that the
  // end of file is seen without growing the buffer.
  size_t capacity = size_t{1} << 16;
  struct stat info {};
  if (::fstat(fd, &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      ::close(fd);
      return absl::UnavailableError(
          absl::StrCat("cannot read ", what, " ", path, ": is a directory"));
    }
    if (S_ISREG(info.st_mode) && info.st_size >= 0) {
      capacity = static_cast<size_t>(info.st_size) + 1;
    }
  }
  std::string contents(capacity, '\0');
  size_t used = 0;
  while (true) {
    if (used == contents.size()) contents.resize(2 * used);
    const ssize_t n =
        ::read(fd, contents.data() + used, contents.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error_number = errno;
      ::close(fd);
      return absl::UnavailableError(absl::StrCat(
          "cannot read ", what, " ", path, ": ", ErrnoMessage(error_number)));
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
