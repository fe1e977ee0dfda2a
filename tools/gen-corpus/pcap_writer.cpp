#include "pcap_writer.h"

#include "byte_writer.h"

namespace gen_corpus {

namespace {

constexpr uint32_t magic_microsecond = 0xa1b2c3d4;
constexpr uint32_t magic_nanosecond = 0xa1b23c4d;
constexpr uint32_t magic_modified = 0xa1b2cd34;
constexpr uint64_t ns_per_second = 1'000'000'000;

uint32_t magic_of(pcap_layout::format format) {
  switch (format) {
    case pcap_layout::format::microsecond:
      return magic_microsecond;
    case pcap_layout::format::nanosecond:
      return magic_nanosecond;
    case pcap_layout::format::modified:
      return magic_modified;
  }
  return magic_microsecond;
}

}  // namespace

std::vector<uint8_t> write_pcap(const pcap_layout& layout, const std::vector<packet>& packets, packet_bytes which) {
  byte_writer w(layout.big_endian);
  w.u32(magic_of(layout.magic));
  w.u16(2);  // version 2.4
  w.u16(4);
  w.u32(0);  // thiszone
  w.u32(0);  // sigfigs
  w.u32(layout.snaplen);
  w.u32(layout.link_type);

  const bool nanoseconds = layout.magic == pcap_layout::format::nanosecond;
  for (size_t i = 0; i < packets.size(); ++i) {
    const packet& p = packets[i];
    const auto data = stored_bytes(p, which);
    const uint64_t fraction = p.ts_ns % ns_per_second;
    w.u32(static_cast<uint32_t>(p.ts_ns / ns_per_second));
    w.u32(static_cast<uint32_t>(nanoseconds ? fraction : fraction / 1000));
    w.u32(static_cast<uint32_t>(data.size()));
    w.u32(static_cast<uint32_t>(p.frame.size()));
    if (layout.magic == pcap_layout::format::modified) {
      w.u32(2);                  // ifindex
      w.u16(0x0800);             // protocol
      w.u8(i % 2 == 0 ? 0 : 4);  // pkt_type: to us / outgoing
      w.u8(0);                   // pad
    }
    w.bytes(data);
  }
  return w.take();
}

}  // namespace gen_corpus
