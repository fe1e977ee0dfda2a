#!/usr/bin/env python3
"""report_dom.py: judges pktmask's HTML report in a real browser (headless
Debian chromium), against values tshark reads from the captures, never
against pktmask's own code (tests/e2e/report_browser.sh runs it).

  report_dom.py table HTML JSON CAPTURE WORK      row count, sorting, filtering
  report_dom.py identifies HTML SANITIZED WORK [--absent VALUE...]
                                                  "What still identifies" = tshark's view
                                                  of the sanitized output; no VALUE in the page
  report_dom.py page HTML WORK                    screenshot sanity, timeline, no request
                                                  leaves the page (net log), no URL in the HTML
  report_dom.py many HTML WORK N                  a report of N connections: size, subset
                                                  caption, paging
  report_dom.py netlog-selftest WORK              the net log check catches a page that leaks

The page contract (what the renderer was told): the rows are <tr data-id>;
id="row-count" says "N of M connections"; the URL fragment holds the view
(#sort=KEY:asc|desc, #filter=TEXT, #page=P, 100 rows a page); the section
id="identifies" holds <ul data-list=NAME> of <li data-value data-count
data-first>; the timeline is <svg id="timeline"> with class="mark..." marks,
whose handshake colour the page's CSS (or the mark's fill/stroke) gives.

Chromium runs with a fresh profile under WORK, a timeout, in its own process
group (only that group is killed), and, as root, in a network namespace of its
own (unshare -n), so that even a leaking page reaches nothing; the net log
still records every request it tried.
"""
import collections
import html.parser
import json
import os
import re
import signal
import subprocess
import sys

PAGE_SIZE = 100
WINDOW = (1400, 3000)
CHROMIUM_TIMEOUT = 60
ALLOWED_SCHEMES = ("file:", "data:", "about:", "chrome:", "blob:null/", "blob:file:")
LISTS = ("ip_addresses", "mac_addresses", "server_names", "certificate_names", "pcapng_metadata", "undecoded")
failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def expect(condition, message):
    if not condition:
        fail(message)
    return condition


# --- the browser ----------------------------------------------------------------------


def no_network_prefix():
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return ["unshare", "-n"] if probe.returncode == 0 else []


def chromium(work, name, url, *args, netlog=False):
    """Loads URL headless; returns (stdout, net log path or None)."""
    profile = os.path.join(work, name + ".profile")
    log = os.path.join(work, name + ".netlog.json") if netlog else None
    command = no_network_prefix() + [
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
        "--window-size=%d,%d" % WINDOW, "--virtual-time-budget=3000",
    ] + (["--log-net-log=" + log] if log else []) + list(args) + [url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=open(os.path.join(work, name + ".stderr"), "w"),
                               start_new_session=True, text=True)
    try:
        out, _ = process.communicate(timeout=CHROMIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        out = ""
        fail(f"{name}: chromium did not finish within {CHROMIUM_TIMEOUT} s")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the group of the chromium started here, and its helpers
        except ProcessLookupError:
            pass
        process.wait()
    return out, log


def file_url(path, fragment=""):
    return "file://" + os.path.abspath(path) + (("#" + fragment) if fragment else "")


def dump_dom(work, name, html_path, fragment=""):
    out, _ = chromium(work, name, file_url(html_path, fragment), "--dump-dom")
    with open(os.path.join(work, name + ".dom.html"), "w") as f:
        f.write(out)
    expect(out.strip(), f"{name}: chromium dumped no DOM")
    return Dom(out)


# --- the DOM --------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text_parts = [], []

    def text(self):
        return "".join(part if isinstance(part, str) else part.text() for part in self.text_parts)

    def cells(self):
        """The texts of a row's cells."""
        return [e.text().strip() for e in self.walk() if e.tag in ("td", "th")]

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def hidden_self(self):
        style = (self.attrs.get("style") or "").replace(" ", "").lower()
        return "hidden" in self.attrs or "display:none" in style or "hidden" in self.classes()

    def visible(self):
        node = self
        while node is not None:
            if node.hidden_self():
                return False
            node = node.parent
        return True

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()


class Dom(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", [], None)
        self.current = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.text_parts.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.text_parts.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text_parts.append(data)

    def find(self, predicate):
        return [e for e in self.root.walk() if predicate(e)]

    def by_id(self, ident):
        found = self.find(lambda e: e.attrs.get("id") == ident)
        return found[0] if found else None

    def visible_rows(self):
        return [e for e in self.find(lambda e: e.tag == "tr" and "data-id" in e.attrs) if e.visible()]


def row_ids(rows):
    return [int(r.attrs["data-id"]) for r in rows]


def row_count(dom, name):
    """(N, M) of id="row-count"'s "N of M connections"."""
    element = dom.by_id("row-count")
    if not expect(element is not None, f"{name}: no element id=row-count"):
        return None
    text = re.sub(r"(?<=\d)[\s,\u00a0\u202f](?=\d{3})", "", element.text())
    match = re.search(r"(\d+)\s+of\s+(\d+)\s+connections?", text)
    if not expect(match, f"{name}: row-count says {element.text()!r}, not 'N of M connections'"):
        return None
    return int(match.group(1)), int(match.group(2))


# --- tshark ---------------------------------------------------------------------------


def tshark_fields(capture, *fields, display_filter=None):
    command = ["tshark", "-r", capture, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
    for field in fields:
        command += ["-e", field]
    if display_filter:
        command += ["-Y", display_filter]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return [[col.split("|") if col else [] for col in line.split("\t")] for line in out.splitlines()]


def tshark_connections(capture):
    """(TCP streams, UDP flows) as tshark numbers them."""
    tcp, udp = set(), set()
    for tcp_stream, udp_stream in tshark_fields(capture, "tcp.stream", "udp.stream"):
        tcp.update(tcp_stream)
        udp.update(udp_stream)
    return len(tcp), len(udp)


def tshark_identifiers(capture, *fields):
    """{value: (packets it appears in, first packet)} over FIELDS."""
    counts, first = collections.Counter(), {}
    for frame, *columns in tshark_fields(capture, "frame.number", *fields):
        values = {v.lower() for column in columns for v in column if v}
        for value in values:
            counts[value] += 1
            first.setdefault(value, int(frame[0]))
    return {v: (counts[v], first[v]) for v in counts}


# --- table ----------------------------------------------------------------------------


def judge_table(html_path, json_path, capture, work):
    tcp, udp = tshark_connections(capture)
    total = tcp + udp
    with open(json_path) as f:
        report = json.load(f)
    connections = {c["id"]: c for c in report["connections"]}
    expect(len(connections) == total, f"JSON: {len(connections)} connections, tshark counts {tcp} TCP + {udp} UDP")

    dom = dump_dom(work, "sort-id", html_path, "sort=id:asc")
    ids = row_ids(dom.visible_rows())
    expect(len(ids) == total, f"#sort=id:asc: {len(ids)} visible rows, tshark counts {total} connections")
    expect(row_count(dom, "#sort=id:asc") == (total, total),
           f"#sort=id:asc: row-count is not '{total} of {total} connections'")
    expect(ids == sorted(connections)[:PAGE_SIZE], f"#sort=id:asc: rows in order {ids}, JSON ids {sorted(connections)}")

    dom = dump_dom(work, "sort-zeroed", html_path, "sort=bytes_zeroed:desc")
    ids = row_ids(dom.visible_rows())
    zeroed = [connections[i]["bytes"]["zeroed"] if i in connections else None for i in ids]
    expect(sorted(ids) == sorted(connections), f"#sort=bytes_zeroed:desc: rows {ids}, JSON ids {sorted(connections)}")
    expect(None not in zeroed and zeroed == sorted(zeroed, reverse=True),
           f"#sort=bytes_zeroed:desc: rows {ids} have bytes zeroed {zeroed} (from the JSON), not in descending order")

    name = "report.example.test"
    streams = tshark_fields(capture, "tcp.srcport", display_filter=f'tls.handshake.extensions_server_name == "{name}"')
    ports = {p for (port,) in streams for p in port}
    dom = dump_dom(work, "filter", html_path, "filter=" + name)
    rows = dom.visible_rows()
    expect(len(rows) == len(ports) == 1, f"#filter={name}: {len(rows)} rows, tshark sees {len(ports)} client port(s) {ports}")
    for row in rows:
        cells = row.cells()
        expect(any(re.search(rf":{p}$", cell) for p in ports for cell in cells),
               f"#filter={name}: row {cells} is not client port {ports}")
    counted = row_count(dom, f"#filter={name}")
    expect(counted is None or counted == (len(ports), total),
           f"#filter={name}: row-count {counted}, want ({len(ports)}, {total})")


# --- what still identifies ------------------------------------------------------------


def dn_values(text):
    """The attribute values of an RFC 2253 name "CN=a\\,b,O=c": ["a,b", "c"]."""
    parts = re.split(r"(?<!\\)[,+]", text)
    return {re.sub(r"\\(.)", r"\1", p.split("=", 1)[1]).strip() for p in parts if "=" in p}


def identifier_lists(dom):
    section = dom.by_id("identifies")
    if not expect(section is not None, "no section id=identifies"):
        return {}
    lists = {}
    for ul in [e for e in section.walk() if e.tag == "ul" and "data-list" in e.attrs]:
        items = {}
        for li in [e for e in ul.walk() if e.tag == "li" and "data-value" in e.attrs]:
            items[li.attrs["data-value"].lower()] = (li.attrs.get("data-count"), li.attrs.get("data-first"))
        lists[ul.attrs["data-list"]] = items
    for name in LISTS:
        expect(name in lists, f"identifies: no <ul data-list={name}>")
    return lists


def compare_list(lists, name, expected):
    shown = lists.get(name, {})
    expect(set(shown) == set(expected), f"identifies {name}: page {sorted(shown)}, tshark {sorted(expected)}")
    for value, (count, first) in expected.items():
        if value in shown:
            expect(shown[value] == (str(count), str(first)),
                   f"identifies {name} {value}: data-count/data-first {shown[value]}, tshark ({count}, {first})")


def judge_identifies(html_path, capture, work, absent):
    dom = dump_dom(work, "identifies-" + os.path.basename(html_path), html_path)
    lists = identifier_lists(dom)
    compare_list(lists, "ip_addresses", tshark_identifiers(capture, "ip.src", "ip.dst", "ipv6.src", "ipv6.dst"))
    compare_list(lists, "mac_addresses", tshark_identifiers(capture, "eth.src", "eth.dst"))
    compare_list(lists, "server_names", tshark_identifiers(capture, "tls.handshake.extensions_server_name"))
    certificate_frames = []  # (frame, the lower-cased names in its certificates)
    for frame, *columns in tshark_fields(capture, "frame.number", "x509sat.printableString", "x509sat.uTF8String",
                                         "x509sat.IA5String", display_filter="tls.handshake.type == 11"):
        certificate_frames.append((int(frame[0]), {v.lower() for column in columns for v in column}))
    strings = set().union(*(names for _, names in certificate_frames))
    shown = set()
    for value, (count, first) in lists.get("certificate_names", {}).items():
        names = {v.lower() for v in dn_values(value)}
        shown |= names
        frames = [frame for frame, in_frame in certificate_frames if names <= in_frame]
        expect((count, first) == (str(len(frames)), str(frames[0]) if frames else None),
               f"identifies certificate_names {value}: data-count/data-first ({count}, {first}), "
               f"tshark sees its names in frames {frames}")
    expect(shown == strings,
           f"identifies certificate_names: names {sorted(shown)} in the page, tshark's certificates {sorted(strings)}")
    with open(capture, "rb") as f:
        pcap = f.read(4) in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    if pcap:
        expect(not lists.get("pcapng_metadata"), f"identifies pcapng_metadata of a pcap file: {lists.get('pcapng_metadata')}")
    layers = {p for (stack,) in tshark_fields(capture, "frame.protocols") for p in stack}
    if all(re.fullmatch(r"eth:ethertype:(ip|ipv6):(tcp|udp)(:.*)?", p) for p in layers):
        expect(not lists.get("undecoded"), f"identifies undecoded, where tshark decodes every packet: {lists.get('undecoded')}")
    with open(html_path, encoding="utf-8") as f:
        raw = f.read().lower()
    dom_text = open(os.path.join(work, "identifies-" + os.path.basename(html_path) + ".dom.html")).read().lower()
    for value in absent:
        pattern = re.escape(value.lower()) + r"(?![0-9])"
        expect(not re.search(pattern, raw), f"{value} appears in the HTML")
        expect(not re.search(pattern, dom_text), f"{value} appears in the page after its script ran")


# --- screenshot, timeline and the network -----------------------------------------------


def parse_colour(text):
    text = text.strip().lower()
    match = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", text)
    if match:
        h = match.group(1)
        h = "".join(c * 2 for c in h) if len(h) == 3 else h
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    match = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(,.*)?\)", text)
    return tuple(int(match.group(i)) for i in (1, 2, 3)) if match else None


def handshake_colour(dom):
    """The colour of a handshake mark: its fill or stroke attribute, else
    the fill or stroke of a CSS rule naming handshake in the page's <style>
    (a var(--name) resolved from the same styles)."""
    svg = dom.by_id("timeline")
    marks = [e for e in svg.walk() if any(c.startswith("mark") for c in e.classes())] if svg else []
    for mark in marks:
        if "handshake" in " ".join(mark.classes()):
            for attribute in ("fill", "stroke"):
                if parse_colour(mark.attrs.get(attribute, "")):
                    return parse_colour(mark.attrs[attribute])
    styles = " ".join(e.text() for e in dom.find(lambda e: e.tag == "style"))
    variables = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;}]+)", styles))
    for selector, body in re.findall(r"([^{}]*handshake[^{}]*)\{([^}]*)\}", styles):
        for value in re.findall(r"(?:^|;)\s*(?:fill|stroke)\s*:\s*([^;]+)", body):
            value = value.strip()
            reference = re.fullmatch(r"var\(\s*(--[\w-]+)\s*\)", value)
            if reference:
                value = variables.get(reference.group(1), "")
            if parse_colour(value):
                return parse_colour(value)
    return None


def static_urls(html_path):
    """src/href attributes and http(s) URLs in the file as written."""
    with open(html_path, encoding="utf-8") as f:
        raw = f.read()
    found = []

    class Attributes(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(f"<{tag} {k}=...>" for k, _ in attrs if k in ("src", "href", "xlink:href", "srcset",
                                                                         "action", "formaction", "poster"))

    Attributes().feed(raw)
    namespaces = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml")
    for url in re.findall(r"(?i)\b(?:https?|wss?|ftp)://[^\s\"'<>)]*", raw):
        if url not in namespaces:
            found.append(url)
    found += re.findall(r"(?i)@import|url\(\s*['\"]?(?!data:)[^)]*\)", raw)
    return found


def page_requests(log_path):
    """URLs the page itself asked for with a scheme other than file:, data:,
    about: or chrome:. Chromium's own traffic (component updater, network
    time, account check) is told apart precisely: those URL requests have no
    initiator ("not an origin") and no network partition of the file:
    page, whereas everything the page loads or fetches carries its opaque
    origin ("null") and a file:// partition key."""
    with open(log_path) as f:
        text = f.read()
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # cut short: close the events array ourselves
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    browser_own, sources = set(), collections.defaultdict(list)
    for event in log["events"]:
        params = event.get("params") or {}
        sources[event["source"]["id"]].append((names.get(event["type"]), params))
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
            if params.get("initiator") == "not an origin" and "file:" not in params.get("network_isolation_key", ""):
                browser_own.add(params["url"])
    leaks = set()
    for events in sources.values():
        for name, params in events:
            for key in ("url", "original_url", "location", "new_location"):
                url = params.get(key)
                if isinstance(url, str) and not url.startswith(ALLOWED_SCHEMES) and url not in browser_own:
                    leaks.add(url)
            partition = str(params.get("network_anonymization_key", "")) + str(params.get("network_isolation_key", ""))
            if "file:" in partition and name == "HOST_RESOLVER_MANAGER_REQUEST":
                leaks.add("name lookup: " + str(params.get("host")))
    return sorted(leaks)


def judge_page(html_path, work):
    from PIL import Image

    shot = os.path.join(work, "page.png")
    _, log = chromium(work, "page", file_url(html_path), "--screenshot=" + shot, netlog=True)
    expect(log and os.path.exists(log), "chromium wrote no net log")
    if log and os.path.exists(log):
        leaks = page_requests(log)
        expect(not leaks, f"requests left the page: {leaks}")
    expect(not static_urls(html_path), f"the HTML names other resources: {static_urls(html_path)[:10]}")

    dom = dump_dom(work, "page", html_path)
    svg = dom.by_id("timeline")
    marks = []
    if expect(svg is not None and svg.tag == "svg", "no <svg id=timeline> in the page"):
        marks = [e for e in svg.walk() if any(c.startswith("mark") for c in e.classes())]
        expect(marks, "the timeline has no class=mark... element")
    if not expect(os.path.exists(shot), "chromium wrote no screenshot"):
        return
    image = Image.open(shot).convert("RGB")
    expect(image.size == WINDOW, f"screenshot is {image.size}, want {WINDOW}")
    colours = image.getcolors(maxcolors=1 << 24)
    pixels = image.size[0] * image.size[1]
    top = max(colours)[0] / pixels
    expect(len(colours) >= 32, f"screenshot has {len(colours)} distinct colours: blank?")
    expect(top < 0.97, f"screenshot is {top:.1%} one colour: blank?")
    colour = handshake_colour(dom)
    if not expect(colour is not None, "no handshake mark colour: neither a fill/stroke on the mark nor a CSS rule"):
        return
    # The legend may show the same colour: the marks' own pixels are those
    # that go when the page is drawn again with its handshake marks hidden.
    hidden = sorted({"." + ".".join(e.classes()) for e in marks if "handshake" in " ".join(e.classes())})
    if not expect(hidden, "the timeline has no handshake mark"):
        return
    with open(html_path, encoding="utf-8") as f:
        page = f.read()
    without = os.path.join(work, "page-without-handshakes.html")
    with open(without, "w", encoding="utf-8") as f:
        f.write(page + "<style>%s { display: none !important; }</style>" % ", ".join(hidden))
    shot_without = os.path.join(work, "page-without-handshakes.png")
    chromium(work, "page-without-handshakes", file_url(without), "--screenshot=" + shot_without)
    if not expect(os.path.exists(shot_without), "chromium wrote no screenshot of the page without handshake marks"):
        return
    drawn = mark_pixels(image, Image.open(shot_without).convert("RGB"), colour)
    expect(drawn >= 4, f"the timeline's handshake marks draw {drawn} pixels near their colour {colour}: not drawn?")


def mark_pixels(with_marks, without_marks, colour):
    """Pixels that the marks change, drawn near COLOUR (within 48 in every
    channel: thin marks are antialiased and may overlap others)."""
    from PIL import ImageChops

    box = ImageChops.difference(with_marks, without_marks).getbbox() if with_marks.size == without_marks.size else None
    if box is None:
        return 0
    a, b = with_marks.load(), without_marks.load()
    return sum(1 for x in range(box[0], box[2]) for y in range(box[1], box[3])
               if a[x, y] != b[x, y] and max(abs(p - q) for p, q in zip(a[x, y], colour)) <= 48)


def judge_many(html_path, work, count):
    size = os.path.getsize(html_path)
    expect(size < 5 * 1024 * 1024, f"HTML of {count} connections is {size} bytes, not under 5 MB")
    dom = dump_dom(work, "many-page2", html_path, "page=2")
    ids = row_ids(dom.visible_rows())
    expect(ids == list(range(PAGE_SIZE + 1, 2 * PAGE_SIZE + 1)),
           f"#page=2 shows rows {ids[:3]}...{ids[-3:]} ({len(ids)}), want {PAGE_SIZE + 1}..{2 * PAGE_SIZE}")
    counted = row_count(dom, "#page=2")
    expect(counted is None or counted[1] == count, f"#page=2: row-count {counted}, want M = {count}")
    svg = dom.by_id("timeline")
    if expect(svg is not None, "no <svg id=timeline> in the page of many connections"):
        caption = svg.text()
        figure = svg.parent
        while figure is not None and figure.tag not in ("figure", "section"):
            figure = figure.parent
        if figure is not None:
            caption += " " + " ".join(e.text() for e in figure.walk() if e.tag in ("figcaption", "p", "caption"))
        digits = re.sub(r"(?<=\d)[\s,\u00a0\u202f](?=\d{3})", "", caption)
        numbers = [int(n) for n in re.findall(r"\d+", digits)]
        expect(count in numbers and any(0 < n < count for n in numbers),
               f"the timeline caption does not say it shows a subset of {count}: {caption.strip()[:300]!r}")


def netlog_selftest(work):
    """A page that fetches and loads an image from elsewhere must be caught
    (only run inside a network namespace of its own: nothing gets out)."""
    if not no_network_prefix():
        print("netlog-selftest: skipped (needs root and unshare -n, so that the leak reaches nothing)")
        return
    page = os.path.join(work, "leaky.html")
    with open(page, "w") as f:
        f.write('<p>leak</p><script>fetch("http://192.0.2.7/leak").catch(() => {});</script>'
                '<img src="https://192.0.2.8/i.png">')
    _, log = chromium(work, "leaky", file_url(page), "--dump-dom", netlog=True)
    leaks = page_requests(log)
    expect(any("192.0.2.7" in u for u in leaks) and any("192.0.2.8" in u for u in leaks),
           f"the net log check missed a leaking page: {leaks}")
    expect(static_urls(page), "the static check missed src= and an http URL")


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "table":
        judge_table(*args)
    elif command == "identifies":
        absent = args[args.index("--absent") + 1:] if "--absent" in args else []
        judge_identifies(args[0], args[1], args[2], absent)
    elif command == "page":
        judge_page(*args)
    elif command == "many":
        judge_many(args[0], args[1], int(args[2]))
    elif command == "netlog-selftest":
        netlog_selftest(args[0])
    else:
        sys.exit(f"unknown command {command}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
