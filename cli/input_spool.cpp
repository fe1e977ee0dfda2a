#include "input_spool.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "errors.h"
#include "input_stream.h"
#include "interrupt.h"
#include "unnamed_file.h"

namespace pktmask::cli {

namespace {

bool read_once_only(const std::string& input) {
  if (input == "-") return true;
  struct stat st{};
  return ::stat(input.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

void write_all(int fd, const uint8_t* data, size_t size, const std::string& name) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) {
      throw_if_interrupted();
      continue;
    }
    if (n < 0)
      throw Error(ExitCode::output_failed, fmt::format("{}: cannot copy to a temporary file in {}: {}", name,
                                                       temp_directory(), std::strerror(errno)));
    data += n;
    size -= static_cast<size_t>(n);
  }
}

}  // namespace

InputSpool::InputSpool(const std::string& input) : path_(input) {
  if (!read_once_only(input)) return;
  InputStream in(input);
  name_ = in.name();
  fd_ = create_unnamed_file(true);
  if (fd_ < 0)
    throw Error(ExitCode::output_failed,
                fmt::format("{}: cannot create a temporary file in {}: {}", name_, temp_directory(), std::strerror(errno)));
  while (size_t got = in.ensure(1 << 20)) {
    write_all(fd_, in.data(), got, name_);
    in.consume(got);
    throw_if_interrupted();
  }
  path_ = fmt::format("/proc/self/fd/{}", fd_);
}

InputSpool::~InputSpool() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace pktmask::cli
