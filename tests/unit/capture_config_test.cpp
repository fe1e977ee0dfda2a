#include <algorithm>

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "config/capture_config.h"
#include "config/policy_config.h"

using namespace pktmask;

namespace {

std::string error_of(const std::string& text) {
  try {
    parse_capture_config(text, "c.toml");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::bad_config);
    return e.what();
  }
  return "";
}

const CaptureConfigEntry& entry(const std::vector<CaptureConfigEntry>& entries, const std::string& key) {
  auto found = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.key == key; });
  REQUIRE(found != entries.end());
  return *found;
}

}  // namespace

TEST_CASE("capture_config: each key becomes its option's text, units scaled to bytes") {
  std::vector<CaptureConfigEntry> entries = parse_capture_config(
      "profile = \"strict\"\n[capture]\nrotate_size = \"100M\"\ncompress_threshold_mb = 0.5\n"
      "disk_threshold_gb = 10\nretain_days = 7\ncompress = \"zip\"\n",
      "c.toml");
  REQUIRE(entries.size() == 5);
  CHECK(entry(entries, "rotate_size").option == "--rotate-size");
  CHECK(entry(entries, "rotate_size").text == "100M");
  CHECK(entry(entries, "rotate_size").where == "c.toml:3: rotate_size");
  CHECK(entry(entries, "compress_threshold_mb").option == "--compress-threshold");
  CHECK(entry(entries, "compress_threshold_mb").text == "500000");
  CHECK(entry(entries, "disk_threshold_gb").option == "--disk-threshold");
  CHECK(entry(entries, "disk_threshold_gb").text == "10000000000");
  CHECK(entry(entries, "retain_days").text == "7");
  CHECK(entry(entries, "compress").text == "zip");
  CHECK(parse_capture_config("profile = \"strict\"\n", "c.toml").empty());
}

TEST_CASE("capture_config: unknown keys and wrong types name FILE:LINE: key") {
  CHECK(error_of("[capture]\nretain_days = 1\nnope = 2\n").starts_with("c.toml:3: nope: unknown key"));
  CHECK(error_of("[capture]\nretain_days = \"7\"\n") == "c.toml:2: retain_days: must be a number");
  CHECK(error_of("[capture]\nmax_backlog = 1.5\n") == "c.toml:2: max_backlog: must be an integer");
  CHECK(error_of("capture = 1\n").starts_with("c.toml:1: capture: must be a section"));
}

TEST_CASE("policy_config: the [capture] section is capture's, not a policy key") {
  CHECK(parse_policy_config("profile = \"strict\"\n[capture]\nretain_days = 1\n", "c.toml").size() == 1);
}
