#pragma once
// A link type as tcpdump names it ("EN10MB", "LINUX_SLL2"), for the link
// types pktmask decodes; "LINKTYPE_<n>" for any other.

#include <cstdint>
#include <string>

namespace pktmask::report {

std::string link_type_name(uint32_t link_type);

}  // namespace pktmask::report
