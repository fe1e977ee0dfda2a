#pragma once
// All-or-nothing output. Bytes go to a temporary file beside the target,
// which commit() renames into place; destroying an uncommitted OutputFile
// removes the temporary, so a failed run leaves no partial output. "-" writes
// to stdout, where a failure can only be reported by the exit code.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pktmask {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path);  // throws Error(output_failed)
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::span<const uint8_t> bytes);
  void write(const std::string& text) { write({reinterpret_cast<const uint8_t*>(text.data()), text.size()}); }
  void commit();
  const std::string& name() const { return name_; }
  uint64_t bytes_written() const { return written_; }

 private:
  void flush();
  [[noreturn]] void fail(const char* what, int error) const;

  std::string name_;
  std::string temp_path_;
  int fd_ = -1;
  bool committed_ = false;
  std::vector<uint8_t> buffer_;
  uint64_t written_ = 0;
};

}  // namespace pktmask
