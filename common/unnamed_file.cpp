#include "unnamed_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace pktmask {

std::string temp_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

int create_unnamed_file(bool inherited) {
  std::string dir = temp_directory();
  int cloexec = inherited ? 0 : O_CLOEXEC;
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | cloexec, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  std::string path = dir + "/pktmask-XXXXXX";
  fd = ::mkostemp(path.data(), cloexec);  // mode 0600
  if (fd >= 0) ::unlink(path.c_str());
  return fd;
}

}  // namespace pktmask
