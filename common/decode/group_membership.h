#pragma once
// The addresses of IGMP (RFC 2236, 3376) and MLD (RFC 2710, 3810) messages,
// which share a shape: a group address in queries and older reports, a
// source list after it in IGMPv3 / MLDv2 queries, and group records (group
// address, sources, auxiliary data) in IGMPv3 / MLDv2 reports.

#include <cstddef>

#include "common/decode/layer.h"

namespace pktmask::decode {

struct MembershipFormat {
  AddressKind kind;
  size_t group;         // offset of the group address in a query or an older report
  size_t source_count;  // offset of a newer query's number of sources; the sources follow it
};
constexpr MembershipFormat kIgmpFormat{AddressKind::ipv4, 4, 10};
constexpr MembershipFormat kMldFormat{AddressKind::ipv6, 8, 26};

// The message at [at, end); false when the address layout is full.
bool add_query_addresses(const ByteReader& packet, Context& context, size_t at, size_t end,
                         const MembershipFormat& format);
bool add_report_addresses(const ByteReader& packet, Context& context, size_t at, size_t end, AddressKind kind);

}  // namespace pktmask::decode
