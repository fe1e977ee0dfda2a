// Recording address sites and checksums: a couple of stores each, as every
// decoded packet pays for them whether or not it is anonymized.
#include "common/decode/layer.h"

namespace pktmask::decode {

bool add_site(Context& context, size_t offset, AddressKind kind, uint64_t* bit) {
  if (bit) *bit = 0;
  AddressLayout& addresses = context.result.addresses;
  if (offset + address_size(kind) > context.captured) {
    if (offset < context.captured && !addresses.cut) {
      addresses.cut = true;
      addresses.cut_offset = static_cast<uint32_t>(offset);
    }
    return true;
  }
  if (addresses.site_count == kMaxAddressSites) return false;
  if (bit) *bit = uint64_t{1} << addresses.site_count;
  addresses.sites[addresses.site_count++] = {static_cast<uint32_t>(offset), kind};
  return true;
}

bool add_checksum(Context& context, size_t field_offset, size_t start, size_t length, uint64_t pseudo_sites,
                  bool zero_means_absent) {
  AddressLayout& addresses = context.result.addresses;
  if (addresses.checksum_count == kMaxAddressChecksums) return false;
  addresses.checksums[addresses.checksum_count++] = {static_cast<uint32_t>(field_offset), static_cast<uint32_t>(start),
                                                     static_cast<uint32_t>(length), pseudo_sites, zero_means_absent};
  return true;
}

// The header and all after it are undecoded, so that an anonymizing masker
// zeroes the addresses it could not record. The sites and checksum fields the
// header did record lie in those zeroed bytes and are forgotten: rewriting
// them would fill zeroed bytes again. They are the last recorded, as layers
// record in the order they follow each other.
Step address_overflow(Context& context, size_t header_start) {
  AddressLayout& addresses = context.result.addresses;
  addresses.overflow = true;
  while (addresses.site_count > 0 && addresses.sites[addresses.site_count - 1].offset >= header_start)
    --addresses.site_count;
  while (addresses.checksum_count > 0 && addresses.checksums[addresses.checksum_count - 1].field_offset >= header_start)
    --addresses.checksum_count;
  if (header_start < context.result.layout.header_end) context.result.layout.header_end = header_start;
  return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::too_deep);
}

}  // namespace pktmask::decode
