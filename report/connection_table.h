#pragma once
// The report's connections (report/report_model.h, Connection): one row per
// TCP connection and per UDP flow, in order of first packet. TCP directions
// are the flow tracker's (key, generation); the two directions of a
// connection are paired by their reversed keys, and a new generation of a
// direction whose connection already has both starts a new row. Records,
// walk verdicts and timeline marks come from the KeepRuleSet the masker
// applied; session details from the output's bytes (report/tls_details.h).

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/anon/address_anonymizer.h"
#include "common/anon/anon_setup.h"
#include "common/flow_key.h"
#include "common/keep_rules.h"
#include "masker/mask_observer.h"
#include "report/identifier_tally.h"
#include "report/report_model.h"
#include "report/tls_stream_feed.h"

namespace pktmask::report {

class ConnectionTable {
 public:
  // `rules` must outlive the table.
  ConnectionTable(const KeepRuleSet& rules, const AnonSetup& anon);

  // A packet as masked, with what of it was kept and zeroed: counted in its
  // TCP connection or UDP flow, if it belongs to one.
  void packet(const MaskedRecord& masked, const Count& bytes);
  // The rows, endpoints as the output holds them.
  std::vector<Connection> take();
  // The server and certificate names the sessions showed, each first seen in
  // the packet that completed its message.
  IdentifierList take_server_names() { return server_names_.take(); }
  IdentifierList take_certificate_names() { return certificate_names_.take(); }

 private:
  struct DirectionKey {
    FlowKey key;
    uint32_t generation;
    bool operator==(const DirectionKey&) const = default;
  };
  struct DirectionKeyHash {
    size_t operator()(const DirectionKey& key) const {
      return FlowKeyHash{}(key.key) ^ (uint64_t{key.generation} * 0x9e3779b97f4a7c15ULL);
    }
  };
  // One direction of a TCP connection.
  struct Side {
    uint32_t row = 0;
    uint8_t index = 0;  // 0: the connection's first sender
    const FlowRules* rules = nullptr;
    size_t next_rule = 0;  // where the last segment's record search ended
    uint64_t highest_end = 0;
    bool data_seen = false;
    bool feed_started = false;
    std::optional<TlsStreamFeed> feed;
  };
  struct Row {
    Connection connection;
    FlowKey key;                  // its first sender's
    int64_t sides[2] = {-1, -1};  // TCP: Side indexes
    uint8_t client = 0;           // which side is the client
    bool client_by_syn = false;   // decided by a SYN without ACK
    uint32_t datagrams_read = 0;  // UDP: payloads given to read_datagram
  };

  void tcp(const MaskedRecord& masked, const Count& bytes);
  void udp(const MaskedRecord& masked, const Count& bytes);
  Side& side_of(const MaskedRecord& masked);
  Side& add_side(const FlowKey& key, uint32_t row, uint8_t index, const FlowRules* rules);
  Row& new_row(Transport transport, const FlowKey& key, const MaskedRecord& masked);
  void count(Row& row, const MaskedRecord& masked, const Count& bytes);
  void mark(Row& row, int64_t time_us, MarkKind kind, uint8_t side);
  void record_marks(Side& side, Row& row, uint64_t payload_start, uint32_t length, int64_t time_us);
  void finish(Row& row);
  struct NameCounts {
    size_t server_names;
    size_t subjects;
    size_t issuers;
  };
  static NameCounts name_counts(const SecureSession& session);
  void tally_new_names(const SecureSession& session, const NameCounts& before, uint64_t packet);
  std::string endpoint(uint8_t family, const std::array<uint8_t, 16>& address, uint16_t port);

  std::unordered_map<DirectionKey, const FlowRules*, DirectionKeyHash> rules_;
  std::optional<AddressAnonymizer> anonymizer_;
  std::vector<Row> rows_;
  std::vector<Side> sides_;
  std::vector<int64_t> side_by_direction_;                          // flow tracker direction -> side
  std::unordered_map<FlowKey, uint32_t, FlowKeyHash> latest_side_;  // key -> its newest side
  std::unordered_map<FlowKey, uint32_t, FlowKeyHash> udp_rows_;     // first sender's key -> row
  IdentifierTally server_names_;
  IdentifierTally certificate_names_;
};

}  // namespace pktmask::report
