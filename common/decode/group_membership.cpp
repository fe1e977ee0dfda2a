#include "common/decode/group_membership.h"

namespace pktmask::decode {

namespace {

constexpr size_t kRecordsCount = 6;  // a newer report's number of group records
constexpr size_t kRecords = 8;
constexpr size_t kRecordHeader = 4;  // record type, auxiliary data length, number of sources

// `count` addresses from `at`, as many as lie before `end`.
bool add_address_list(Context& context, size_t at, size_t count, size_t end, AddressKind kind) {
  const size_t size = address_size(kind);
  for (size_t i = 0; i < count && at + size <= end; ++i, at += size)
    if (!add_site(context, at, kind)) return false;
  return true;
}

}  // namespace

bool add_query_addresses(const ByteReader& packet, Context& context, size_t at, size_t end,
                         const MembershipFormat& format) {
  const size_t size = address_size(format.kind);
  if (at + format.group + size > end) return true;
  if (!add_site(context, at + format.group, format.kind)) return false;
  size_t count_at = at + format.source_count;
  if (count_at + 2 > end || !packet.has(count_at, 2)) return true;
  return add_address_list(context, count_at + 2, packet.be16(count_at), end, format.kind);
}

bool add_report_addresses(const ByteReader& packet, Context& context, size_t at, size_t end, AddressKind kind) {
  const size_t size = address_size(kind);
  if (at + kRecords > end || !packet.has(at + kRecordsCount, 2)) return true;
  size_t records = packet.be16(at + kRecordsCount);
  for (size_t record = at + kRecords; records > 0 && record + kRecordHeader + size <= end; --records) {
    if (!packet.has(record, kRecordHeader)) return true;
    size_t aux = size_t{packet.u8(record + 1)} * 4, sources = packet.be16(record + 2);
    if (!add_address_list(context, record + kRecordHeader, 1 + sources, end, kind)) return false;
    record += kRecordHeader + (1 + sources) * size + aux;
  }
  return true;
}

}  // namespace pktmask::decode
