#include "common/flow_key.h"

#include <arpa/inet.h>

namespace pktmask {

std::string address_to_string(uint8_t family, const std::array<uint8_t, 16>& address) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(family == 4 ? AF_INET : AF_INET6, address.data(), text, sizeof text);
  return text;
}

bool address_from_string(const std::string& text, uint8_t& family, std::array<uint8_t, 16>& address) {
  address.fill(0);
  if (::inet_pton(AF_INET, text.c_str(), address.data()) == 1) {
    family = 4;
    return true;
  }
  if (::inet_pton(AF_INET6, text.c_str(), address.data()) == 1) {
    family = 6;
    return true;
  }
  return false;
}

}  // namespace pktmask
