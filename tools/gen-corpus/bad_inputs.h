#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gen_corpus {

// A malformed input for the tool's error handling tests.
struct bad_input {
  std::string name;
  std::string file;
  std::string what_is_wrong;  // one line, no tabs
  std::vector<uint8_t> bytes;
};

std::vector<bad_input> bad_inputs();

}  // namespace gen_corpus
