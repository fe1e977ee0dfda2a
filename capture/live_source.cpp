// Live capture through libpcap. Records are written in the classic pcap
// format, as tcpdump writes them: microsecond timestamps, or nanosecond ones
// (magic a1b23c4d) when asked for and the kernel supplies them.
#include <pcap/pcap.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "capture/netns_target.h"
#include "capture/packet_source.h"
#include "common/errors.h"

namespace pktmask {

namespace {

constexpr int kReadTimeoutMs = 200;  // how often an idle capture checks for commands
constexpr uint32_t kPcapMicro = 0xa1b2c3d4;
constexpr uint32_t kPcapNano = 0xa1b23c4d;

template <typename T>
void put(std::vector<uint8_t>& out, size_t at, T value) {
  std::memcpy(out.data() + at, &value, sizeof value);
}

class LiveSource : public PacketSource {
 public:
  LiveSource(const LiveOptions& options, int netns_fd) : interface_(options.interface), in_target_(netns_fd >= 0) {
    {
      NetnsEntered entered(netns_fd);
      char error[PCAP_ERRBUF_SIZE] = "";
      pcap_ = pcap_create(interface_.c_str(), error);
      if (pcap_ == nullptr) throw Error(ExitCode::start_interface_not_found, fmt::format("{}: {}", interface_, error));
      pcap_set_snaplen(pcap_, static_cast<int>(options.snaplen));
      pcap_set_promisc(pcap_, options.promiscuous ? 1 : 0);
      pcap_set_timeout(pcap_, kReadTimeoutMs);
      pcap_set_buffer_size(pcap_, static_cast<int>(std::min<uint64_t>(options.buffer_bytes, INT_MAX)));
      // Refused when the kernel cannot stamp nanoseconds: microseconds then.
      if (options.precision == TimePrecision::nano) pcap_set_tstamp_precision(pcap_, PCAP_TSTAMP_PRECISION_NANO);
      activate();
    }
    if (!options.filter.empty()) set_filter(options.filter);
    make_pollable();
    nanoseconds_ = pcap_get_tstamp_precision(pcap_) == PCAP_TSTAMP_PRECISION_NANO;
    preamble_.resize(24);
    put<uint32_t>(preamble_, 0, nanoseconds_ ? kPcapNano : kPcapMicro);
    put<uint16_t>(preamble_, 4, 2);
    put<uint16_t>(preamble_, 6, 4);
    put<uint32_t>(preamble_, 16, static_cast<uint32_t>(pcap_snapshot(pcap_)));
    put<uint32_t>(preamble_, 20, static_cast<uint32_t>(pcap_datalink(pcap_)));
  }
  ~LiveSource() override { pcap_close(pcap_); }

  SourceStatus next(SourceRecord& out) override {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    int got = pcap_next_ex(pcap_, &header, &data);
    if (got == 0) {
      wait_for_packets();
      got = pcap_next_ex(pcap_, &header, &data);
    }
    if (got == 0) return SourceStatus::idle;
    if (got == PCAP_ERROR_BREAK) return SourceStatus::end;
    if (got < 0) throw std::runtime_error(fmt::format("{}: capture failed: {}", interface_, pcap_geterr(pcap_)));
    record_.resize(16 + header->caplen);
    put<uint32_t>(record_, 0, static_cast<uint32_t>(header->ts.tv_sec));
    put<uint32_t>(record_, 4, static_cast<uint32_t>(header->ts.tv_usec));
    put<uint32_t>(record_, 8, header->caplen);
    put<uint32_t>(record_, 12, header->len);
    std::memcpy(record_.data() + 16, data, header->caplen);
    out.role = RecordRole::packet;
    out.raw = record_;
    // With nanosecond precision libpcap puts nanoseconds in tv_usec.
    out.time_us =
        int64_t{header->ts.tv_sec} * 1000000 + (nanoseconds_ ? header->ts.tv_usec / 1000 : header->ts.tv_usec);
    return SourceStatus::record;
  }

  std::span<const uint8_t> preamble() const override { return preamble_; }
  const char* extension() const override { return "pcap"; }

  SourceStatistics statistics() override {
    pcap_stat stats{};
    if (pcap_stats(pcap_, &stats) != 0) return {};
    // libpcap counts an interface's drops from /sys/class/net, which shows
    // this process's namespace, not the target's: not the target interface's.
    return {.kernel = KernelCounters{stats.ps_recv, stats.ps_drop, in_target_ ? 0 : stats.ps_ifdrop}};
  }

 private:
  void activate() {
    int status = pcap_activate(pcap_);
    if (status >= 0) return;
    std::string why = status == PCAP_ERROR ? pcap_geterr(pcap_) : pcap_statustostr(status);
    std::string message = fmt::format("{}: cannot capture: {}", interface_, why);
    pcap_close(pcap_);
    if (status == PCAP_ERROR_PERM_DENIED || status == PCAP_ERROR_PROMISC_PERM_DENIED)
      throw Error(ExitCode::start_no_permission, message);
    if (status == PCAP_ERROR_NO_SUCH_DEVICE) throw Error(ExitCode::start_interface_not_found, message);
    throw Error(ExitCode::start_capture_failed, message);
  }

  // With TPACKET_V3 the read timeout only retires a block that holds
  // packets: a blocking read on a silent link never returns, and a stop
  // would go unheard. So the source waits itself and reads without blocking.
  void make_pollable() {
    char error[PCAP_ERRBUF_SIZE] = "";
    if (pcap_setnonblock(pcap_, 1, error) == 0 && (fd_ = pcap_get_selectable_fd(pcap_)) >= 0) return;
    std::string message = fmt::format("{}: cannot poll the capture: {}", interface_, error);
    pcap_close(pcap_);
    throw Error(ExitCode::start_capture_failed, message);
  }

  void wait_for_packets() {
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&ready, 1, kReadTimeoutMs) < 0 && errno != EINTR)
      throw std::runtime_error(fmt::format("{}: cannot wait for packets: {}", interface_, std::strerror(errno)));
  }

  void set_filter(const std::string& filter) {
    bpf_program program{};
    if (pcap_compile(pcap_, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      std::string message = fmt::format("bad capture filter '{}': {}", filter, pcap_geterr(pcap_));
      pcap_close(pcap_);
      throw Error(ExitCode::start_invalid_params, message);
    }
    int status = pcap_setfilter(pcap_, &program);
    pcap_freecode(&program);
    if (status != 0) {
      std::string message = fmt::format("{}: cannot set filter: {}", interface_, pcap_geterr(pcap_));
      pcap_close(pcap_);
      throw Error(ExitCode::start_invalid_params, message);
    }
  }

  std::string interface_;
  bool in_target_;
  bool nanoseconds_ = false;
  pcap_t* pcap_ = nullptr;
  int fd_ = -1;
  std::vector<uint8_t> preamble_;
  std::vector<uint8_t> record_;
};

}  // namespace

std::unique_ptr<PacketSource> open_live_source(const LiveOptions& options, int netns_fd) {
  return std::make_unique<LiveSource>(options, netns_fd);
}

}  // namespace pktmask
