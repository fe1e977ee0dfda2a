#include <catch2/catch.hpp>

#include "common/byte_reader.h"
#include "packet_bytes.h"

using namespace pktmask;

TEST_CASE("byte_reader reads big and little endian fields") {
  auto bytes = test::hex("01 02 03 04 05");
  ByteReader reader(bytes);
  CHECK(reader.u8(0) == 0x01);
  CHECK(reader.be16(0) == 0x0102);
  CHECK(reader.le16(0) == 0x0201);
  CHECK(reader.be32(1) == 0x02030405);
  CHECK(reader.le32(1) == 0x05040302);
  CHECK(reader.ok());
}

TEST_CASE("byte_reader out of range read returns zero and latches failure") {
  auto bytes = test::hex("01 02 03");
  ByteReader reader(bytes);
  CHECK(reader.be32(0) == 0);
  CHECK_FALSE(reader.ok());
  CHECK(reader.u8(0) == 1);  // later good reads work, but the failure stays
  CHECK_FALSE(reader.ok());
}

TEST_CASE("byte_reader has() guards against offset overflow") {
  auto bytes = test::hex("01 02");
  ByteReader reader(bytes);
  CHECK(reader.has(0, 2));
  CHECK_FALSE(reader.has(1, 2));
  CHECK_FALSE(reader.has(SIZE_MAX, 2));
  CHECK_FALSE(reader.has(1, SIZE_MAX));
}

TEST_CASE("byte_reader sub() is cut to the bytes present") {
  auto bytes = test::hex("01 02 03 04");
  ByteReader reader(bytes);
  CHECK(reader.sub(2).size() == 2);
  CHECK(reader.sub(1, 100).size() == 3);
  CHECK(reader.sub(9).size() == 0);
}
