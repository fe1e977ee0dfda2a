#include "common/policy.h"

#include <algorithm>
#include <span>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/fingerprint.h"

namespace pktmask {

bool TlsBodies::keeps(uint8_t content_type) const {
  switch (content_type) {
    case 20:
      return ccs;
    case 21:
      return alert;
    case 22:
      return handshake;
    case 24:
      return heartbeat;
    default:
      return false;
  }
}

bool PolicySettings::keeps_udp_port(uint16_t port) const {
  return std::binary_search(keep_udp.begin(), keep_udp.end(), port);
}

PolicySettings profile_settings(Profile profile) {
  PolicySettings settings;
  settings.profile = profile;
  switch (profile) {
    case Profile::default_:
      break;
    case Profile::tls_only:
      settings.metadata = MetadataMode::keep;
      settings.undecoded = UndecodedMode::keep;
      settings.scope = MaskScope::tcp;
      break;
    case Profile::strict:
      settings.handshake = HandshakeDetail::anonymous;
      settings.dtls = false;
      settings.quic = false;
      break;
  }
  return settings;
}

const char* to_string(Profile profile) {
  switch (profile) {
    case Profile::default_:
      return "default";
    case Profile::tls_only:
      return "tls-only";
    case Profile::strict:
      return "strict";
  }
  return "?";
}

const char* to_string(HandshakeDetail detail) {
  switch (detail) {
    case HandshakeDetail::full:
      return "full";
    case HandshakeDetail::anonymous:
      return "anonymous";
    case HandshakeDetail::headers:
      return "headers";
  }
  return "?";
}

const char* to_string(MetadataMode mode) { return mode == MetadataMode::scrub ? "scrub" : "keep"; }
const char* to_string(UndecodedMode mode) { return mode == UndecodedMode::zero ? "zero" : "keep"; }
const char* to_string(MaskScope scope) { return scope == MaskScope::all ? "all" : "tcp"; }

namespace {

std::string tls_list(const TlsBodies& tls) {
  std::vector<std::string> names;
  if (tls.handshake) names.emplace_back("handshake");
  if (tls.alert) names.emplace_back("alert");
  if (tls.ccs) names.emplace_back("ccs");
  if (tls.heartbeat) names.emplace_back("heartbeat");
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ","));
}

}  // namespace

std::string canonical_string(const PolicySettings& settings) {
  std::string text = fmt::format(
      "profile={} tls={} handshake={} starttls={} keep-udp={} metadata={} undecoded={} scope={} dtls={} quic={}",
      to_string(settings.profile), tls_list(settings.tls), to_string(settings.handshake),
      settings.starttls ? "on" : "off",
      settings.keep_udp.empty() ? "none" : fmt::format("{}", fmt::join(settings.keep_udp, ",")),
      to_string(settings.metadata), to_string(settings.undecoded), to_string(settings.scope),
      settings.dtls ? "on" : "off", settings.quic ? "on" : "off");
  if (settings.annotate) text += " annotate=on";
  return text;
}

std::string settings_hash(const PolicySettings& settings) {
  std::string text = canonical_string(settings);
  auto bytes = std::as_bytes(std::span(text));
  return fmt::format("{:016x}", fnv1a(kFnvOffset, {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}));
}

std::vector<std::pair<std::string, std::string>> setting_texts(const PolicySettings& settings) {
  std::vector<std::pair<std::string, std::string>> texts;
  std::string canonical = canonical_string(settings);
  for (size_t begin = 0; begin < canonical.size();) {
    size_t end = std::min(canonical.find(' ', begin), canonical.size());
    std::string_view token = std::string_view(canonical).substr(begin, end - begin);
    size_t equals = token.find('=');
    texts.emplace_back(token.substr(0, equals), token.substr(equals + 1));
    begin = end + 1;
  }
  return texts;
}

std::string describe(const PolicySettings& settings) {
  std::string text = fmt::format("profile {}", to_string(settings.profile));
  auto base = setting_texts(profile_settings(settings.profile));
  auto own = setting_texts(settings);
  for (const auto& setting : own)
    if (std::ranges::find(base, setting) == base.end()) text += fmt::format(", {}={}", setting.first, setting.second);
  return text;
}

}  // namespace pktmask
