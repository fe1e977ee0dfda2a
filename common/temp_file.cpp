#include "temp_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace pktmask {

int anonymous_temp_file(const char* purpose) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = fmt::format("{}/pktmask-{}-XXXXXX", dir && *dir ? dir : "/tmp", purpose);
  int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(path.c_str());
  return fd;
}

}  // namespace pktmask
