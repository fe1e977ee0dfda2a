#pragma once
// The marker reads its input more than once (tshark and the native reader,
// or a second pass) and sanitize's masker reads it again, so stdin and any
// input that is not a regular file (a FIFO, /dev/stdin) are read exactly
// once into an unnamed file in $TMPDIR (mode 0600: nobody else can open the
// raw bytes, and nothing is left behind whatever ends the run). The stages
// then open /proc/self/fd/N, which tshark inherits. Messages still name the
// input itself: `<stdin>` or the FIFO's own path, never the spool.

#include <string>

#include "common/capture_input.h"

namespace pktmask::cli {

class InputSpool {
 public:
  explicit InputSpool(const std::string& input);  // throws Error
  ~InputSpool();
  InputSpool(const InputSpool&) = delete;
  InputSpool& operator=(const InputSpool&) = delete;

  // What the stages open: the input itself when it is a regular file.
  const std::string& path() const { return path_; }
  // How messages name it; empty: path().
  const std::string& name() const { return name_; }
  CaptureInput input() const { return {path_, name_}; }

 private:
  std::string path_;
  std::string name_;
  int fd_ = -1;
};

}  // namespace pktmask::cli
