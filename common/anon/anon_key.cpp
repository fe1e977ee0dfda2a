#include "common/anon/anon_key.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "common/anon/keyed_hash.h"
#include "common/errors.h"

namespace pktmask {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw Error(ExitCode::bad_key, fmt::format("{}: {}", path, why));
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Repeats a read or a write until `size` bytes are done; false on an error
// or at the end of the file.
template <typename Step>
bool all_bytes(size_t size, Step step) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = step(done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// The file must be regular, 32 bytes, and private to its owner.
AnonKey read_key(const std::string& path, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) refuse(path, fmt::format("cannot read the key: {}", std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) refuse(path, "the key is not a regular file");
  if ((st.st_mode & 077) != 0)
    refuse(path, fmt::format("the key may be read by its group or others; run: chmod 600 {}", path));
  AnonKey key;
  if (st.st_size != static_cast<off_t>(key.bytes.size()))
    refuse(path, fmt::format("the key must be exactly {} bytes, not {}", key.bytes.size(), st.st_size));
  errno = 0;
  if (!all_bytes(key.bytes.size(),
                 [&](size_t done) { return ::read(fd, key.bytes.data() + done, key.bytes.size() - done); }))
    refuse(path, fmt::format("cannot read the key: {}", errno != 0 ? std::strerror(errno) : "cut short"));
  return key;
}

// The key, or nothing when it does not exist and may be created. O_NONBLOCK:
// a FIFO in its place is refused, not waited on.
std::optional<AnonKey> open_key(const std::string& path, bool missing_is_error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT && !missing_is_error) return std::nullopt;
    refuse(path, fmt::format("cannot read the key: {}", std::strerror(errno)));
  }
  Descriptor file(fd);
  return read_key(path, file.get());
}

// The whole key is written and synced under a temporary name, then linked
// into place: link() never replaces, so of processes creating the key at
// once exactly one wins and the others read its key.
void create_key(const std::string& path) {
  std::filesystem::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  AnonKey key;
  if (::getrandom(key.bytes.data(), key.bytes.size(), 0) != static_cast<ssize_t>(key.bytes.size()))
    refuse(path, "cannot read 32 random bytes from the system");
  std::string temp = (std::filesystem::path(dir) / fmt::format(".{}.pktmask-key-XXXXXX", target.filename().string()));
  int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) refuse(path, fmt::format("cannot create the key: {}", std::strerror(errno)));
  Descriptor file(fd);
  bool written =
      ::fchmod(fd, 0600) == 0 &&
      all_bytes(key.bytes.size(),
                [&](size_t done) { return ::write(fd, key.bytes.data() + done, key.bytes.size() - done); }) &&
      ::fsync(fd) == 0;
  int error = errno;
  bool linked = written && ::link(temp.c_str(), path.c_str()) == 0;
  if (written && !linked) error = errno;
  ::unlink(temp.c_str());
  if (!written) refuse(path, fmt::format("cannot create the key: {}", std::strerror(error)));
  if (!linked && error != EEXIST) refuse(path, fmt::format("cannot create the key: {}", std::strerror(error)));
  if (linked) {
    int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
}

}  // namespace

AnonKey load_or_create_key(const std::string& path) {
  if (auto key = open_key(path, false)) return *key;
  create_key(path);
  return *open_key(path, true);
}

AnonKey load_key(const std::string& path) { return *open_key(path, true); }

std::string key_id(const AnonKey& key) {
  auto digest = keyed_hash(key, "pktmask key id");
  std::string id;
  for (size_t i = 0; i < 8; ++i) id += fmt::format("{:02x}", digest[i]);
  return id;
}

}  // namespace pktmask
