#pragma once
// Where a capture's bytes come from: a file ("-": standard input), or bytes
// already in memory, so that every stage can be tested without files.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace pktmask {

struct CaptureInput {
  CaptureInput(std::string file_path = "", std::string shown_name = "")
      : path(std::move(file_path)), name(std::move(shown_name)) {}
  CaptureInput(const char* file_path) : path(file_path) {}
  static CaptureInput in_memory(std::span<const uint8_t> bytes, std::string shown_name = "<memory>") {
    CaptureInput input("", std::move(shown_name));
    input.memory = bytes;
    return input;
  }

  std::string path;  // unused when `memory` is set
  std::optional<std::span<const uint8_t>> memory;
  std::string name;  // how messages name the input (a spool's origin); empty: the path

  const std::string& shown() const { return name.empty() ? path : name; }
};

}  // namespace pktmask
