#pragma once
// All-or-nothing output (docs/usage.md, "Output paths"). A regular file is
// written to an unnamed temporary (O_TMPFILE) in the target's directory,
// mode 0600, and only commit() gives it a name: the target's, atomically,
// with the normal mode. Until then a failure, a signal or even SIGKILL
// leaves nothing. Where the file system has no O_TMPFILE, the temporary is a
// hidden `.NAME.pktmask-XXXXXX` beside the target, removed on failure and on
// a second signal. "-", character devices, FIFOs and sockets are written in
// place: never replaced, never removed, and a failure there can only be
// reported by the exit code.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pktmask {

class OutputFile {
 public:
  // `owner_only`: the committed file gets mode 0600 whatever the umask (a
  // file as secret as a key, such as `anon --export-map`'s).
  explicit OutputFile(const std::string& path, bool owner_only = false);  // throws Error(output_failed)
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::span<const uint8_t> bytes);
  void write(const std::string& text) { write({reinterpret_cast<const uint8_t*>(text.data()), text.size()}); }
  void commit();
  const std::string& name() const { return name_; }
  uint64_t bytes_written() const { return written_; }

 private:
  void open_temporary(const std::string& path);
  void publish();
  void flush();
  [[noreturn]] void fail(const char* what, int error) const;

  std::string name_;
  int fd_ = -1;
  bool owns_fd_ = false;
  int dir_fd_ = -1;         // replaced outputs: the target's directory
  std::string leaf_;        // the target's name in it
  std::string named_temp_;  // the hidden temporary, where O_TMPFILE is refused (its full path)
  bool committed_ = false;
  bool owner_only_ = false;
  std::vector<uint8_t> buffer_;
  uint64_t written_ = 0;
};

}  // namespace pktmask
