#include "common/unnamed_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/input_stream.h"
#include "common/interrupt.h"

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

int copy_to_unnamed_file(InputStream& in, bool inherited) {
  int fd = create_unnamed_file(inherited);
  auto fail = [&](const char* what) {
    int error = errno;
    if (fd >= 0) ::close(fd);
    fd = -1;
    throw Error(ExitCode::output_failed,
                fmt::format("{}: {} in {}: {}", in.name(), what, temp_directory(), std::strerror(error)));
  };
  if (fd < 0) fail("cannot create a temporary file");
  try {
    while (size_t got = in.ensure(1 << 20)) {
      for (size_t done = 0; done < got;) {
        ssize_t n = ::write(fd, in.data() + done, got - done);
        if (n < 0 && errno == EINTR) {
          throw_if_interrupted();
          continue;
        }
        if (n <= 0) fail("cannot copy to a temporary file");
        done += static_cast<size_t>(n);
      }
      in.consume(got);
      throw_if_interrupted();
    }
  } catch (const Error&) {
    if (fd >= 0) ::close(fd);  // an interrupt; a write failure closed it already
    throw;
  }
  return fd;
}

}  // namespace pktmask
