#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "capture/metrics_http.h"
#include "common/errors.h"

using namespace pktmask;

namespace {

ExitCode code_of(const std::string& text) {
  try {
    parse_listen_address(text);
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

}  // namespace

TEST_CASE("parse_listen_address takes a numeric IPv4 address, or IPv6 in brackets, and a port") {
  ListenAddress v4 = parse_listen_address("127.0.0.1:9464");
  CHECK(v4.host == "127.0.0.1");
  CHECK(v4.port == 9464);
  ListenAddress v6 = parse_listen_address("[::1]:65535");
  CHECK(v6.host == "::1");
  CHECK(v6.port == 65535);
}

TEST_CASE("parse_listen_address refuses names, missing or bad ports, unbracketed IPv6") {
  for (const char* bad : {"localhost:9464", "127.0.0.1", "127.0.0.1:", ":9464", "127.0.0.1:0", "127.0.0.1:65536",
                          "127.0.0.1:94x", "127.0.0.1:-1", "::1:9464", "[127.0.0.1]:9464", "300.0.0.1:9464", ""}) {
    INFO(bad);
    CHECK(code_of(bad) == ExitCode::start_invalid_params);
  }
}

TEST_CASE("MetricsEndpoint: a port another endpoint holds is a start failure (105), not a shared port") {
  int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in any{.sin_family = AF_INET, .sin_port = 0, .sin_addr = {htonl(INADDR_LOOPBACK)}, .sin_zero = {}};
  socklen_t size = sizeof any;
  REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&any), size) == 0);
  REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&any), &size) == 0);
  ::close(probe);
  ListenAddress address{"127.0.0.1", ntohs(any.sin_port)};
  MetricsEndpoint first(address, [] { return std::string(); });
  try {
    MetricsEndpoint second(address, [] { return std::string(); });
    FAIL("the second endpoint bound the same port");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::start_create_file_failed);
    CHECK(std::string(e.what()).find("Address already in use") != std::string::npos);
  }
}
