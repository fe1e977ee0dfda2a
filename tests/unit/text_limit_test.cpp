#include <catch2/catch.hpp>

#include "capture/text_limit.h"

using namespace pktmask;

TEST_CASE("limit_utf8 keeps a text that fits") {
  CHECK(limit_utf8("disk full", 9) == "disk full");
  CHECK(limit_utf8("", 0).empty());
}

TEST_CASE("limit_utf8 cuts to the limit, ellipsis included") {
  std::string cut = limit_utf8(std::string(2000, 'x'), kErrorMessageBytes);
  CHECK(cut.size() == kErrorMessageBytes);
  CHECK(cut.substr(cut.size() - 3) == "\xe2\x80\xa6");
}

TEST_CASE("limit_utf8 never splits a character") {
  // "é" is two bytes: a cut after 6 of them (3 for the ellipsis) would fall
  // inside the fourth é, so only three survive.
  std::string text = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  CHECK(limit_utf8(text, 9) == "\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6");
  CHECK(limit_utf8(text, 8) == "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
}
