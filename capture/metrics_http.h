#pragma once
// --metrics-listen: GET /metrics over plain HTTP (cpp-httplib, docs/design.md),
// on two threads of its own. It has no authentication and no TLS: anyone who
// can reach the address can read the metrics, so it is meant for loopback.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace pktmask {

struct ListenAddress {
  std::string host;  // a numeric IPv4 or IPv6 address, without brackets
  int port = 0;
};

// "127.0.0.1:9464" or "[::1]:9464". Throws Error(start_invalid_params).
ListenAddress parse_listen_address(const std::string& text);

class MetricsEndpoint {
 public:
  // Binds at once. Throws Error(start_create_file_failed) when the address
  // cannot be bound (in use, not local, a privileged port).
  MetricsEndpoint(const ListenAddress& address, std::function<std::string()> body);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

 private:
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> listen_returned_ = false;
  std::thread listener_;
};

}  // namespace pktmask
