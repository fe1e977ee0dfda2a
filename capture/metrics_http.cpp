#include "capture/metrics_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>

#include <fmt/format.h>
#include <httplib.h>

#include "capture/metrics_text.h"
#include "common/errors.h"

namespace pktmask {

namespace {

constexpr int kThreads = 2;  // a slow client cannot keep a scrape waiting
constexpr auto kTimeout = std::chrono::seconds(2);

[[noreturn]] void bad_address(const std::string& text) {
  throw Error(ExitCode::start_invalid_params,
              fmt::format("--metrics-listen {}: want ADDRESS:PORT with a numeric address, e.g. 127.0.0.1:9464 "
                          "or [::1]:9464",
                          text));
}

// cpp-httplib's default sets SO_REUSEPORT, with which a second capture could
// bind the same port and take half of the scrapes: SO_REUSEADDR only.
void reuse_address_only(int socket) {
  int yes = 1;
  ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

}  // namespace

ListenAddress parse_listen_address(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) bad_address(text);
  std::string host = text.substr(0, colon);
  bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  unsigned char parsed[sizeof(in6_addr)];
  bool numeric =
      bracketed ? ::inet_pton(AF_INET6, host.c_str(), parsed) == 1 : ::inet_pton(AF_INET, host.c_str(), parsed) == 1;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  int port = 0;
  auto [end, error] = std::from_chars(first, last, port);
  if (!numeric || first == last || error != std::errc() || end != last || port < 1 || port > 65535) bad_address(text);
  return {host, port};
}

MetricsEndpoint::MetricsEndpoint(const ListenAddress& address, std::function<std::string()> body)
    : server_(std::make_unique<httplib::Server>()) {
  httplib::Server& server = *server_;
  server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server.set_socket_options(reuse_address_only);
  server.set_keep_alive_max_count(1);
  server.set_read_timeout(kTimeout);
  server.set_write_timeout(kTimeout);
  server.set_payload_max_length(1024);
  server.Get("/metrics", [body = std::move(body)](const httplib::Request&, httplib::Response& response) {
    response.set_content(body(), kMetricsContentType);
  });
  errno = 0;
  if (!server.bind_to_port(address.host, address.port)) {
    int error = errno;
    bool v6 = address.host.find(':') != std::string::npos;
    throw Error(ExitCode::start_create_file_failed,
                fmt::format("--metrics-listen {}{}{}:{}: cannot listen: {}", v6 ? "[" : "", address.host, v6 ? "]" : "",
                            address.port, error ? std::strerror(error) : "bind failed"));
  }
  listener_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  // stop() does nothing until the server runs: wait for that, or a stop could be lost.
  while (!server.is_running() && !listen_returned_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MetricsEndpoint::~MetricsEndpoint() {
  server_->stop();
  listener_.join();
}

}  // namespace pktmask
