// pktmask-gen-corpus OUTDIR [--verbose]
//
// Writes the deterministic test corpus: for every case NAME the input
// capture and the expected sanitized capture, a manifest, and malformed
// inputs under OUTDIR/bad/. See README.md for the conventions the oracle
// assumes where masking-policy.md leaves a choice.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "bad_inputs.h"
#include "corpus_case.h"
#include "expected_mask.h"
#include "pcap_writer.h"
#include "pcapng_writer.h"

namespace fs = std::filesystem;
using namespace gen_corpus;

namespace {

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    throw std::runtime_error("cannot write " + path.string());
  }
}

std::vector<uint8_t> capture_file(const capture& cap, packet_bytes which) {
  if (const auto* pcap = std::get_if<pcap_layout>(&cap.layout())) {
    return write_pcap(*pcap, cap.packets(), which);
  }
  return write_pcapng(std::get<pcapng_layout>(cap.layout()), cap.packets(), which);
}

std::vector<corpus_case> all_cases() {
  std::vector<corpus_case> cases;
  for (auto group :
       {tls_record_cases, tcp_stream_cases, link_layer_cases, ip_layer_cases, file_format_cases, tunnel_cases}) {
    for (auto& c : group()) {
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

void print_report(const corpus_case& c, const std::vector<stream_report>& reports) {
  fmt::print("{} ({} packets)\n", c.name, c.cap.packets().size());
  for (const auto& s : reports) {
    fmt::print("  stream {:3}: {} start {:6} planted {:3} walked {:3} walk ends at {}\n", s.stream_id,
               s.syn_seen ? "SYN   " : "no SYN", s.start, s.planted_headers, s.walked_records, s.walk_end);
  }
}

int run(const fs::path& out_dir, bool verbose) {
  fs::create_directories(out_dir);
  std::ofstream manifest(out_dir / "manifest.tsv", std::ios::trunc);
  std::set<std::string> names;
  size_t total_bytes = 0;

  auto cases = all_cases();
  for (auto& c : cases) {
    if (!names.insert(c.name).second || c.description.find('\t') != std::string::npos) {
      throw std::logic_error("duplicate name or tab in description: " + c.name);
    }
    const auto reports = compute_expected(c.cap);
    if (verbose) {
      print_report(c, reports);
    }
    const std::string input = c.name + c.cap.extension();
    const std::string expected = c.name + ".expected" + c.cap.extension();
    const auto input_bytes = capture_file(c.cap, packet_bytes::input);
    const auto expected_bytes = capture_file(c.cap, packet_bytes::expected);
    write_file(out_dir / input, input_bytes);
    write_file(out_dir / expected, expected_bytes);
    total_bytes += input_bytes.size() + expected_bytes.size();
    manifest << c.name << '\t' << input << '\t' << expected << '\t' << c.description << '\n';
  }

  const fs::path bad_dir = out_dir / "bad";
  fs::create_directories(bad_dir);
  std::ofstream bad_manifest(bad_dir / "manifest.tsv", std::ios::trunc);
  const auto bad_files = bad_inputs();
  for (const auto& bad : bad_files) {
    write_file(bad_dir / bad.file, bad.bytes);
    total_bytes += bad.bytes.size();
    bad_manifest << bad.name << '\t' << bad.file << '\t' << bad.what_is_wrong << '\n';
  }

  if (!manifest || !bad_manifest) {
    throw std::runtime_error("cannot write the manifests");
  }
  fmt::print("{} cases, {} bad inputs, {} bytes in {}\n", cases.size(), bad_files.size(), total_bytes,
             out_dir.string());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool verbose = std::erase(args, "--verbose") > 0;
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: pktmask-gen-corpus OUTDIR [--verbose]\n");
    return 2;
  }
  try {
    return run(args[0], verbose);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pktmask-gen-corpus: %s\n", e.what());
    return 1;
  }
}
