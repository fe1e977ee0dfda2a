#pragma once
// Names of sanitized segments, from the user's --name template, and the glob
// that finds them again for retention.
//
// Placeholders: {index} (segment number, 1-based, zero-padded to 6 digits so
// names sort in capture order), {time} (UTC time of the segment's first
// packet, YYYYmmddTHHMMSSZ), {id} (capture id), {ext} ("pcap" or "pcapng").

#include <cstdint>
#include <string>

namespace pktmask {

// Throws Error(usage, "--name: ...") for an unknown or unclosed placeholder
// or a '/' (segments are always written directly into the output directory).
void check_name_template(const std::string& tmpl);

// `time_us` is microseconds since the epoch.
std::string segment_name(const std::string& tmpl, uint64_t index, int64_t time_us, const std::string& id,
                         const std::string& ext);

// An fnmatch(3) glob matching every name the template can produce, with or
// without a compression suffix: placeholders become '*', {ext} "pcap*", a
// trailing '*' is added unless the glob already ends with one, and literal
// glob metacharacters are escaped.
std::string segment_glob(const std::string& tmpl);

// The name of an archive of segments: the first segment's name, without
// its ".pcap"/".pcapng" when the template ends in ".{ext}", plus `suffix`
// (".tar.gz", ".zip").
std::string archive_name(const std::string& tmpl, const std::string& first_segment, const std::string& suffix);

// An fnmatch(3) glob matching every archive name of the template with `suffix`.
std::string archive_glob(const std::string& tmpl, const std::string& suffix);

}  // namespace pktmask
