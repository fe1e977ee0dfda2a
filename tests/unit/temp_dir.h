#pragma once
// A scratch directory for the files a unit test writes, removed with it.

#include <string>

#include "packet_bytes.h"

namespace pktmask::test {

class TempDir {
 public:
  TempDir();  // throws std::runtime_error when it cannot make one
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

Bytes read_file(const std::string& path);
void write_file(const std::string& path, const Bytes& bytes);

}  // namespace pktmask::test
