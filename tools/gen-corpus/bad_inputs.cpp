#include "bad_inputs.h"

#include <stdexcept>

#include "capture.h"
#include "corpus_case.h"
#include "pcap_writer.h"
#include "pcapng_writer.h"
#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

constexpr size_t pcap_file_header = 24;
constexpr size_t pcap_record_header = 16;

// A few well-formed packets: TCP handshake and a ClientHello.
void add_small_exchange(capture& cap) {
  rng r = rng::for_name("bad_inputs");
  tcp_connection conn(cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  conn.handshake();
  conn.stream(side::client).add_record(content_type::handshake, tls10, client_hello(r, "bad.example.com", false));
  flight(conn, side::client);
}

std::vector<uint8_t> valid_pcap() {
  capture cap{pcap_layout{}};
  add_small_exchange(cap);
  return write_pcap(std::get<pcap_layout>(cap.layout()), cap.packets(), packet_bytes::input);
}

std::vector<uint8_t> valid_pcapng() {
  capture cap;
  cap.begin_section(false);
  cap.add_interface({linktype::ethernet, 0, std::nullopt, 0, "eth0"});
  add_small_exchange(cap);
  return write_pcapng(std::get<pcapng_layout>(cap.layout()), cap.packets(), packet_bytes::input);
}

uint32_t get_le32(const std::vector<uint8_t>& b, size_t at) {
  return b.at(at) | b.at(at + 1) << 8 | b.at(at + 2) << 16 | static_cast<uint32_t>(b.at(at + 3)) << 24;
}

void put_le32(std::vector<uint8_t>& b, size_t at, uint32_t value) {
  for (size_t i = 0; i < 4; ++i) {
    b.at(at + i) = static_cast<uint8_t>(value >> (8 * i));
  }
}

// Start offsets of the blocks of a little-endian pcapng file.
std::vector<size_t> block_starts(const std::vector<uint8_t>& file) {
  std::vector<size_t> starts;
  for (size_t at = 0; at < file.size(); at += get_le32(file, at + 4)) {
    starts.push_back(at);
  }
  return starts;
}

std::vector<uint8_t> cut(std::vector<uint8_t> bytes, size_t size) {
  bytes.resize(size);
  return bytes;
}

std::vector<uint8_t> text_bytes(std::string_view text) { return {text.begin(), text.end()}; }

}  // namespace

std::vector<bad_input> bad_inputs() {
  const auto pcap = valid_pcap();
  const auto ng = valid_pcapng();
  const auto blocks = block_starts(ng);
  if (blocks.size() < 4) {
    throw std::logic_error("bad_inputs: too few pcapng blocks to corrupt");
  }
  const size_t epb = blocks[2];  // after SHB and IDB
  const uint32_t epb_length = get_le32(ng, epb + 4);
  const size_t first_record_data = pcap_file_header + pcap_record_header;
  const uint32_t first_caplen = get_le32(pcap, pcap_file_header + 8);

  std::vector<bad_input> out;
  out.push_back({"empty", "empty.pcap", "zero-byte file", {}});
  out.push_back({"not_a_capture", "not_a_capture.pcap", "a text file, no capture magic",
                 text_bytes("This is not a capture file.\nJust some text on two lines.\n")});
  out.push_back({"truncated_pcap_header", "truncated_pcap_header.pcap", "pcap file header cut after 13 of 24 bytes",
                 cut(pcap, 13)});
  out.push_back({"truncated_record_header", "truncated_record_header.pcap",
                 "pcap file ends 9 bytes into the first record header", cut(pcap, pcap_file_header + 9)});
  out.push_back({"truncated_record_data", "truncated_record_data.pcap",
                 "pcap file ends in the middle of the first record's data",
                 cut(pcap, first_record_data + first_caplen / 2)});
  {
    auto bytes = pcap;
    put_le32(bytes, pcap_file_header + 8, 0x7fffffff);
    out.push_back({"absurd_incl_len", "absurd_incl_len.pcap", "first record's incl_len is 0x7fffffff", bytes});
  }
  {
    auto bytes = pcap;
    const size_t second = first_record_data + first_caplen;
    put_le32(bytes, second + 8, 60000);  // below the snaplen, beyond the file
    out.push_back({"incl_len_beyond_file", "incl_len_beyond_file.pcap",
                   "second record's incl_len (60000) runs past the end of the file", bytes});
  }
  out.push_back({"pcapng_truncated_block", "pcapng_truncated_block.pcapng",
                 "pcapng file ends in the middle of an Enhanced Packet Block", cut(ng, epb + epb_length / 2)});
  {
    auto bytes = ng;
    put_le32(bytes, epb + epb_length - 4, epb_length + 4);
    out.push_back({"pcapng_length_mismatch", "pcapng_length_mismatch.pcapng",
                   "first EPB: trailing block total length differs from the leading one", bytes});
  }
  {
    auto bytes = ng;
    put_le32(bytes, epb + 4, epb_length + 2);
    out.push_back({"pcapng_length_not_multiple_of_4", "pcapng_length_not_multiple_of_4.pcapng",
                   "first EPB: block total length is not a multiple of 4", bytes});
  }
  {
    auto bytes = ng;
    put_le32(bytes, epb + 4, 8);
    out.push_back({"pcapng_length_too_small", "pcapng_length_too_small.pcapng",
                   "first EPB: block total length 8, below the 12-byte minimum", bytes});
  }
  {
    auto bytes = ng;
    put_le32(bytes, 8, 0x12345678);
    out.push_back({"pcapng_bad_byte_order_magic", "pcapng_bad_byte_order_magic.pcapng",
                   "section header's byte-order magic is 0x12345678", bytes});
  }
  out.push_back({"pcapng_no_section_header", "pcapng_no_section_header.pcapng",
                 "pcapng blocks without a leading Section Header Block",
                 std::vector<uint8_t>(ng.begin() + static_cast<ptrdiff_t>(blocks[1]), ng.end())});
  {
    auto bytes = ng;
    put_le32(bytes, epb + 8, 7);
    out.push_back({"pcapng_undefined_interface", "pcapng_undefined_interface.pcapng",
                   "first EPB names interface 7; the section describes only interface 0", bytes});
  }
  {
    auto bytes = ng;
    put_le32(bytes, epb + 20, epb_length);
    out.push_back({"pcapng_caplen_beyond_block", "pcapng_caplen_beyond_block.pcapng",
                   "first EPB's captured length is larger than the block", bytes});
  }
  return out;
}

}  // namespace gen_corpus
