#include "report/report_html.h"

#include <fmt/format.h>

#include "report/connection_rows.h"
#include "report/markup.h"
#include "report/page_assets.h"
#include "report/report_text.h"
#include "report/timeline_svg.h"

namespace pktmask::report {

namespace {

// A list shows at most this many values in the page (the JSON has them all),
// so six full lists stay under a megabyte.
constexpr size_t kMaxIdentifiersShown = 1000;

std::string joined(const std::vector<std::string>& values, const char* separator) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out += separator;
    out += value;
  }
  return out;
}

std::string fact_row(const char* field, const char* name, const std::string& html) {
  return fmt::format("<tr data-field=\"{}\"><th>{}</th><td>{}</td></tr>", field, name, html);
}

std::string subject_text(const std::string& subject) {
  if (subject == "original") return "original: shows what these settings would keep";
  if (subject == "sanitized") return "sanitized output";
  return subject;
}

std::string time_span_html(const ReportHeader& h) {
  if (h.packets == 0) return "no packets";
  return fmt::format("{} to {} <span class=\"aside\">({})</span>", utc_time_text(h.first_time_us),
                     utc_time_text(h.last_time_us), duration_text(h.last_time_us - h.first_time_us));
}

std::string verdict_html(const std::string& verdict) {
  if (verdict.empty()) return "<span class=\"verdict verdict-none\">not run</span>";
  const char* kind = verdict == "pass" ? "pass" : verdict.starts_with("fail") ? "fail" : "none";
  return fmt::format("<span class=\"verdict verdict-{}\">{}</span>", kind, escape_markup(verdict));
}

std::string anonymization_html(const ReportHeader& h) {
  if (h.anonymize.empty()) return "off";
  std::string out = escape_markup(h.anonymize);
  if (!h.key_id.empty()) out += fmt::format(" <span class=\"aside\">key id {}</span>", escape_markup(h.key_id));
  return out;
}

std::string totals_html(const Count& totals) {
  return fmt::format("{} bytes kept, {} zeroed <span class=\"aside\">({} zeroed)</span>", grouped(totals.kept),
                     grouped(totals.zeroed), percent_text(totals.zeroed, totals.kept + totals.zeroed));
}

std::string card(const char* label, const std::string& value) {
  return fmt::format("<div class=\"card\"><div class=\"card-value\">{}</div><div class=\"card-label\">{}</div></div>",
                     value, label);
}

std::string header_html(const Report& report) {
  const ReportHeader& h = report.header;
  std::string out = fmt::format(
      "<header id=\"summary\"><h1>pktmask report <span class=\"file\">{}</span></h1>"
      "<p class=\"subject subject-{}\">{}</p>",
      escape_markup(h.file), h.subject == "sanitized" ? "sanitized" : "original",
      escape_markup(subject_text(h.subject)));
  out += "<div class=\"cards\">";
  out += card("packets", grouped(h.packets));
  out += card("connections", grouped(report.connections.size()));
  out += card("bytes zeroed", percent_text(h.totals.zeroed, h.totals.kept + h.totals.zeroed));
  out += card("verify", verdict_html(h.verdict));
  out += "</div><div class=\"facts\"><table id=\"run\">";
  out += fact_row("file", "File", escape_markup(h.file));
  out += fact_row("format", "Format", escape_markup(h.format));
  out += fact_row("link_types", "Link types", escape_markup(joined(h.link_types, ", ")));
  out += fact_row("packets", "Packets", grouped(h.packets));
  out += fact_row("bytes", "Bytes",
                  fmt::format("{} <span class=\"aside\">({})</span>", grouped(h.bytes),
                              byte_size_text(static_cast<double>(h.bytes))));
  out += fact_row("time_span", "Time span (UTC)", time_span_html(h));
  out +=
      fact_row("policy", "Policy", fmt::format("version {}, profile {}", h.policy_version, escape_markup(h.profile)));
  out += fact_row("anonymization", "Anonymization", anonymization_html(h));
  out += fact_row("pktmask_version", "pktmask", escape_markup(h.pktmask_version));
  out += fact_row("subject", "Subject", escape_markup(subject_text(h.subject)));
  if (!h.sanitized_by.empty()) out += fact_row("sanitized_by", "Sanitized by", escape_markup(h.sanitized_by));
  out += fact_row("verdict", "Verify", verdict_html(h.verdict));
  out += fact_row("totals", "Totals", totals_html(h.totals));
  out += "</table><table id=\"settings\"><caption>Settings</caption>";
  for (const auto& [name, value] : h.settings) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", escape_markup(name), escape_markup(value));
  }
  if (h.settings.empty()) out += "<tr><td>none recorded</td></tr>";
  return out + "</table></div></header>";
}

struct ListView {
  const char* key;
  const char* title;
  const char* unit;  // what a count counts, singular: "packet"
  const IdentifierList* list;
};

std::string identifier_list_html(const ListView& view) {
  const auto& items = view.list->items;
  std::string out = fmt::format("<div class=\"id-list\"><h3>{} <span class=\"n\">{}</span></h3>", view.title,
                                grouped(items.size() + view.list->more));
  if (items.empty() && view.list->more == 0) {
    return out + fmt::format("<ul data-list=\"{}\" class=\"empty\"><li class=\"none\">none</li></ul></div>", view.key);
  }
  out += fmt::format("<ul data-list=\"{}\">", view.key);
  const size_t shown = std::min(items.size(), kMaxIdentifiersShown);
  for (size_t i = 0; i < shown; ++i) {
    const Identifier& item = items[i];
    const std::string value = escape_markup(item.value);
    out += fmt::format(
        "<li data-value=\"{}\" data-count=\"{}\" data-first=\"{}\"><span class=\"v\">{}</span>"
        "<span class=\"c\">{} {}{}, first #{}</span></li>",
        value, item.count, item.first_packet, value, grouped(item.count), view.unit, item.count == 1 ? "" : "s",
        grouped(item.first_packet));
  }
  out += "</ul>";
  if (items.size() > shown) {
    out += fmt::format("<p class=\"more\">and {} more not shown on this page (the JSON report lists them)</p>",
                       grouped(items.size() - shown));
  }
  if (view.list->more > 0) {
    out += fmt::format("<p class=\"more\">and {} more distinct values, counted but not listed</p>",
                       grouped(view.list->more));
  }
  return out + "</div>";
}

std::string identifies_html(const StillIdentifies& ids) {
  const ListView views[] = {
      {"ip_addresses", "IP addresses", "packet", &ids.ip_addresses},
      {"mac_addresses", "MAC addresses", "packet", &ids.mac_addresses},
      {"server_names", "Server names (SNI)", "packet", &ids.server_names},
      {"certificate_names", "Certificate names", "packet", &ids.certificate_names},
      {"pcapng_metadata", "pcapng metadata", "block", &ids.pcapng_metadata},
      {"undecoded", "Undecoded packets", "packet", &ids.undecoded},
  };
  std::string out =
      "<section id=\"identifies\"><h2>What still identifies</h2>"
      "<p class=\"lead\">Values the output still holds, each with the number of packets it appears in and the "
      "first packet.</p><div class=\"id-grid\">";
  for (const ListView& view : views) out += identifier_list_html(view);
  return out + "</div></section>";
}

std::string connections_html(const Report& report) {
  const nlohmann::json data = connection_rows(report);
  const size_t rows = data["rows"].size();
  std::string out = "<section id=\"connections-section\"><h2>Connections</h2>";
  if (rows < report.connections.size()) {
    out += fmt::format(
        "<p id=\"rows-note\" class=\"note\">The table holds the {} busiest of {} connections (by records and "
        "packets); the JSON report lists all.</p>",
        grouped(rows), grouped(report.connections.size()));
  }
  out += fmt::format(
      "<div class=\"controls\"><input id=\"filter\" type=\"search\" autocomplete=\"off\" aria-label=\"filter\" "
      "placeholder=\"filter: text, or column:text (sni:example, bytes_zeroed:&gt;0)\">"
      "<span id=\"row-count\">{} connections</span><span class=\"pager\">"
      "<button id=\"prev\" type=\"button\">&#8249; prev</button><span id=\"page-info\"></span>"
      "<button id=\"next\" type=\"button\">next &#8250;</button></span></div>"
      "<div class=\"table-wrap\"><table id=\"connections\"><thead><tr>",
      rows);
  for (const Column& column : table_columns()) {
    out += fmt::format("<th data-key=\"{}\" title=\"{}\"{}>{}</th>", column.key, escape_markup(column.title),
                       column.numeric ? " class=\"num\"" : "", escape_markup(column.label));
  }
  out +=
      "</tr></thead><tbody></tbody></table></div>"
      "<noscript><p class=\"note\">The connection table is built by the page's script; the JSON report lists "
      "every connection.</p></noscript>";
  return out + "<script type=\"application/json\" id=\"report-data\">" + script_json(data) + "</script></section>";
}

}  // namespace

std::string report_html(const Report& report) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>pktmask report: {}</title><style>\n{}</style></head><body>\n",
      escape_markup(report.header.file), report_css());
  out += header_html(report);
  out += "\n<main>";
  out += identifies_html(report.identifies);
  out += "\n";
  out += connections_html(report);
  out += "\n<section id=\"timeline-section\"><h2>Timeline</h2>";
  out += fmt::format("<p id=\"timeline-caption\">{}</p><div class=\"chart-wrap tall\">",
                     escape_markup(timeline_caption(report)));
  out += timeline_svg(report);
  out +=
      "</div></section>\n<section id=\"bytes-section\"><h2>Bytes kept and zeroed over time</h2><div "
      "class=\"chart-wrap\">";
  out += bytes_chart_svg(report);
  out += fmt::format(
      "</div></section></main>\n<footer>Written by pktmask {}. This page is one file and loads nothing: no network, "
      "no other file.</footer>\n<script>\n{}</script></body></html>\n",
      escape_markup(report.header.pktmask_version), report_js());
  return out;
}

}  // namespace pktmask::report
