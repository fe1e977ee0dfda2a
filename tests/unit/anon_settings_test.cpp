#include <catch2/catch.hpp>

#include "common/anon/anon_settings.h"

using namespace pktmask;

TEST_CASE("parse_prefix reads IPv4 and IPv6 prefixes and bare addresses") {
  auto v4 = parse_prefix("10.1.0.0/16");
  REQUIRE(v4);
  CHECK(v4->family == 4);
  CHECK(v4->length == 16);
  CHECK(v4->bytes[0] == 10);
  CHECK(v4->bytes[1] == 1);
  auto v6 = parse_prefix("2001:db8::/32");
  REQUIRE(v6);
  CHECK(v6->family == 6);
  CHECK(v6->length == 32);
  CHECK(v6->bytes[0] == 0x20);
  CHECK(v6->bytes[3] == 0xb8);
  CHECK(parse_prefix("192.0.2.7")->length == 32);
  CHECK(parse_prefix("::1")->length == 128);
  CHECK(parse_prefix("0.0.0.0/0")->length == 0);
}

TEST_CASE("parse_prefix refuses host bits, bad lengths and non-addresses") {
  for (const char* bad : {"10.1.0.1/16", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/8x", "2001:db8::1/32",
                          "::/129", "10.0.0", "host.example", "", "/8", "10.0.0.0/ 8"})
    CHECK_FALSE(parse_prefix(bad));
}

TEST_CASE("IpPrefix::contains compares the prefix's bits and family only") {
  auto prefix = *parse_prefix("172.16.0.0/12");
  uint8_t inside[4] = {172, 31, 255, 255}, outside[4] = {172, 32, 0, 0};
  CHECK(prefix.contains(4, inside));
  CHECK_FALSE(prefix.contains(4, outside));
  uint8_t v6[16] = {172, 16};
  CHECK_FALSE(prefix.contains(6, v6));
  CHECK(parse_prefix("0.0.0.0/0")->contains(4, outside));
}

TEST_CASE("to_string and canonical_string spell the settings in one line") {
  CHECK(to_string(*parse_prefix("2001:db8::/32")) == "2001:db8::/32");
  CHECK(to_string(*parse_prefix("192.0.2.1")) == "192.0.2.1/32");
  AnonSettings settings;
  CHECK(canonical_string(settings) == "anonymize=none");
  settings.ip = true;
  CHECK(canonical_string(settings) == "anonymize=ip preserve=special");
  settings.mac = true;
  settings.preserve_class = true;
  settings.keep_oui = true;
  settings.keep = {*parse_prefix("192.0.2.0/24"), *parse_prefix("2001:db8::/32")};
  CHECK(canonical_string(settings) == "anonymize=ip,mac preserve=special,class,oui keep=192.0.2.0/24,2001:db8::/32");
  settings.preserve_special = settings.preserve_class = settings.keep_oui = false;
  settings.keep.clear();
  settings.ip = false;
  CHECK(canonical_string(settings) == "anonymize=mac preserve=none");
}
