// `pktmask anon`: the key owner's look-up of the address mapping, both ways,
// and the export of one capture's mapping (docs/usage.md, "ADDRESS ANONYMIZATION").
#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.h"
#include "cli/path_clash.h"
#include "common/anon/address_anonymizer.h"
#include "common/anon/address_text.h"
#include "common/byte_reader.h"
#include "common/errors.h"
#include "common/output_file.h"
#include "common/packet_pipeline.h"
#include "config/anon_config.h"

namespace pktmask::cli {

namespace {

// The anonymization options, spelled as the masking commands spell them and
// read by the same setters (config/anon_config.h), but defaulting to ip,mac:
// whoever maps addresses by hand wants them mapped.
struct AnonArguments {
  std::string anonymize = "ip,mac";
  std::vector<std::string> preserve = {"special"};
  std::vector<std::string> keep;
  std::string key;

  AnonSettings resolve() const {
    AnonSettings settings;
    set(settings, "anonymize", anonymize);
    set(settings, "anon-preserve", fmt::format("{}", fmt::join(preserve, ",")));
    for (const auto& text : keep) set(settings, "anon-keep", text);
    settings.key_path = key;
    return settings;
  }

 private:
  static void set(AnonSettings& settings, std::string_view key, std::string_view text) {
    if (std::string problem = set_anon_setting(settings, key, text); !problem.empty())
      throw Error(ExitCode::usage, fmt::format("--{}: {}", key, problem));
  }
};

struct AnonOptions {
  AnonArguments anon;
  bool reverse = false;
  std::vector<std::string> addresses;
  std::string export_map;
  std::string output;
};

std::string map_one(AddressAnonymizer& anonymizer, const std::string& text, bool reverse) {
  auto parsed = parse_address(text);
  if (!parsed) throw Error(ExitCode::usage, fmt::format("not an IPv4, IPv6 or MAC address: '{}'", text));
  uint8_t result[16] = {};
  if (reverse)
    anonymizer.deanonymize(parsed->kind, parsed->bytes.data(), result);
  else
    anonymizer.anonymize(parsed->kind, parsed->bytes.data(), result);
  return fmt::format("{} {}\n", address_to_string(parsed->kind, parsed->bytes.data()),
                     address_to_string(parsed->kind, result));
}

void map_addresses(AddressAnonymizer& anonymizer, const AnonOptions& options) {
  if (!options.addresses.empty()) {
    for (const auto& text : options.addresses) fmt::print("{}", map_one(anonymizer, text, options.reverse));
    return;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    auto last = line.find_last_not_of(" \t\r");
    fmt::print("{}", map_one(anonymizer, line.substr(first, last - first + 1), options.reverse));
  }
  std::fflush(stdout);
}

// Every distinct address of the capture's address sites, in order of first
// appearance, with its anonymized form.
void export_map(AddressAnonymizer& anonymizer, const AnonOptions& options) {
  check_paths({{options.export_map, "--export-map"}, {options.anon.key, "--key"}}, {{options.output, "-o"}});
  fmt::print(stderr,
             "pktmask: warning: {} maps anonymized addresses back to the originals: keep it as secret as the key\n",
             options.output);
  OutputFile out(options.output, true);
  out.write("kind,original,anonymized\n");
  std::set<std::pair<AddressKind, std::array<uint8_t, 16>>> seen;
  PacketPipeline pipeline(CaptureInput(options.export_map));
  while (pipeline.next()) {
    const DecodedRecord& current = pipeline.current();
    if (!current.record.has_packet()) continue;
    ByteReader packet(current.record.packet.data);
    const AddressLayout& layout = current.decoded.addresses;
    for (size_t i = 0; i < layout.site_count; ++i) {
      AddressKind kind = layout.sites[i].kind;
      std::array<uint8_t, 16> original{};
      if (!packet.copy(layout.sites[i].offset, address_size(kind), original.data())) continue;
      if (!seen.insert({kind, original}).second) continue;
      uint8_t anonymized[16] = {};
      anonymizer.anonymize(kind, original.data(), anonymized);
      out.write(fmt::format("{},{},{}\n", kind_name(kind), address_to_string(kind, original.data()),
                            address_to_string(kind, anonymized)));
    }
  }
  out.commit();
}

void run_anon(const AnonOptions& options) {
  AnonSettings settings = options.anon.resolve();
  AddressAnonymizer anonymizer(load_key(settings.key_path), settings);
  if (options.export_map.empty())
    map_addresses(anonymizer, options);
  else
    export_map(anonymizer, options);
}

}  // namespace

void add_anon(CLI::App& app, Action& action) {
  auto options = std::make_shared<AnonOptions>();
  CLI::App* command = app.add_subcommand("anon", "Look up the address mapping of a key (for its owner), either way");
  command->footer(
      "Prints one line per address: the address as given, a space, and what it\n"
      "maps to (with --reverse: the original it came from). Addresses are IPv4,\n"
      "IPv6, or MACs (aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff), as arguments or one\n"
      "per line on stdin when none are given. The mapping options must be those\n"
      "the capture was sanitized with. The key must exist: anon never creates one.\n"
      "A bad address is an error (exit 2); a missing or unsafe key exits 11.\n\n"
      "--export-map CAPTURE -o FILE.csv writes 'kind,original,anonymized' for every\n"
      "distinct address in CAPTURE's headers (mode 0600). That file undoes the\n"
      "anonymization: keep it as secret as the key.\n\n"
      "Examples:\n"
      "  pktmask anon --key site.key 192.0.2.7 2001:db8::1 00:1b:21:3a:4b:5c\n"
      "  pktmask anon --key site.key --reverse < addresses.txt\n"
      "  pktmask anon --key site.key --export-map trace.pcapng -o trace.map.csv");
  command->add_option("addresses", options->addresses, "Addresses to map (none: read them from stdin)");
  command->add_option("--key", options->anon.key, "The anonymization key (32 bytes, mode 0600)")->required();
  command->add_flag("--reverse", options->reverse, "Map anonymized addresses back to the originals");
  command->add_option("--anonymize", options->anon.anonymize, "Kinds of address mapped: ip, mac, ip,mac or none")
      ->capture_default_str();
  command
      ->add_option("--anon-preserve", options->anon.preserve,
                   "What stays recognisable: special, class, oui (comma-separated) or none")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->capture_default_str();
  command->add_option("--anon-keep", options->anon.keep, "Leave addresses in PREFIX unchanged (repeatable)")
      ->allow_extra_args(false);
  auto* export_option = command->add_option("--export-map", options->export_map,
                                            "Write the mapping of every address in this capture as CSV to -o");
  auto* output_option = command->add_option("-o,--output", options->output, "The CSV file --export-map writes");
  export_option->needs(output_option)->excludes("addresses")->excludes("--reverse");
  output_option->needs(export_option);
  command->callback([options, &action] { action = [options] { run_anon(*options); }; });
}

}  // namespace pktmask::cli
