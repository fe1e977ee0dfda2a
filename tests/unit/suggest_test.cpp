#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/suggest.h"

using pktmask::cli::edit_distance;
using pktmask::cli::suggest;

namespace {

const std::vector<std::string> kCommands = {"mark", "mask", "sanitize", "verify", "capture"};

}  // namespace

TEST_CASE("edit_distance counts inserts, deletes, substitutions and swapped neighbours") {
  CHECK(edit_distance("sanitize", "sanitize") == 0);
  CHECK(edit_distance("", "mark") == 4);
  CHECK(edit_distance("mark", "") == 4);
  CHECK(edit_distance("sanitze", "sanitize") == 1);
  CHECK(edit_distance("sanitizee", "sanitize") == 1);
  CHECK(edit_distance("sanitise", "sanitize") == 1);
  CHECK(edit_distance("makr", "mark") == 1);
  CHECK(edit_distance("mark", "mask") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("suggest names the command a typo most likely meant") {
  CHECK(suggest("sanitze", kCommands) == "sanitize");
  CHECK(suggest("santiize", kCommands) == "sanitize");
  CHECK(suggest("verfy", kCommands) == "verify");
  CHECK(suggest("captrue", kCommands) == "capture");
  CHECK(suggest("makr", kCommands) == "mark");
  CHECK(suggest("Mask", kCommands) == "mask");
}

TEST_CASE("suggest stays quiet when nothing is close") {
  CHECK_FALSE(suggest("foo", kCommands).has_value());
  CHECK_FALSE(suggest("", kCommands).has_value());
  CHECK_FALSE(suggest("mrk2", kCommands).has_value());  // two edits from a four-letter command
  CHECK_FALSE(suggest("anonymize", kCommands).has_value());
  CHECK_FALSE(suggest("sanitize", std::vector<std::string>{}).has_value());
}

TEST_CASE("suggest prefers the closer command and, on a tie, the first") {
  CHECK(suggest("mark", kCommands) == "mark");
  CHECK(suggest("mak", kCommands) == "mark");
  CHECK(suggest("mak", std::vector<std::string>{"mask", "mark"}) == "mask");
}
