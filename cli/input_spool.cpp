#include "cli/input_spool.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "common/input_stream.h"
#include "common/unnamed_file.h"

namespace pktmask::cli {

namespace {

bool read_once_only(const std::string& input) {
  if (input == "-") return true;
  struct stat st {};
  return ::stat(input.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

}  // namespace

InputSpool::InputSpool(const std::string& input) : path_(input) {
  if (!read_once_only(input)) return;
  InputStream in(input);
  name_ = in.name();
  fd_ = copy_to_unnamed_file(in, true);
  path_ = fmt::format("/proc/self/fd/{}", fd_);
}

InputSpool::~InputSpool() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace pktmask::cli
