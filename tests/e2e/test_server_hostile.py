#!/usr/bin/env python3
"""The real kommunesoeg-server against hostile requests (traversal, invalid
UTF-8, huge input, markup, stray operators, idle connections), and what a
request or a document brings into JSON, XML and the log.

Every group indexes its corpus into a temporary directory, starts its own
server on a free loopback port (harness.py) and stops it with SIGTERM at the
end, asserting exit status 0 and no sanitizer report.  Usage: test_server_hostile.py [GROUP...]
(one meson test per group).
"""

import json
import os
import re
import shutil
import socket
import time
import urllib.parse
import xml.etree.ElementTree as ET

from harness import (main, CORPUS, TIMEOUT, ATOM, SECRET, PAYLOADS, WEB_FILES, limit, url,
                     request, parse_raw, raw, raw_request, wait_for, ServerCase)


class Hostile(ServerCase):
    """Traversal, invalid UTF-8, huge input, markup, stray operators, idle connections."""

    def assert_4xx(self, r, what):
        self.assertIsNotNone(r, f"{what}: no answer")
        self.assertTrue(400 <= r.status < 500, f"{what}: {r}")

    def test_path_traversal(self):
        paths = [
            "/../secret.txt", "/../secret.html", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt",
            "/..%2fsecret.txt", "/%2E%2E%2Fsecret.txt", "/%252e%252e/secret.txt",
            "/%252e%252e%252fsecret.txt", "/..\\secret.txt", "/..%5csecret.txt",
            "//etc/passwd", "/%2fetc%2fpasswd", "/./../secret.txt", "/sub/../../secret.txt",
            "/sub/%2e%2e/%2e%2e/secret.txt", "/leak.txt", "/leak.html", "/outside/secret.txt",
            "/leak.txt%00.html", "/secret.txt%00", "/..%00/secret.txt", "/.%2e/secret.txt",
            "/%c0%ae%c0%ae/secret.txt",
            "/..%c0%afsecret.txt", "/....//secret.txt", "/../../../../../../etc/passwd",
            "/sub/..%2f..%2fsecret.txt", "/api/../../secret.txt", "/sag/../../secret.txt",
            "/item/..%2f..%2fsecret.txt", "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        ]
        for path in paths:
            r = raw_request(self.port, "GET", path)
            self.assert_4xx(r, path)
            self.assertNotIn(SECRET.encode(), r.body, path)
            self.assertNotIn(b"root:", r.body, path)
        # libmicrohttpd decodes %00 into the path, where C sees the string end: "/%00../x"
        # may be read as "/" and answered with the index page, which leaks nothing.
        for path in ["/%00../secret.txt", "/%00/../../secret.txt"]:
            r = raw_request(self.port, "GET", path)
            self.assertIsNotNone(r, path)
            self.assertTrue(400 <= r.status < 500 or r.body == WEB_FILES["index.html"], r)
            self.assertNotIn(SECRET.encode(), r.body, path)
        self.assert_healthy()

    def test_invalid_utf8(self):
        for path in ["/api/search?q=%FF", "/api/search?q=hj%C3", "/api/search?udvalg=%FE",
                     "/api/search?beslutning=%C0%80", "/api/search?q=%ED%A0%80",
                     "/api/search?q=ok&from=%FF", "/feed?q=%FF", "/api/sag/%FF", "/api/item/%FF",
                     "/sag/%FF", "/item/%FF", "/%FF.css", "/api/search?sag=%FF",
                     "/api/search?q=%F8%88%80%80%80"]:
            r = self.get(path)
            self.assert_4xx(r, path)
        r = raw_request(self.port, "GET", b"/api/search?q=\xff\xfe")
        self.assert_4xx(r, "raw bytes")
        self.assert_healthy()

    def test_huge_inputs(self):
        for path in ["/api/search?q=" + "a" * 100_000, "/api/search?udvalg=" + "%41" * 35_000,
                     "/api/sag/" + "1" * 100_000, "/" + "a" * 100_000 + ".css"]:
            r = raw_request(self.port, "GET", path)
            if r is not None:
                self.assert_4xx(r, path[:40])
            self.assert_healthy()
        for header in ["X-Big: " + "b" * 100_000, "Cookie: " + "c=1; " * 20_000]:
            r = raw_request(self.port, "GET", "/healthz", headers=[header])
            if r is not None:
                self.assert_4xx(r, header[:20])
            self.assert_healthy()
        many = [f"X-H{i}: v" for i in range(3000)]
        r = raw_request(self.port, "GET", "/healthz", headers=many)
        if r is not None:
            self.assertIn(r.status, set(range(400, 500)) | {200}, r)
        self.assert_healthy()

    def test_markup_never_reflected(self):
        for payload in PAYLOADS:
            quoted = urllib.parse.quote(payload, safe="")
            paths = [url("/api/search", q=payload), url("/api/search", udvalg=payload),
                     url("/api/search", beslutning=payload), url("/api/search", sort=payload),
                     url("/api/search", type=payload), url("/api/search", sag=payload),
                     url("/api/search", {"from": payload}), url("/api/search", lukket=payload),
                     url("/api/search", format=payload), url("/api/search", page=payload),
                     url("/api/search", q=payload, format="csv"), url("/feed", q=payload),
                     url("/feed", sort=payload), "/api/sag/" + quoted, "/api/item/" + quoted,
                     "/sag/" + quoted, "/item/" + quoted, "/" + quoted, "/" + quoted + ".html",
                     url("/", q=payload)]
            for path in paths:
                with self.subTest(path=path):
                    r = self.get(path)
                    self.assertLess(r.status, 500, path)
                    if path.startswith("/?"):
                        self.assertEqual(r.body, WEB_FILES["index.html"])
                    else:
                        self.assert_not_reflected(r, path)
        self.assert_healthy()

    def test_stray_operators_and_wildcards(self):
        for q in ["AND", "OR OR", "NOT NOT", "(", ")", "(()", "-", "--", "*", "a*", "*a", "e*",
                  "s*", '"', '"""', "AND OR NOT", "titel:*", "sag:*", "år:..", "..2025",
                  "2025-01-01..", "hjemløse OR", "NOT hjemløse", "-hjemløse", '"hjemløse',
                  "hjemløse)", "udvalg:(", "((((((((((((((((((((((((((((((((((((((((",
                  " ".join(["OR"] * 200), " ".join(f"w{i}*" for i in range(100))]:
            r = self.get("/api/search", q=q)
            self.assertEqual(r.status, 200, f"{q[:40]}: {r}")
            self.assertIsInstance(r.json()["total"], int)
        self.assert_healthy()

    def test_log_injection(self):
        self.get("/ks-probe%0d%0aFAKE-ENTRY%20GET%20/healthz%20200")
        self.get("/api/search?q=x%0AFAKE-ENTRY2")
        self.assert_healthy()
        time.sleep(0.3)
        for line in self.server.log_lines():
            self.assertFalse(line.startswith("FAKE-ENTRY"), f"a request forged a log line: {line}")

    def test_malformed_requests(self):
        close = b"Host: x\r\nConnection: close\r\n"
        for data in [b"GARBAGE\r\n\r\n", b"GET\r\n\r\n",
                     b"GET /\xff\xfe HTTP/1.1\r\n" + close + b"\r\n",
                     b"GET /healthz HTTP/1.1\r\n" + close + b"Content-Length: -5\r\n\r\n",
                     b"GET /healthz HTTP/1.1\r\n" + close + b"Content-Length: abc\r\n\r\n",
                     b"GET /healthz HTTP/1.1\r\n" + close +
                     b"Content-Length: 99999999999999999999\r\n\r\n",
                     b"GET /healthz HTTP/1.1\r\n" + close +
                     b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                     b"GET /he\x00althz HTTP/1.1\r\n" + close + b"\r\n"]:
            try:
                r = raw(self.port, data, timeout=TIMEOUT)
            except socket.timeout:
                self.fail(f"{data[:40]!r}: no answer and no close within {TIMEOUT} s")
            if r is not None:
                self.assert_4xx(r, data[:40])
            self.assert_healthy()
        r = raw(self.port, b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(r.status, 200, "HTTP/1.0 is fine")

    def test_idle_connections(self):
        idle = []
        try:
            for i in range(300):
                try:
                    s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                except OSError:
                    break  # the server may shed connections; the search below must still work
                idle.append(s)
                if i % 2:
                    s.sendall(b"GET /api/search?q=hjem")  # half a request line
            self.assertGreaterEqual(len(idle), 100, "the server accepts many connections")
            time.sleep(0.5)
            start = time.monotonic()
            r = request(self.port, "GET", url("/api/search", q="hjemløse"), timeout=5)
            elapsed = time.monotonic() - start
            self.assertEqual(r.status, 200)
            self.assertEqual(r.json()["total"], 3)
            self.assertLess(elapsed, 5.0)
            r = request(self.port, "GET", "/healthz", timeout=5)
            self.assertEqual(r.status, 200)
        finally:
            for s in idle:
                s.close()
        self.assert_healthy()
        self.assertTrue(self.server.alive())


# Characters XML 1.0 forbids (U+0001-U+001F but tab, LF and CR; U+FFFE; U+FFFF).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Hygiene(ServerCase):
    """What a request or a document brings into JSON, XML and the log: valid UTF-8, escaped
    for where it goes.  FIFOs in --web and --pdf-dir.  What a proxy would read otherwise:
    two Content-Length, two Host, HTTP/1.1 without Host."""

    DOC_ID = "hygiejne-2026-06-01-1"
    FORBIDDEN = "\x01\x02\x1b\ufffe\uffff"

    @classmethod
    def prepare_corpus(cls):
        # The corpus and the newest meeting, whose item (the first entry of the default
        # feed) has characters XML 1.0 forbids in its title and text.
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        sentence = ("Teksten er klippet ud af et andet program og har taget tegn med, som "
                    "ikke er tekst: et styretegn\x02 her, en escape\x1b[31m der, og to "
                    "ikke-tegn \ufffe og \uffff midt i en sætning om vejvedligeholdelse. ")
        text = ("REFERAT Direktionen d. 01-06-2026\n\n"
                "Mødedato Mandag d. 1. juni 2026 kl. 10:00\n\n"
                "Mødested Mødelokale 8\n\n"
                "Punkt 1: Styresignal\x01 og ikke\ufffetegn\uffff i titlen\n\n26-000001\n\n"
                "Beslutning\n\nGodkendt.\n\nSagsfremstilling\n\n" + sentence * 3 + "\n")
        with open(os.path.join(docs, "hygiejne-2026-06-01.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        return docs

    @classmethod
    def server_args(cls):
        cls.pdf_dir = os.path.join(cls.tmp, "pdf")
        os.mkdir(cls.pdf_dir)
        with open(os.path.join(cls.pdf_dir, "real.pdf"), "wb") as f:
            f.write(b"%PDF-1.4\n% fixture\n")
        return ("--pdf-dir", cls.pdf_dir)

    # -- helpers --

    def text_of(self, r, what):
        """R's body decoded as strict UTF-8."""
        try:
            return r.body.decode("utf-8")
        except UnicodeDecodeError as e:
            self.fail(f"{what}: not valid UTF-8 ({e}): {r}")

    def clean_json(self, r, what):
        """R's body: strict UTF-8 JSON without a raw '<', '>' or '&'."""
        text = self.text_of(r, what)
        for c in "<>&":
            self.assertNotIn(c, text, f"{what}: a raw {c!r}")
        return json.loads(text)

    def clean_xml(self, r, what):
        """R's body: strict UTF-8 XML that parses."""
        self.text_of(r, what)
        try:
            return ET.fromstring(r.body)
        except ET.ParseError as e:
            self.fail(f"{what}: not XML ({e}): {r.body[:600]!r}")

    def exchange(self, data):
        """DATA sent as is on one connection; all the server sent until it closed it (a
        connection left open fails the test)."""
        chunks = []
        with socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT) as s:
            s.sendall(data)
            while True:
                try:
                    b = s.recv(65536)
                except ConnectionResetError:
                    break
                except socket.timeout:
                    self.fail(f"{data[:80]!r}: the connection was left open after "
                              f"{b''.join(chunks)[:300]!r}")
                if not b:
                    break
                chunks.append(b)
        return b"".join(chunks)

    def assert_one_400(self, data, names):
        """DATA is answered with one 400 naming NAMES, and the connection closed."""
        out = self.exchange(data)
        self.assertEqual(len(re.findall(rb"HTTP/1\.1 \d{3} ", out)), 1,
                         f"{data!r}: one response, not {out!r}")
        r = parse_raw(out)
        message = self.assert_error(r, 400, names)
        self.clean_json(r, repr(data))
        return message

    # -- JSON --

    def test_json_errors_escaped(self):
        cases = [("/api/search?%3Cimg%20src%3Dx%3E=%FF", 400, "<img src=x>"),
                 ("/api/search?a%26b%3E=%C3", 400, "a&b>"),
                 ("/feed?%3Cscript%3E=%FF", 400, "<script>"),
                 ("/api/search?q=ok&%3Cb%3E%26=%ED%A0%80", 400, "<b>&"),
                 ("/api/sag/%3Cb%3E", 400, None), ("/api/item/%3Cb%3E%26", 404, None),
                 ("/api/search?sort=%3Cb%3E", 400, None), ("/%3Cb%3E.css", 404, None)]
        for path, status, shown in cases:
            # A path outside /api/ answers a browser with a page
            # (test_server_site.py): the JSON client says so.
            r = raw_request(self.port, "GET", path, headers=["Accept: application/json"])
            self.assertEqual(r.status, status, f"{path}: {r}")
            message = self.clean_json(r, path)["error"]["message"]
            if shown:
                self.assertIn(shown, message, path)
        # Markup in a 200's JSON (the query echoed) too.
        r = self.get("/api/search", q="<b>&amp;</b>")
        self.assertEqual(self.clean_json(r, "q")["query"], "<b>&amp;</b>")

    def test_long_names_cut_between_characters(self):
        # A name of about 600 bytes fills the message past its limit, cut wherever a
        # character of 2, 3 or 4 bytes falls.
        for char in ["æ", "€", "😀"]:
            for prefix in ["", "a", "ab", "abc"]:
                name = prefix + char * (600 // len(char.encode()))
                path = "/api/search?" + urllib.parse.quote(name) + "=%FF"
                r = raw_request(self.port, "GET", path)
                what = f"{prefix}+{char}"
                self.assertEqual(r.status, 400, f"{what}: {r}")
                message = self.clean_json(r, what)["error"]["message"]
                self.assertNotIn("\ufffd", message, what)
                shown = re.search(r"parameter (\S+)", message)
                self.assertTrue(shown and name.startswith(shown.group(1).rstrip("…")),
                                f"{what}: {message!r}")

    def test_methods_escaped(self):
        for method in [b"\xff\xfe", b"FAKE\rGET", b"X<b>&", b"\x1b[2J", b"\xc3"]:
            r = raw(self.port, method + b" /healthz HTTP/1.1\r\nHost: x\r\n"
                    b"Connection: close\r\n\r\n")
            self.assertIsNotNone(r, method)
            self.assertEqual(r.status, 405, f"{method!r}: {r}")
            message = self.clean_json(r, repr(method))["error"]["message"]
            self.assertTrue(message.isprintable(), f"{method!r}: {message!r}")
            self.assertNotIn("\ufffd", message, method)

    def test_access_log_escapes_the_method(self):
        methods = [b"FAKE\rGET", b"\x1b[2J", b"\xff\xfe", b"A\\x0dB"]
        for i, method in enumerate(methods):
            r = raw(self.port, method + f" /ks-method-probe-{i} HTTP/1.1\r\n".encode() +
                    b"Host: x\r\nConnection: close\r\n\r\n")
            self.assertEqual(r.status, 405, f"{method!r}: {r}")
        for i, method in enumerate(methods):
            def logged():
                return [line for line in self.server.log_lines()
                        if f" /ks-method-probe-{i} " in line]
            lines = wait_for(logged, 3)
            self.assertEqual(len(lines), 1, f"{method!r}: {self.server.log()[-1500:]}")
            line = lines[0]
            self.assertTrue(line.isprintable() and line.isascii(), f"{method!r}: {line!r}")
            want = "".join(chr(b) if 0x20 < b < 0x7f and b != 0x5c else f"\\x{b:02x}"
                           for b in method)
            self.assertTrue(line.startswith(want + " "), f"{method!r}: {line!r}")

    def test_error_pages_echo_nothing(self):
        for path in ["/sag/%3Cb%3E%01", "/item/%3Cb%3E%01", "/sag/%FF", "/item/%EF%BF%BE"]:
            r = raw_request(self.port, "GET", path)
            self.assertTrue(400 <= r.status < 500, f"{path}: {r}")
            text = self.text_of(r, path)
            self.assertNotIn("<b>", text, path)
            self.assertIsNone(XML_FORBIDDEN.search(text), path)

    # -- XML --

    def test_feed_whatever_the_request(self):
        queries = ["budget\x01", "budget" + self.FORBIDDEN, "budget \ufffe", "budget <&>\"'",
                   "budget\x1b[31m"]
        targets = [url("/feed", q=q).encode() for q in queries]
        targets += [b"/feed?q=budget\x01", b"/feed?q=budget&x\x02y=1", b"/feed?q=budget%01&%01=1",
                    b"/feed?q=budget#\x03", b"/feed?q=budget&<x>=\"'"]
        for target in targets:
            r = raw_request(self.port, "GET", target)
            self.assertEqual(r.status, 200, f"{target!r}: {r}")
            root = self.clean_xml(r, repr(target))
            title = root.find(ATOM + "title").text
            self.assertIn("budget", title, target)
            for e in [root.find(ATOM + "id")] + root.findall(ATOM + "link"):
                iri = e.text if e.tag == ATOM + "id" else e.get("href")
                self.assertRegex(iri, r"^http://127\.0\.0\.1/feed\?q=budget[!-~]*$", target)
        # A Host that is no host name: the links fall back to localhost.
        for host in [b"a\x01b", b"a<b>&c", b"\xff"]:
            for path in [b"/feed?q=budget", b"/opensearch.xml"]:
                r = raw(self.port, b"GET " + path + b" HTTP/1.1\r\nHost: " + host +
                        b"\r\nConnection: close\r\n\r\n")
                if r.status == 400:
                    continue  # refused by libmicrohttpd: fine
                self.assertEqual(r.status, 200, f"{host!r}: {r}")
                self.clean_xml(r, f"{path!r} Host {host!r}")

    def test_document_with_forbidden_characters(self):
        # The default feed, for every subscriber: the document's item is its first entry.
        r = self.get("/feed")
        root = self.clean_xml(r, "/feed")
        entries = root.findall(ATOM + "entry")
        self.assertEqual(len(entries), 50)
        first = entries[0]
        self.assertTrue(first.find(ATOM + "id").text.endswith("/item/" + self.DOC_ID),
                        ET.tostring(first))
        title = first.find(ATOM + "title").text
        self.assertIn("Styresignal", title)
        self.assertIn("titlen", title)
        self.clean_xml(self.get("/feed", q="vejvedligeholdelse"), "feed q")
        # The indexer kept none of them: JSON shows the text without them.
        item = self.clean_json(self.get("/api/item/" + self.DOC_ID), "item")
        for field in ["title", "text"]:
            self.assertIsNone(XML_FORBIDDEN.search(item[field]), f"{field}: {item[field]!r}")
        self.assertIn("vejvedligeholdelse", item["text"])
        body = self.clean_json(self.get("/api/search", q="vejvedligeholdelse"), "search")
        self.assertEqual([x["id"] for x in body["results"]], [self.DOC_ID])
        self.assertIsNone(XML_FORBIDDEN.search(body["results"][0]["snippet"]))

    # -- files --

    def test_fifos_not_served(self):
        fifos = {"/pipe.html": os.path.join(self.web, "pipe.html"),
                 "/sub/pipe.css": os.path.join(self.web, "sub", "pipe.css"),
                 "/pdf/pipe.pdf": os.path.join(self.pdf_dir, "pipe.pdf")}
        for path in fifos.values():
            os.mkfifo(path)
        try:
            # More rounds than search threads: each FIFO that held one would leave fewer.
            for _ in range(3):
                for path in fifos:
                    r = self.get(path)
                    self.assertEqual(r.status, 404, f"{path}: {r}")
            r = self.get("/pdf/real.pdf")
            self.assertEqual((r.status, r.body), (200, b"%PDF-1.4\n% fixture\n"))
            self.assertEqual(self.total("hjemløse"), 3)
            self.assert_healthy()
        finally:
            # A search thread blocked on a FIFO (before the fix) is let go: opening the
            # FIFO for writing succeeds only while someone waits to read it.
            for path in fifos.values():
                for _ in range(10):
                    try:
                        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                    except OSError:
                        break
                    time.sleep(0.05)
                os.unlink(path)

    # -- what a proxy would read otherwise --

    def test_two_content_lengths(self):
        smuggled = b"GET /ks-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
        n = len(smuggled)
        for first, second in [(0, n), (n, 0), (0, 0), (n, n)]:
            for names in [("Content-Length", "Content-Length"), ("Content-Length",
                                                                  "content-length")]:
                data = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
                        f"{names[0]}: {first}\r\n{names[1]}: {second}\r\n\r\n".encode() +
                        smuggled)
                self.assert_one_400(data, "Content-Length")
        time.sleep(0.3)
        self.assertNotIn("/ks-smuggled", self.server.log())
        self.assert_healthy()

    def test_two_hosts(self):
        for version in [b"HTTP/1.1", b"HTTP/1.0"]:
            for hosts in [b"Host: a\r\nHost: b\r\n", b"Host: x\r\nhost: x\r\n"]:
                self.assert_one_400(b"GET /healthz " + version + b"\r\n" + hosts + b"\r\n",
                                    "Host")
        self.assert_healthy()

    def test_http11_needs_a_host(self):
        self.assert_one_400(b"GET /healthz HTTP/1.1\r\n\r\n", "Host")
        self.assert_one_400(b"GET /api/search?q=x HTTP/1.1\r\nConnection: keep-alive\r\n\r\n",
                            "Host")
        # HTTP/1.0 has no Host to require (as nginx).
        r = raw(self.port, b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(r.status, 200, r)
        # And the connections that follow the rules stay open for the next request.
        out = self.exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                            b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(len(re.findall(rb"HTTP/1\.1 200 ", out)), 2, out)

    def test_idle_timeout_announced(self):
        """A response after which the connection stays open says how long it may sit idle
        (Keep-Alive: timeout=, the smaller of KS_REQUEST_TIMEOUT and KS_CONNECTION_TIMEOUT),
        so that a client stops reusing it before the server closes it; one after which it
        is closed says Connection: close and no timeout.  (That the server keeps to it:
        test_reliability_limits.Slow.)"""
        timeout = f"timeout={min(limit('KS_REQUEST_TIMEOUT'), limit('KS_CONNECTION_TIMEOUT'))}"

        def heads(data):
            out = self.exchange(data)
            starts = [m.start() for m in re.finditer(rb"HTTP/1\.[01] \d{3} ", out)]
            return [parse_raw(out[a:b]) for a, b in zip(starts, starts[1:] + [len(out)])]

        kept, closed = heads(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                             b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual((kept.status, closed.status), (200, 200))
        self.assertEqual(kept.header("keep-alive"), timeout, kept.headers)
        self.assertIsNone(kept.header("connection"), kept.headers)
        self.assertIsNone(closed.header("keep-alive"), closed.headers)
        self.assertEqual(closed.header("connection"), "close", closed.headers)
        # HTTP/1.0 keeps a connection open only when asked to.
        kept, closed = heads(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                             b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(kept.header("keep-alive"), timeout, kept.headers)
        self.assertIsNone(closed.header("keep-alive"), closed.headers)
        # A request refused on its headers closes the connection (what follows may be
        # its body), and says so.
        for data in [b"POST /api/search?q=x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx",
                     b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"]:
            [refused] = heads(data)
            self.assertGreaterEqual(refused.status, 400, refused)
            self.assertIsNone(refused.header("keep-alive"), (data, refused.headers))
            self.assertEqual(refused.header("connection"), "close", (data, refused.headers))


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS")
