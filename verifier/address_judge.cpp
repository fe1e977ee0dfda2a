#include "verifier/address_judge.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/byte_reader.h"
#include "common/checksum.h"
#include "verifier/holes.h"

namespace pktmask::verify {

namespace {

// The ones'-complement sum of the sites whose bits are set in `sites`: their
// share of a pseudo-header.
uint32_t pseudo_address_sum(const AddressLayout& layout, uint64_t sites, std::span<const uint8_t> packet) {
  ByteReader reader(packet);
  uint32_t sum = 0;
  for (size_t i = 0; i < layout.site_count; ++i) {
    const AddressSite& site = layout.sites[i];
    if (!((sites >> i) & 1) || !reader.has(site.offset, address_size(site.kind))) continue;
    sum = ones_complement_sum(packet.subspan(site.offset, address_size(site.kind)), sum);
  }
  return sum;
}

// The pseudo-header sum `original_sum` made over the original's addresses,
// remade over the output's: the rest of it (protocol, length) is the same.
uint32_t output_pseudo_sum(uint32_t original_sum, const AddressLayout& layout, uint64_t sites,
                           std::span<const uint8_t> original, std::span<const uint8_t> output) {
  return original_sum + (0xffff - pseudo_address_sum(layout, sites, original)) +
         pseudo_address_sum(layout, sites, output);
}

bool checked(std::span<const ChecksumSpan> spans, uint32_t field_offset) {
  return std::any_of(spans.begin(), spans.end(),
                     [field_offset](const ChecksumSpan& span) { return span.field_offset == field_offset; });
}

}  // namespace

AddressJudge::AddressJudge(const AnonSetup& anon, const OriginalAddresses& originals, KeptPayloadAddresses kept_payload)
    : originals_(originals), kept_payload_(kept_payload) {
  if (anon.key) anonymizer_.emplace(*anon.key, anon.settings);
}

void AddressJudge::add_holes(const AddressLayout& layout, Holes& holes) const {
  for (size_t i = 0; i < layout.site_count; ++i)
    holes.add({layout.sites[i].offset, layout.sites[i].offset + address_size(layout.sites[i].kind)});
  for (size_t i = 0; i < layout.checksum_count; ++i)
    holes.add({layout.checksums[i].field_offset, layout.checksums[i].field_offset + 2});
  // The captured part of an address the capture cuts: fewer bytes than any address.
  if (layout.cut) holes.add({layout.cut_offset, layout.cut_offset + address_size(AddressKind::ipv6)});
}

ChecksumSpan AddressJudge::for_output(const ChecksumSpan& span, const AddressLayout& layout,
                                      std::span<const uint8_t> original, std::span<const uint8_t> output) const {
  ChecksumSpan remade = span;
  for (size_t i = 0; i < layout.checksum_count; ++i) {
    const AddressChecksum& checksum = layout.checksums[i];
    if (checksum.field_offset == span.field_offset && checksum.pseudo_sites != 0)
      remade.pseudo_header_sum =
          output_pseudo_sum(span.pseudo_header_sum, layout, checksum.pseudo_sites, original, output);
  }
  return remade;
}

std::string AddressJudge::header_problem(const DecodedPacket& decoded, std::span<const uint8_t> original,
                                         std::span<const uint8_t> output,
                                         std::span<const ChecksumSpan> checked_elsewhere) {
  const AddressLayout& layout = decoded.addresses;
  if (anonymizer_) {
    ByteReader was(original), now(output);
    std::array<uint8_t, 16> address{}, expected{}, found{};
    for (size_t i = 0; i < layout.site_count; ++i) {
      const AddressSite& site = layout.sites[i];
      size_t size = address_size(site.kind);
      if (!was.copy(site.offset, size, address.data()) || !now.copy(site.offset, size, found.data())) continue;
      anonymizer_->anonymize(site.kind, address.data(), expected.data());
      if (!std::equal(expected.begin(), expected.begin() + static_cast<ptrdiff_t>(size), found.begin()))
        return fmt::format("address at byte {} is {}, but the key maps the original {} to {}", site.offset,
                           address_text(site.kind, found.data()), address_text(site.kind, address.data()),
                           address_text(site.kind, expected.data()));
    }
  }
  for (size_t i = 0; i < layout.checksum_count; ++i) {
    const AddressChecksum& checksum = layout.checksums[i];
    if (checked(checked_elsewhere, checksum.field_offset)) continue;
    // One that covers bytes past the headers (a quoted UDP header's, over the
    // quoted payload) covers bytes masking zeroes and nobody recomputes: the
    // masker follows its addresses only, so it need not verify.
    if (checksum.start + size_t{checksum.length} > decoded.layout.header_end) continue;
    if (std::string problem = checksum_problem(checksum, layout, original, output); !problem.empty()) return problem;
  }
  return "";
}

// A checksum the decoder knows only from the address layout (IPv4 headers,
// quotes, fragments, IGMP) must verify where it did. Its pseudo-header, if
// it has one, is the TCP/UDP/ICMPv6 one: its addresses, its protocol (UDP
// where zero means absent, otherwise TCP or ICMPv6: each is tried) and the
// covered length.
std::string AddressJudge::checksum_problem(const AddressChecksum& checksum, const AddressLayout& layout,
                                           std::span<const uint8_t> original, std::span<const uint8_t> output) const {
  ChecksumSpan was{checksum.field_offset, checksum.start, checksum.length, 0, checksum.zero_means_absent};
  ChecksumSpan now = was;
  static constexpr std::array<uint32_t, 1> kNone = {0}, kUdp = {17};
  static constexpr std::array<uint32_t, 2> kTcpOrIcmpv6 = {6, 58};
  std::span<const uint32_t> protocols = checksum.pseudo_sites == 0   ? std::span<const uint32_t>(kNone)
                                        : checksum.zero_means_absent ? std::span<const uint32_t>(kUdp)
                                                                     : std::span<const uint32_t>(kTcpOrIcmpv6);
  for (uint32_t protocol : protocols) {
    if (checksum.pseudo_sites != 0) {
      uint32_t rest = protocol + (checksum.length & 0xffff) + (checksum.length >> 16);
      was.pseudo_header_sum = pseudo_address_sum(layout, checksum.pseudo_sites, original) + rest;
      now.pseudo_header_sum = pseudo_address_sum(layout, checksum.pseudo_sites, output) + rest;
    }
    if (checksum_ok(original, was) && !checksum_ok(output, now))
      return fmt::format("checksum at byte {} verified in the original but not in the output", checksum.field_offset);
  }
  return "";
}

const std::vector<AddressHit>& AddressJudge::leftovers(const AddressLayout& layout, std::span<const uint8_t> output) {
  hits_.clear();
  originals_.scan(output, hits_);
  if (anonymizer_)
    std::erase_if(hits_, [&layout](const AddressHit& hit) {
      return std::any_of(layout.sites, layout.sites + layout.site_count, [&hit](const AddressSite& site) {
        return site.offset == hit.offset && site.kind == hit.kind;
      });
    });
  return hits_;
}

}  // namespace pktmask::verify
