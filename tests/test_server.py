#!/usr/bin/env python3
"""End-to-end tests of the real kommunesoeg-server on the real corpus.

Run by meson with the environment:
  KS_SERVER  the kommunesoeg-server binary
  KS_INDEX   the kommunesoeg-index binary (builds the index each group serves)
  KS_CORPUS  the repository's corpus/
  KS_WEB     the front end as built, the build's web/ (one case serves it)
  KS_SERVER_WRAP  optional: a command the servers run under, e.g.
             "valgrind --error-exitcode=99 --leak-check=full" (not set by meson)

Usage: test_server.py [GROUP...]  (one meson test per group).  Every group
indexes its corpus into a temporary directory, starts its own server on a
free loopback port (--port 0; the port is read from the "listening on" line
on stderr), and stops it with SIGTERM at the end, asserting exit status 0 and
no sanitizer report.  Every request has a timeout; nothing leaves 127.0.0.1.
"""

import csv
import datetime
import html
import http.client
import io
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

SERVER = os.environ.get("KS_SERVER", "")
INDEX = os.environ.get("KS_INDEX", "")
CORPUS = os.environ.get("KS_CORPUS", "")
WEB = os.environ.get("KS_WEB", "")
WRAP = shlex.split(os.environ.get("KS_SERVER_WRAP", ""))

TIMEOUT = 15  # seconds for any one request (generous: the suite also runs under ASan)
ATOM = "{http://www.w3.org/2005/Atom}"
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")

RESULT_FIELDS = {"id", "type", "title", "sagsnummer", "lukket", "date", "udvalg", "punkt",
                 "beslutning", "snippet", "url"}
ITEM_FIELDS = (RESULT_FIELDS - {"snippet"}) | {"meeting", "sections", "behandling", "bilag",
                                               "nettobudget", "text", "source", "page",
                                               "pdf"}
# --dump prints the item's fields plus "year"; the API may pass it through.
TOLERATED_EXTRA = {"year"}
CSV_HEADER = "id,type,title,sagsnummer,lukket,date,udvalg,punkt,beslutning,url"

SECRET = "ks-outside-secret-7f3a9c"
PAYLOADS = ['<script>alert("ks-xss")</script>', '"><img src=x onerror=alert(1)>',
            "<svg/onload=alert(1)>"]
MARKERS = [b"<script", b"<img", b"<svg"]

# The web directory every group serves: a file of each kind the server must
# type, a name with a space, a subdirectory, and links that point outside it.
WEB_FILES = {
    "index.html": b"<!doctype html><title>fixture index</title><p>Kommunesoeg forside</p>\n",
    "sag.html": b"<!doctype html><title>fixture sag</title><p>Sagens punkter</p>\n",
    "item.html": b"<!doctype html><title>fixture item</title><p>Hele punktet</p>\n",
    "style.css": b"body { color: #123456; }\n",
    "app.js": b"document.title = 'fixture';\n",
    "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
    "icon.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01",
    "data.xml": b'<?xml version="1.0" encoding="utf-8"?><fixture/>\n',
    "my file.html": b"<!doctype html><title>fixture space</title>\n",
    "sub/page.html": b"<!doctype html><title>fixture sub</title>\n",
}
CONTENT_TYPES = {
    "/index.html": ("text/html",),
    "/style.css": ("text/css",),
    "/app.js": ("application/javascript", "text/javascript"),
    "/logo.svg": ("image/svg+xml",),
    "/icon.png": ("image/png",),
    "/data.xml": ("application/xml", "text/xml"),
    "/my%20file.html": ("text/html",),
    "/sub/page.html": ("text/html",),
}

# The shipped corpus (see kommunesoeg-index --dump corpus/).
HJEMLOESE = ["direktionen-2025-11-17-6", "direktionen-2025-08-18-5",
             "budget-2024-oekonomiudvalget-13"]


# ---- helpers -------------------------------------------------------------------------------

def run_index(*args, timeout=300):
    return subprocess.run([INDEX, *args], capture_output=True, text=True, timeout=timeout)


def build_index(db, *paths):
    p = run_index("--quiet", "--db", db, *paths)
    if p.returncode != 0:
        raise AssertionError(f"kommunesoeg-index failed ({p.returncode}): {p.stderr}")


def dump_records(*paths):
    p = run_index("--dump", *paths)
    if p.returncode != 0:
        raise AssertionError(f"kommunesoeg-index --dump failed: {p.stderr}")
    return [json.loads(line) for line in p.stdout.splitlines()]


def make_web(tmp):
    """TMP/web with WEB_FILES, TMP/secret.txt outside it, and links out of it."""
    web = os.path.join(tmp, "web")
    for name, data in WEB_FILES.items():
        path = os.path.join(web, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    for name in ["secret.txt", "secret.html"]:
        with open(os.path.join(tmp, name), "w") as f:
            f.write(SECRET + "\n")
    os.symlink(os.path.join(tmp, "secret.txt"), os.path.join(web, "leak.txt"))
    os.symlink(os.path.join(tmp, "secret.html"), os.path.join(web, "leak.html"))
    os.symlink(tmp, os.path.join(web, "outside"))
    return web


def url(path, params=None, **kw):
    """PATH with the query string of PARAMS and KW, percent-encoded (%20 for space)."""
    items = list((params or {}).items()) + list(kw.items())
    if not items:
        return path
    return path + "?" + urllib.parse.urlencode(items, quote_via=urllib.parse.quote)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def content_type(self):
        return (self.header("content-type") or "").lower().replace(" ", "")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return f"<{self.status} {self.header('content-type')} {self.body[:300]!r}>"


def request(port, method, path, body=None, headers=None, timeout=TIMEOUT):
    """One request on a fresh connection (http.client: PATH must be printable ASCII)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
    finally:
        conn.close()


def parse_raw(data):
    """A whole HTTP/1.1 response read to EOF -> Response, or None if nothing came."""
    if not data:
        return None
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        raise AssertionError(f"incomplete response: {data[:300]!r}")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out, rest = b"", body
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        body = out
    return Response(status, headers, body)


def read_until_closed(s):
    """What the server sends on socket S until it closes it, parsed; None if nothing."""
    chunks = []
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    except ConnectionResetError:
        pass
    return parse_raw(b"".join(chunks))


def raw(port, data, timeout=TIMEOUT):
    """Send DATA as is, read until the server closes; None if it answered nothing."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it may answer (or close) before reading everything
        return read_until_closed(s)


def raw_request(port, method, path, headers=(), timeout=TIMEOUT):
    """METHOD PATH (bytes or str, sent verbatim) with Connection: close."""
    if isinstance(path, str):
        path = path.encode("utf-8")
    lines = [method.encode() + b" " + path + b" HTTP/1.1", b"Host: 127.0.0.1",
             b"Connection: close", *[h.encode() for h in headers]]
    return raw(port, b"\r\n".join(lines) + b"\r\n\r\n", timeout=timeout)


def strings(value):
    """Every string inside a JSON value, however deep (dictionary keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def names(param):
    """A regex finding the parameter's name as a word of an error message."""
    return re.compile(r"(?<![A-Za-z_])" + re.escape(param) + r"(?![A-Za-z_])", re.I)


def date_key(record, descending):
    """Sort key of the date orders: dated first (by date), then punkt; undated last.
    RECORD is the --dump record."""
    d = record["date"]
    if d is None:
        return (1, 0, 0)
    n = int(d.replace("-", ""))
    return (0, -n if descending else n, record["punkt"] if record["punkt"] is not None else 0)


def expected_result(record):
    """What a RESULT (minus snippet) must hold for a --dump record."""
    e = {k: record[k] for k in ["id", "type", "title", "sagsnummer", "lukket", "date", "udvalg",
                                "punkt", "url"]}
    e["beslutning"] = record["sections"].get("beslutning")
    if record["lukket"]:
        e["beslutning"] = None
    return e


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = str(value)
    # A value a spreadsheet would run as a formula gets a leading quote.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def wait_for(predicate, timeout=8.0, interval=0.1):
    """Polls PREDICATE until true; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Server:
    """A running kommunesoeg-server; stderr is collected line by line."""

    def __init__(self, dbs, web, *extra, env=None, threads=2):
        args = [*WRAP, SERVER]
        for db in dbs:
            args += ["--db", db]
        args += ["--bind", "127.0.0.1", "--port", "0", "--web", web, "--threads", str(threads),
                 *extra]
        self.lines = []
        self.port = None
        self.cond = threading.Condition()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, env=env)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + (120 if WRAP else 30)
        with self.cond:
            while self.port is None and self.proc.poll() is None and time.monotonic() < deadline:
                self.cond.wait(0.1)
        if self.port is None:
            self.kill()
            raise AssertionError("kommunesoeg-server wrote no 'listening on http://127.0.0.1:PORT'"
                                 f" line on stderr: {self.log()!r}")

    def _read(self):
        for raw_line in self.proc.stderr:
            line = raw_line.decode("utf-8", "replace").rstrip("\n")
            with self.cond:
                self.lines.append(line)
                m = LISTENING.search(line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                self.cond.notify_all()

    def log(self):
        with self.cond:
            return "\n".join(self.lines)

    def log_lines(self):
        with self.cond:
            return list(self.lines)

    def alive(self):
        return self.proc.poll() is None

    def send(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends SIG and returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"kommunesoeg-server did not exit within {timeout} s of {sig!r}")
        self.thread.join(10)
        self.proc.stderr.close()
        return rc

    def stop_and_check(self):
        rc = self.stop()
        log = self.log()
        if rc != 0:
            raise AssertionError(f"kommunesoeg-server exited {rc} on SIGTERM: {log[-3000:]}")
        m = SANITIZER.search(log)
        if m:
            raise AssertionError(f"sanitizer report: {log[m.start():m.start() + 3000]}")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.thread.join(10)
        self.proc.stderr.close()


class ServerCase(unittest.TestCase):
    """A group served by one server on an index of CORPUS (or of prepare_corpus())."""

    @classmethod
    def prepare_corpus(cls):
        return CORPUS

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-server-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.web = make_web(cls.tmp)
        cls.docs = cls.prepare_corpus()
        cls.db = os.path.join(cls.tmp, "index")
        build_index(cls.db, cls.docs)
        cls.records = dump_records(cls.docs)
        cls.by_id = {r["id"]: r for r in cls.records}
        cls.server = Server([cls.db], cls.web, *cls.server_args())
        cls.addClassCleanup(cls.server.kill)
        cls.port = cls.server.port

    @classmethod
    def server_args(cls):
        """More arguments of the group's server (made after its corpus and web)."""
        return ()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop_and_check()

    # -- requests --

    def get(self, path, params=None, method="GET", **kw):
        return request(self.port, method, url(path, params, **kw))

    def search(self, params=None, path="/api/search", **kw):
        r = self.get(path, params, **kw)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "application/json;charset=utf-8", r)
        return r.json()

    def total(self, q, **kw):
        return self.search(q=q, **kw)["total"]

    def ids(self, q, **kw):
        return [x["id"] for x in self.search(q=q, per_page=100, **kw)["results"]]

    def assert_error(self, r, status, param=None):
        """R is the JSON error of SPEC.md with STATUS, naming PARAM."""
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.content_type, "application/json;charset=utf-8", r)
        body = r.json()
        self.assertEqual(set(body), {"error"}, body)
        self.assertEqual(body["error"]["status"], status, body)
        message = body["error"]["message"]
        self.assertIsInstance(message, str)
        self.assertTrue(message.strip(), body)
        if param:
            self.assertRegex(message, names(param), f"the message names '{param}'")
        return message

    def assert_html(self, r, status):
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.content_type.startswith("text/html"), r)

    def assert_healthy(self):
        r = self.get("/healthz")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "ok")

    def assert_not_reflected(self, r, what):
        low = r.body.lower()
        for marker in MARKERS:
            self.assertNotIn(marker, low, f"{what}: {r}")

    def assert_security_headers(self, r, what):
        self.assertEqual(r.header("x-content-type-options"), "nosniff", what)
        self.assertEqual(r.header("referrer-policy"), "no-referrer", what)
        if r.content_type.startswith("text/html"):
            csp = r.header("content-security-policy") or ""
            for directive in ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"]:
                self.assertIn(directive, csp, f"{what}: CSP {csp!r}")


# ---- groups --------------------------------------------------------------------------------

class CommandLine(unittest.TestCase):
    """Flags, usage errors, a missing index, several --db."""

    def run_server(self, *args, timeout=30, env=None):
        return subprocess.run([SERVER, *args], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, env=env)

    def test_help(self):
        p = self.run_server("--help")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("kommunesoeg-server", p.stdout)
        for flag in ["--db", "--bind", "--port", "--web", "--threads"]:
            self.assertIn(flag, p.stdout)

    def test_version(self):
        p = self.run_server("--version")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"\d+\.\d+\.\d+")

    def test_usage_errors(self):
        for args in [["--nope", "--port", "0"], ["--port", "abc"], ["--port", "70000"],
                     ["--port"], ["--db"], ["--threads", "x", "--port", "0"]]:
            p = self.run_server(*args)
            self.assertEqual(p.returncode, 2, f"{args}: {p.stderr}")
            self.assertTrue(p.stderr.strip(), f"{args}: a message on stderr")

    def test_missing_db(self):
        with tempfile.TemporaryDirectory(prefix="ks-server-") as tmp:
            missing = os.path.join(tmp, "no-such-index")
            empty = os.path.join(tmp, "empty-dir")
            os.mkdir(empty)
            for db in [missing, empty]:
                p = self.run_server("--db", db, "--port", "0", "--bind", "127.0.0.1",
                                    "--web", tmp)
                self.assertNotEqual(p.returncode, 0, db)
                self.assertIn(db, p.stderr)

    def test_two_databases_searched_as_one(self):
        with tempfile.TemporaryDirectory(prefix="ks-server-") as tmp:
            budget, minutes = os.path.join(tmp, "budget"), os.path.join(tmp, "minutes")
            os.mkdir(budget)
            os.mkdir(minutes)
            for name in os.listdir(CORPUS):
                shutil.copy(os.path.join(CORPUS, name),
                            budget if name.startswith("budget") else minutes)
            build_index(os.path.join(tmp, "a"), budget)
            build_index(os.path.join(tmp, "b"), minutes)
            server = Server([os.path.join(tmp, "a"), os.path.join(tmp, "b")], make_web(tmp))
            try:
                port = server.port
                self.assertEqual(request(port, "GET", "/healthz").json()["documents"], 65)
                r = request(port, "GET", url("/api/search", type="budget"))
                self.assertEqual(r.json()["total"], 17)
                r = request(port, "GET", url("/api/search", q="hjemløse", per_page=100))
                self.assertEqual(sorted(x["id"] for x in r.json()["results"]), sorted(HJEMLOESE))
                r = request(port, "GET", "/api/item/budget-2024-oekonomiudvalget-1")
                self.assertEqual(r.json()["nettobudget"], 50190100)
                r = request(port, "GET", "/api/sag/25-002103")
                self.assertEqual(len(r.json()["items"]), 3)
            finally:
                server.stop_and_check()

    def test_danish_locale(self):
        # Numbers and dates must not follow the locale (decimal comma, Danish month names).
        # The locale is compiled into the test's own directory (Debian's `locales` has
        # its source), so the machine's locale configuration is left alone.
        with tempfile.TemporaryDirectory(prefix="ks-server-") as tmp:
            locales = os.path.join(tmp, "locale")
            os.mkdir(locales)
            made = subprocess.run(["localedef", "-i", "da_DK", "-f", "UTF-8",
                                   os.path.join(locales, "da_DK.UTF-8")],
                                  capture_output=True, text=True)
            self.assertTrue(os.path.isdir(os.path.join(locales, "da_DK.UTF-8")), made.stderr)
            build_index(os.path.join(tmp, "index"), CORPUS)
            supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan-locale.supp")
            env = dict(os.environ, LC_ALL="da_DK.UTF-8", LANG="da_DK.UTF-8", LOCPATH=locales,
                       LSAN_OPTIONS=f"suppressions={supp}")
            server = Server([os.path.join(tmp, "index")], make_web(tmp), env=env)
            try:
                port = server.port
                h = request(port, "GET", "/healthz").json()
                self.assertEqual(h["documents"], 65)
                self.assertRegex(h["updated"], RFC3339)
                item = request(port, "GET", "/api/item/budget-2024-oekonomiudvalget-1").json()
                self.assertEqual(item["nettobudget"], 50190100)
                r = request(port, "GET", url("/api/search", q="hjemløse", sort="date_asc"))
                self.assertEqual([x["date"] for x in r.json()["results"]],
                                 ["2025-08-18", "2025-11-17", None])
            finally:
                server.stop_and_check()


class Basics(ServerCase):
    """healthz, headers, methods, HEAD, size limits, the access log, OpenSearch."""

    def test_healthz(self):
        r = self.get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.content_type, "application/json;charset=utf-8")
        body = r.json()
        self.assertEqual(body["status"], "ok")
        self.assertIs(type(body["documents"]), int)
        self.assertEqual(body["documents"], 65)
        self.assertRegex(body["updated"], RFC3339)
        updated = datetime.datetime.fromisoformat(body["updated"].replace("Z", "+00:00"))
        age = datetime.datetime.now(datetime.timezone.utc) - updated
        self.assertLess(abs(age.total_seconds()), 3600, "the index was built just now")

    def security_cases(self):
        item = "/api/item/direktionen-2025-11-17-6"
        return [
            ("GET", "/healthz", None), ("GET", url("/api/search", q="hjemløse"), None),
            ("GET", "/api/search?page=0", None), ("GET", "/api/sag/25-002103", None),
            ("GET", "/api/sag/99-999999", None), ("GET", "/api/sag/abc", None),
            ("GET", item, None), ("GET", "/api/item/nope", None),
            ("GET", "/api/search?format=csv", None), ("GET", "/feed", None),
            ("GET", "/opensearch.xml", None), ("GET", "/", None), ("GET", "/index.html", None),
            ("GET", "/sag/25-002103", None), ("GET", "/sag/99-999999", None),
            ("GET", "/sag/abc", None), ("GET", "/item/direktionen-2025-11-17-6", None),
            ("GET", "/item/nope", None), ("GET", "/style.css", None),
            ("GET", "/icon.png", None), ("GET", "/nope.css", None), ("POST", "/healthz", None),
            ("DELETE", "/", None), ("GET", "/healthz", b"body"), ("HEAD", "/healthz", None),
            ("GET", "/api/search?q=" + "a" * 9000, None),
        ]

    def test_security_headers_on_every_response(self):
        seen_html = 0
        for method, path, body in self.security_cases():
            r = request(self.port, method, path, body=body)
            self.assert_security_headers(r, f"{method} {path[:60]} -> {r.status}")
            seen_html += r.content_type.startswith("text/html")
        self.assertGreaterEqual(seen_html, 7, "the HTML pages and HTML errors were seen")

    def test_json_content_type(self):
        for path in ["/healthz", "/api/search", "/api/sag/25-002103",
                     "/api/item/direktionen-2025-11-17-6", "/api/search?sort=nope"]:
            r = self.get(path)
            self.assertEqual(r.content_type, "application/json;charset=utf-8", path)
            r.json()

    def test_other_methods_405(self):
        paths = ["/healthz", "/api/search?q=x", "/api/sag/25-002103",
                 "/api/item/direktionen-2025-11-17-6", "/feed", "/opensearch.xml", "/",
                 "/sag/25-002103", "/item/direktionen-2025-11-17-6", "/style.css"]
        for path in paths:
            for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"]:
                r = request(self.port, method, path)
                self.assertEqual(r.status, 405, f"{method} {path}: {r}")
                allow = {m.strip().upper() for m in (r.header("allow") or "").split(",")}
                self.assertEqual(allow, {"GET", "HEAD"}, f"{method} {path}: Allow")
        for path in ["/healthz", "/api/search?q=x"]:
            self.assert_error(request(self.port, "POST", path), 405)

    def test_head_like_get(self):
        paths = ["/healthz", url("/api/search", q="hjemløse"), "/api/sag/25-002103",
                 "/api/item/direktionen-2025-11-17-6", url("/feed", q="hjemløse"),
                 "/opensearch.xml", "/", "/sag/25-002103", "/item/direktionen-2025-11-17-6",
                 "/style.css", "/api/search?page=0", "/nope.css", "/sag/abc", "/api/sag/99-999999",
                 url("/api/search", q="hjemløse", format="csv")]
        for path in paths:
            got = raw_request(self.port, "GET", path)
            head = raw_request(self.port, "HEAD", path)
            self.assertIsNotNone(head, path)
            self.assertEqual(head.status, got.status, path)
            self.assertEqual(head.body, b"", f"HEAD {path} sent a body")
            self.assertTrue(got.body, f"GET {path} sent no body")
            for name in ["content-type", "x-content-type-options", "referrer-policy",
                         "content-security-policy", "content-disposition"]:
                self.assertEqual(head.header(name), got.header(name), f"{path}: {name}")
            if head.header("content-length") is not None:
                self.assertEqual(int(head.header("content-length")), len(got.body), path)

    def test_get_with_body_413(self):
        for path in ["/healthz", url("/api/search", q="hjemløse"), "/"]:
            r = request(self.port, "GET", path, body=b"x" * 100)
            self.assertEqual(r.status, 413, f"{path}: {r}")
        self.assert_error(request(self.port, "GET", "/api/search", body=b"q=x"), 413)
        self.assert_healthy()

    def test_long_url(self):
        # Just under the limit: fine (an unknown parameter carries the length).
        path = url("/api/search", q="hjemløse", pad="p" * 8000)
        self.assertLess(len(path), 8192)
        r = self.get(path)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["total"], 3)
        # Over 8192 bytes: 414 as a JSON error.
        r = self.get(url("/api/search", q="hjemløse", pad="p" * 9000))
        self.assert_error(r, 414)
        # 100 kB: any 4xx, or the connection closed; the server stays up.
        r = raw_request(self.port, "GET", "/api/search?q=" + "a" * 100_000)
        if r is not None:
            self.assertTrue(400 <= r.status < 500, r)
        self.assert_healthy()

    def test_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            for path in ["/healthz", "/api/search?q=chikane", "/style.css", "/api/sag/nope",
                         "/healthz"]:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                self.assertIn(r.status, (200, 400), path)
        finally:
            conn.close()

    def test_access_log(self):
        token = f"ks-log-probe-{os.getpid()}"
        cases = [("GET", "/healthz", 200), ("GET", f"/api/item/{token}", 404),
                 ("HEAD", f"/{token}.css", 404), ("POST", f"/{token}/post", 405),
                 ("GET", f"/api/search?page=0&{token}=1", 400)]
        for method, path, status in cases:
            self.assertEqual(request(self.port, method, path).status, status, path)
        for method, path, status in cases:
            bare = path.split("?")[0]

            def logged():
                for line in self.server.log_lines():
                    if re.search(rf"\b{method}\b", line) and re.search(rf"\b{status}\b", line) \
                            and bare in line and re.search(r"\d(\.\d+)?\s?ms\b", line):
                        return line
                return None
            self.assertTrue(wait_for(logged, 3),
                            f"no log line with {method} {bare} {status} and ms:\n"
                            f"{self.server.log()[-2000:]}")

    def test_opensearch(self):
        r = self.get("/opensearch.xml")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.content_type.startswith("application/opensearchdescription+xml"), r)
        root = ET.fromstring(r.body)
        self.assertTrue(root.tag.endswith("OpenSearchDescription"), root.tag)
        templates = [e.get("template", "") for e in root.iter() if e.tag.split("}")[-1] == "Url"]
        self.assertTrue(any("q={searchTerms}" in t for t in templates), templates)

    def test_unknown_api_route(self):
        r = self.get("/api/nope")
        self.assertEqual(r.status, 404, r)


class Search(ServerCase):
    """/api/search: parameters, query language, sorting, filters, facets, snippets."""

    def test_browse_all_newest_first(self):
        for params in [{}, {"q": ""}]:
            body = self.search(params)
            self.assertEqual(body["total"], 65)
            self.assertEqual((body["page"], body["per_page"]), (1, 20))
            self.assertEqual(body["query"], "")
            self.assertIsNone(body["suggestion"])
            self.assertEqual(len(body["results"]), 20)
        results = self.search(q="", per_page=100)["results"]
        self.assertEqual(len(results), 65)
        keys = [date_key(self.by_id[r["id"]], True) for r in results]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(results[0]["id"], "direktionen-2025-11-17-1")

    def test_results_match_the_records(self):
        results = self.search(q="", per_page=100)["results"]
        self.assertEqual(sorted(r["id"] for r in results), sorted(self.by_id))
        for r in results:
            self.assertEqual(set(r) - TOLERATED_EXTRA, RESULT_FIELDS, r["id"])
            self.assertEqual(r["url"], "/item/" + r["id"])
            self.assertIsInstance(r["snippet"], str)
            want = expected_result(self.by_id[r["id"]])
            self.assertEqual({k: r[k] for k in want}, want)

    def test_closed_items_show_what_the_minutes_print(self):
        body = self.search(lukket="true", per_page=100)
        self.assertEqual(body["total"], 29)
        for r in body["results"]:
            record = self.by_id[r["id"]]
            self.assertTrue(r["lukket"])
            self.assertEqual((r["snippet"], r["beslutning"]), ("", None), r["id"])
            self.assertEqual((r["title"], r["sagsnummer"], r["date"], r["type"], r["udvalg"],
                              r["punkt"]),
                             (record["title"], record["sagsnummer"], record["date"], "punkt",
                              "Direktionen", record["punkt"]))
        self.assertEqual(body["facets"]["udvalg"], {"Direktionen": 29},
                         "closed items count in the udvalg facet")

    def test_total_is_exact(self):
        for params, total in [({"q": ""}, 65), ({"q": "hjemløse"}, 3), ({"type": "budget"}, 17)]:
            body = self.search(params, per_page=1)
            self.assertEqual(body["total"], total, params)
            self.assertEqual(len(body["results"]), 1)

    def test_per_page(self):
        self.assertEqual(len(self.search(per_page=5)["results"]), 5)
        body = self.search(per_page=1000)
        self.assertEqual(body["per_page"], 100)
        self.assertEqual(len(body["results"]), 65)
        body = self.search(per_page=101, type="punkt")
        self.assertEqual((body["per_page"], len(body["results"])), (100, 48))
        for bad in ["0", "-1", "-100", "abc", "1.5", "5x", "%FF"]:
            path = "/api/search?per_page=" + bad
            self.assert_error(self.get(path), 400, "per_page")

    def test_page(self):
        params = {"type": "punkt", "sort": "date_asc"}
        everything = self.search(params, per_page=100)["results"]
        page2 = self.search(params, per_page=10, page=2)
        self.assertEqual((page2["page"], page2["per_page"], page2["total"]), (2, 10, 48))
        self.assertEqual([r["id"] for r in page2["results"]],
                         [r["id"] for r in everything[10:20]])
        last = self.search(params, per_page=10, page=5)["results"]
        self.assertEqual([r["id"] for r in last], [r["id"] for r in everything[40:]])
        beyond = self.search(params, per_page=100, page=100)
        self.assertEqual((beyond["results"], beyond["total"]), ([], 48))
        for bad in ["0", "-1", "abc", "1.5", "2x", "99999999999999999999999", "%FF"]:
            self.assert_error(self.get("/api/search?page=" + bad), 400, "page")
        for path in ["/api/search?per_page=100&page=102", "/api/search?page=502",
                     "/api/search?page=1000000"]:
            self.assert_error(self.get(path), 400, "page")

    def test_bad_parameters(self):
        cases = [
            ({"sort": "newest"}, "sort"), ({"sort": "DATE"}, "sort"), ({"sort": "date"}, "sort"),
            ({"type": "referat"}, "type"), ({"type": "punkt,budget"}, "type"),
            ({"sag": "foo"}, "sag"), ({"sag": "25-00210"}, "sag"), ({"sag": "25-0021033"}, "sag"),
            ({"sag": "2025-002103"}, "sag"), ({"sag": "25-002103KK"}, "sag"),
            ({"from": "2025-13-01"}, "from"), ({"from": "2023-02-29"}, "from"),
            ({"from": "2025-1-1"}, "from"), ({"from": "yesterday"}, "from"),
            ({"from": "2025-01-01T00:00"}, "from"), ({"to": "2025-00-10"}, "to"),
            ({"to": "20250101"}, "to"), ({"to": "2025-04-31"}, "to"),
            ({"lukket": "yes"}, "lukket"), ({"lukket": "1"}, "lukket"),
            ({"format": "xml"}, "format"), ({"format": "CSVX"}, "format"),
            ({"q": "hjemløse " * 120}, "q"), ({"year": "25"}, "year"),
            ({"year": "2025-01"}, "year"), ({"year": "tyve"}, "year"),
        ]
        for params, name in cases:
            self.assert_error(self.get("/api/search", params), 400, name)
        self.assertEqual(self.search({"from": "2024-02-29"})["total"], 37, "a leap day is valid")

    def test_invalid_utf8(self):
        for param in ["q", "udvalg", "beslutning", "sag", "sort", "type"]:
            for bad in ["%FF", "%C3%28", "%ED%A0%80", "%C0%AF", "%F4%90%80%80", "hj%E2%82"]:
                r = self.get(f"/api/search?{param}={bad}")
                self.assert_error(r, 400, param)

    def test_unknown_parameters_ignored(self):
        body = self.search(q="hjemløse", foo="bar", callback="evil", per_page=100)
        self.assertEqual(body["total"], 3)
        self.assertEqual(sorted(r["id"] for r in body["results"]), sorted(HJEMLOESE))

    def test_query_length(self):
        q = ("hjemløse " * 102).strip()
        self.assertLessEqual(len(q.encode()), 1024)
        body = self.search(q=q)
        self.assertEqual((body["total"], body["query"]), (3, q))
        self.assert_error(self.get("/api/search", q="x" * 1025), 400, "q")

    def test_query_echoed(self):
        self.assertEqual(self.search(q="hjemløse strategi")["query"], "hjemløse strategi")

    def test_stemming(self):
        self.assertEqual(sorted(self.ids("hjemløshed")), sorted(HJEMLOESE))
        self.assertEqual(sorted(self.ids("hjemløsheden")), sorted(HJEMLOESE))

    def test_query_language(self):
        cases = [
            ('"Ny vejledning fra KL om chikane"', ["direktionen-2023-11-06-5"]),
            # "strategi" is also a part of the compound "hjemløsestrategi".
            ("hjemløse AND strategi", HJEMLOESE[:2]),
            ("hjemløse strategi", HJEMLOESE[:2]),
            ("hjemløse NOT strategi", HJEMLOESE[2:]),
            ("hjemløse -strategi", HJEMLOESE[2:]),
            ("titel:hjemløsestrategi", ["direktionen-2025-11-17-6"]),
            ("sag:25-002103", ["direktionen-2025-11-17-2", "direktionen-2025-11-17-3",
                               "direktionen-2025-11-17-10"]),
            ("hjemløse 2025-10-01..2025-12-31", ["direktionen-2025-11-17-6"]),
        ]
        for q, want in cases:
            self.assertEqual(sorted(self.ids(q)), sorted(want), q)
        self.assertEqual(sorted(self.ids("hjemløse OR beredskabspolitik")),
                         sorted(HJEMLOESE + ["direktionen-2025-08-18-2"]))
        self.assertLessEqual(set(HJEMLOESE), set(self.ids("hjemløs*")))
        # "beslutning:" searches the Beslutning section: "Anbefales." seven
        # times and "Direktionen anbefaler, at …" once.
        for q, total in [("udvalg:økonomiudvalget", 17), ("udvalg:direktionen", 48),
                         ("beslutning:anbefales", 8),
                         ("type:budget", 17), ("år:2023", 11), ("2025-08-01..2025-09-30", 12),
                         ("2023-01-01..2023-12-31", 11), ("2025-01-01..2025-06-30", 0)]:
            self.assertEqual(self.total(q), total, q)
        for r in self.search(q="2025-08-01..2025-09-30", per_page=100)["results"]:
            self.assertEqual(r["date"], "2025-08-18")

    def test_case_number_query(self):
        for q, sag, n in [("25-002103", "25-002103", 3), ("21-046835k", "21-046835K", 1),
                          ("21-046835K", "21-046835K", 1), ("23-001310", "23-001310", 2),
                          ("25-008999", "25-008999", 2)]:
            body = self.search(q=q)
            self.assertGreaterEqual(body["total"], n, q)
            self.assertEqual([r["sagsnummer"] for r in body["results"][:n]], [sag] * n, q)

    def test_malformed_queries_answered(self):
        for q in ['"unbalanced', "AND", "OR OR", "(", ")", "-", "*", "NOT", "hjemløse AND",
                  "OR hjemløse", '""', "titel:", "sag:", "år:", "..", "2025-99-99..2025-01-01",
                  "a..b", "((((hjemløse", "+", "~", "NEAR", "hjemløse NEAR/3 strategi", "\\",
                  "*" * 50, "-" * 50, ":::", "år:abc", "sag:nope", "type:nope", "^", "'",
                  "hjem\u00adløse", "\u200b", "\U0001F600"]:
            body = self.search(q=q)
            self.assertIsInstance(body["total"], int, q)
            self.assertIsInstance(body["results"], list, q)
            self.assertEqual(body["query"], q)

    def test_sort(self):
        for sort, descending in [("date_desc", True), ("date_asc", False)]:
            results = self.search(q="", sort=sort, per_page=100)["results"]
            keys = [date_key(self.by_id[r["id"]], descending) for r in results]
            self.assertEqual(keys, sorted(keys), sort)
            self.assertEqual([r["date"] for r in results[-17:]], [None] * 17, "undated last")
        self.assertEqual(self.ids("hjemløse", sort="date_asc"),
                         ["direktionen-2025-08-18-5", "direktionen-2025-11-17-6",
                          "budget-2024-oekonomiudvalget-13"])
        self.assertEqual(self.ids("hjemløse", sort="date_desc"), HJEMLOESE)
        self.assertEqual(self.ids("hjemløsestrategi", sort="relevance")[0],
                         "direktionen-2025-11-17-6")
        # An empty query in relevance order is the same as newest first.
        self.assertEqual(self.ids("", type="punkt"), self.ids("", type="punkt", sort="date_desc"))
        # By nettobudget, largest or smallest first; agenda items (none) last.
        budgets = {r["id"]: r["nettobudget"] for r in self.records if r["type"] == "budget"}
        for sort, descending in [("nettobudget_desc", True), ("nettobudget_asc", False)]:
            results = self.search(q="", sort=sort, per_page=100)["results"]
            self.assertEqual(len(results), 65, sort)
            amounts = [budgets[r["id"]] for r in results[:17]]
            self.assertEqual(amounts, sorted(amounts, reverse=descending), sort)
            self.assertEqual({r["type"] for r in results[17:]}, {"punkt"}, sort)
        self.assertEqual(self.ids("demografipulje", sort="nettobudget_desc"),
                         ["budget-2024-oekonomiudvalget-12", "budget-2024-oekonomiudvalget-14",
                          "budget-2024-oekonomiudvalget-4", "direktionen-2023-11-06-7"])

    def test_nettobudget_range(self):
        for q, want in [("nettobudget:100000000..", {"budget-2024-oekonomiudvalget-17"}),
                        ("nettobudget:..2.500.000", {"budget-2024-oekonomiudvalget-13"}),
                        ("demografipulje nettobudget:9000000..10000000",
                         {"budget-2024-oekonomiudvalget-12", "budget-2024-oekonomiudvalget-14"})]:
            self.assertEqual(set(self.ids(q)), want, q)
        over = {r["id"] for r in self.records if (r["nettobudget"] or 0) >= 10_000_000}
        self.assertEqual(set(self.ids("nettobudget:10000000..")), over)
        self.assertEqual(len(over), 11)

    def test_filters(self):
        cases = [
            ({"type": "budget"}, 17, lambda r: r["type"] == "budget"),
            ({"type": "punkt"}, 48, lambda r: r["type"] == "punkt"),
            ({"lukket": "true"}, 29, lambda r: r["lukket"]),
            ({"lukket": "false"}, 36, lambda r: not r["lukket"]),
            ({"udvalg": "Økonomiudvalget"}, 17, lambda r: r["udvalg"] == "Økonomiudvalget"),
            ({"udvalg": "Direktionen", "lukket": "true"}, 29,
             lambda r: r["udvalg"] == "Direktionen" and r["lukket"]),
            ({"beslutning": "Anbefales"}, 8, lambda r: True),
            ({"sag": "25-002103"}, 3, lambda r: r["sagsnummer"] == "25-002103"),
            ({"sag": "21-046835k"}, 1, lambda r: r["sagsnummer"] == "21-046835K"),
            ({"from": "2025-08-18", "to": "2025-08-18"}, 12, lambda r: r["date"] == "2025-08-18"),
            ({"from": "2025-08-19", "to": "2025-10-06"}, 11, lambda r: r["date"] == "2025-10-06"),
            ({"from": "2025-10-07"}, 14, lambda r: r["date"] == "2025-11-17"),
            ({"to": "2023-12-31"}, 11, lambda r: r["date"] == "2023-11-06"),
            ({"year": "2024"}, 17, lambda r: r["type"] == "budget"),
            ({"year": "2025", "lukket": "false"}, 14, lambda r: r["date"] >= "2025-01-01"),
            ({"year": "1999"}, 0, lambda r: False),
            ({"q": "hjemløse", "type": "punkt"}, 2, lambda r: r["id"] in HJEMLOESE),
            ({"q": "hjemløse", "lukket": "true"}, 0, lambda r: False),
            ({"type": "punkt", "lukket": "false", "from": "2025-01-01"}, 14,
             lambda r: r["date"] >= "2025-01-01" and not r["lukket"]),
        ]
        for params, total, check in cases:
            body = self.search(params, per_page=100)
            self.assertEqual(body["total"], total, params)
            self.assertEqual(len(body["results"]), total, params)
            for r in body["results"]:
                self.assertTrue(check(r), f"{params}: {r}")
        # The decision normalised from its text: "Anbefales." and "Direktionen
        # anbefaler, at …".
        anbefales = {r["id"] for r in self.records
                     if "anbefal" in r["sections"].get("beslutning", "").lower()}
        self.assertEqual(len(anbefales), 8)
        self.assertEqual(set(self.ids("", beslutning="Anbefales")), anbefales)

    def test_result_beslutning(self):
        # Each result carries its decision (the Beslutning section), null when
        # it has none, and always null for a closed item.
        by_id = {r["id"]: r for r in self.records}
        results = self.search(q="", per_page=100)["results"]
        self.assertEqual(len(results), 65)
        for r in results:
            expected = None if r["lukket"] else by_id[r["id"]]["sections"].get("beslutning")
            self.assertEqual(r["beslutning"], expected, r["id"])
        self.assertIn("Anbefales.", [r["beslutning"] for r in results])

    def test_facets(self):
        facets = self.search(q="")["facets"]
        self.assertEqual(set(facets), {"type", "udvalg", "year", "beslutning"})
        self.assertEqual(facets["type"], {"punkt": 48, "budget": 17})
        # Closed items count under their meeting's committee too.
        self.assertEqual(facets["udvalg"], {"Direktionen": 48, "Økonomiudvalget": 17})
        self.assertEqual(facets["beslutning"], {"Anbefales": 8, "Drøftet": 3,
                                                "Ingen bemærkninger": 3,
                                                "Taget til efterretning": 3})
        self.assertEqual(set(facets["year"]), {"2023", "2024", "2025"})
        self.assertEqual(self.search(lukket="false")["facets"]["year"],
                         {"2023": 5, "2024": 17, "2025": 14})
        # Over the whole match set, whatever the page.
        self.assertEqual(self.search(q="", per_page=1, page=7)["facets"], facets)
        body = self.search(q="hjemløse")
        self.assertEqual(body["facets"]["type"], {"punkt": 2, "budget": 1})
        # Exact up to 100,000 matches (KS_FACETS_EXACT; past it, test-xapian.c).
        self.assertIs(body["facets_estimated"], False)
        self.assertIs(self.search(q="")["facets_estimated"], False)
        for params in [{"q": "hjemløse"}, {"q": "anbefales"}, {"lukket": "true"},
                       {"from": "2025-01-01"}]:
            body = self.search(params)
            self.assertEqual(sum(body["facets"]["type"].values()), body["total"], params)
        self.assertEqual(self.search(q="zzzqqq")["facets"]["type"], {})

    def test_snippets(self):
        results = self.search(q="hjemløse", per_page=100)["results"]
        self.assertEqual(len(results), 3)
        for r in results:
            self.assertRegex(r["snippet"], r"(?i)<mark>hjemløs", r["id"])
            plain = re.sub(r"</?mark>", "", r["snippet"])
            self.assertNotRegex(plain, r"[<>]", r["id"])
            self.assertNotRegex(plain, r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+|apos);)", r["id"])
        for r in self.search(q="skriftligt spor")["results"]:
            self.assertNotRegex(re.sub(r"</?mark>", "", r["snippet"]), r"[<>]")

    def test_markup_in_query_not_reflected(self):
        for payload in PAYLOADS + ["hjemløse " + PAYLOADS[0]]:
            with self.subTest(q=payload):
                r = self.get("/api/search", q=payload)
                self.assertEqual(r.status, 200, r)
                for s in strings(r.json()["results"]):
                    self.assertNotIn("<script", s.lower())
                self.assert_not_reflected(r, payload)

    def test_suggestion(self):
        for wrong, right in [("hjemløsestrategii", "hjemløsestrategi"),
                             ("beredskabspolitk", "beredskabspolitik"),
                             ("sundhedsrefromen", "sundhedsreformen")]:
            suggestion = self.search(q=wrong)["suggestion"]
            self.assertIsInstance(suggestion, str, wrong)
            self.assertIn(right, suggestion, wrong)
        for right in ["hjemløsestrategi", "beredskabspolitik", "hjemløse strategi"]:
            self.assertIsNone(self.search(q=right)["suggestion"], right)


class Export(ServerCase):
    """format=csv and the Atom feed."""

    def csv(self, params=None, **kw):
        r = self.get("/api/search", dict(params or {}, format="csv", **kw))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/csv;charset=utf-8", r)
        self.assertIn("attachment", (r.header("content-disposition") or "").lower())
        text = r.body.decode("utf-8")
        self.assertTrue(text.startswith(CSV_HEADER + "\r\n"), text[:200])
        self.assertTrue(text.endswith("\r\n"))
        self.assertEqual(text.count("\n"), text.count("\r\n"), "CRLF line ends")
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        self.assertEqual(rows[0], CSV_HEADER.split(","))
        return r.body, [dict(zip(rows[0], row)) for row in rows[1:]]

    def assert_rows_match(self, rows, results):
        self.assertEqual([row["id"] for row in rows], [r["id"] for r in results])
        for row, r in zip(rows, results):
            for field in CSV_HEADER.split(","):
                self.assertEqual(row[field], csv_value(r[field]), f"{r['id']} {field}")

    def test_csv_every_hit(self):
        for params in [{"type": "punkt", "sort": "date_asc"}, {"q": "hjemløse"},
                       {"type": "budget"}, {"lukket": "true", "sort": "date_desc"}]:
            _, rows = self.csv(params)
            results = self.search(params, per_page=100)["results"]
            self.assert_rows_match(rows, results)
        body, rows = self.csv()
        self.assertEqual(len(rows), 65)
        self.assertEqual(sorted(row["id"] for row in rows), sorted(self.by_id))
        self.assertIn(b'"Ledelse, Jura og Kommunikation"', body, "a comma is quoted")

    def test_csv_values(self):
        _, rows = self.csv()
        by_id = {row["id"]: row for row in rows}
        budget = by_id["budget-2024-oekonomiudvalget-1"]
        self.assertEqual((budget["type"], budget["sagsnummer"], budget["date"], budget["punkt"],
                          budget["lukket"], budget["udvalg"], budget["title"]),
                         ("budget", "", "", "", "false", "Økonomiudvalget", "Jobcenter"))
        closed = by_id["direktionen-2025-08-18-7"]
        self.assertEqual((closed["lukket"], closed["udvalg"], closed["punkt"],
                          closed["sagsnummer"], closed["url"]),
                         ("true", "Direktionen", "7", "21-046835K",
                          "/item/direktionen-2025-08-18-7"))
        open_ = by_id["direktionen-2025-11-17-6"]
        self.assertEqual((open_["lukket"], open_["udvalg"], open_["punkt"], open_["date"]),
                         ("false", "Direktionen", "6", "2025-11-17"))
        self.assertEqual({row["lukket"] for row in rows}, {"true", "false"})

    def test_csv_not_paged(self):
        _, rows = self.csv(per_page=5, page=2)
        self.assertEqual(len(rows), 65)

    def test_csv_bad_parameters(self):
        for params in [{"sort": "x"}, {"type": "x"}, {"from": "2025-02-30"}, {"q": "%FF"}]:
            r = self.get("/api/search?format=csv&" + "&".join(
                f"{k}={v}" for k, v in params.items()))
            self.assertEqual(r.status, 400, f"{params}: {r}")

    def feed(self, params=None, **kw):
        r = self.get("/feed", params, **kw)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "application/atom+xml;charset=utf-8", r)
        root = ET.fromstring(r.body)
        self.assertEqual(root.tag, ATOM + "feed")
        for name in ["title", "id", "updated"]:
            self.assertIsNotNone(root.find(ATOM + name), f"feed {name}")
        self.assertRegex(root.find(ATOM + "updated").text, RFC3339)
        ids = []
        for entry in root.findall(ATOM + "entry"):
            for name in ["title", "id", "updated"]:
                e = entry.find(ATOM + name)
                self.assertIsNotNone(e, f"entry {name}")
                self.assertTrue((e.text or "").strip(), f"entry {name}")
            self.assertRegex(entry.find(ATOM + "updated").text, RFC3339)
            hrefs = [link.get("href", "") for link in entry.findall(ATOM + "link")]
            items = [h.split("/item/")[-1] for h in hrefs if "/item/" in h]
            self.assertEqual(len(items), 1, hrefs)
            self.assertIn(items[0], self.by_id)
            ids.append(items[0])
        return r, root, ids

    def test_feed_newest_first(self):
        _, root, ids = self.feed()
        self.assertEqual(len(ids), 50, "at most 50 entries")
        newest = [r["id"] for r in self.search(q="", sort="date_desc", per_page=100)["results"]]
        self.assertEqual(ids[:48], newest[:48])
        entry = root.findall(ATOM + "entry")[ids.index("direktionen-2025-11-17-6")]
        self.assertEqual(entry.find(ATOM + "title").text, "Beslutning om hjemløsestrategi")

    def test_feed_query_and_filters(self):
        self.assertEqual(self.feed(q="hjemløse")[2], HJEMLOESE)
        self.assertEqual(self.feed(q="hjemløse", type="budget")[2], HJEMLOESE[2:])
        self.assertEqual(self.feed(q="zzzqqq")[2], [])
        closed = self.feed(lukket="true")[2]
        self.assertEqual(len(closed), 29)
        self.assertTrue(all(self.by_id[i]["lukket"] for i in closed))

    def test_feed_markup_escaped(self):
        for payload in PAYLOADS:
            r, root, _ = self.feed(q=payload)
            self.assert_not_reflected(r, payload)
            for e in root.iter():
                self.assertNotIn(e.tag.split("}")[-1].lower(), {"script", "img", "svg"})

    def test_feed_bad_parameters(self):
        for path in ["/feed?type=x", "/feed?from=2025-13-01", "/feed?q=%FF", "/feed?sort=x",
                     "/feed?lukket=maybe", "/feed?sag=nope", "/feed?q=" + "x" * 1100]:
            self.assertEqual(self.get(path).status, 400, path)


class Pages(ServerCase):
    """/api/sag, /api/item, the HTML pages and static files."""

    def expected_item(self, record):
        want = {k: v for k, v in record.items() if k not in TOLERATED_EXTRA}
        want["pdf"] = None  # text documents, and no --pdf-dir
        if record["lukket"]:
            # The dump of a closed item already holds none of its text.
            self.assertEqual((record["sections"], record["behandling"], record["bilag"],
                              record["text"]), ({}, [], [], ""), record["id"])
            want.update(beslutning=None, page=None)
        return want

    def assert_item(self, item, record):
        self.assertEqual(set(item) - TOLERATED_EXTRA, ITEM_FIELDS, record["id"])
        want = self.expected_item(record)
        self.assertEqual({k: item[k] for k in want}, want)

    def test_api_sag(self):
        cases = [
            ("25-002103", "25-002103", ["direktionen-2025-11-17-2", "direktionen-2025-11-17-3",
                                        "direktionen-2025-11-17-10"]),
            ("25-008999", "25-008999", ["direktionen-2025-08-18-5", "direktionen-2025-11-17-6"]),
            ("23-004790", "23-004790", ["direktionen-2023-11-06-5", "direktionen-2025-08-18-8"]),
            ("23-001310", "23-001310", ["direktionen-2023-11-06-3", "direktionen-2023-11-06-4"]),
            ("21-046835k", "21-046835K", ["direktionen-2025-08-18-7"]),
            ("21-046835K", "21-046835K", ["direktionen-2025-08-18-7"]),
        ]
        for nr, normalised, ids in cases:
            r = self.get("/api/sag/" + nr)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.content_type, "application/json;charset=utf-8")
            body = r.json()
            self.assertEqual(body["sagsnummer"], normalised)
            self.assertEqual([i["id"] for i in body["items"]], ids, nr)
            for item in body["items"]:
                self.assert_item(item, self.by_id[item["id"]])

    def test_api_sag_errors(self):
        self.assert_error(self.get("/api/sag/99-999999"), 404)
        self.assert_error(self.get("/api/sag/25-002104"), 404)
        for bad in ["abc", "25-00210", "25-0021033", "25-002103KK", "2025-002103", "25_002103",
                    "25-002103%20", "%FF", "25-00210%C3%B8", "-", "25-002103-", "%2025-002103"]:
            self.assert_error(self.get("/api/sag/" + bad), 400)

    def test_api_item(self):
        for record in self.records:
            r = self.get("/api/item/" + record["id"])
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.content_type, "application/json;charset=utf-8")
            self.assert_item(r.json(), record)

    def test_api_item_closed(self):
        item = self.get("/api/item/direktionen-2025-08-18-7").json()
        self.assertEqual((item["title"], item["sagsnummer"], item["date"], item["lukket"]),
                         ("Forlængelse af forsikringsaftale", "21-046835K", "2025-08-18", True))
        self.assertEqual((item["sections"], item["behandling"], item["bilag"], item["text"],
                          item["nettobudget"], item["beslutning"], item["page"], item["pdf"]),
                         ({}, [], [], "", None, None, None, None))
        # What the published minutes print of it: committee, number, meeting.
        self.assertEqual((item["udvalg"], item["punkt"], item["source"]),
                         ("Direktionen", 7, "direktionen-2025-08-18.md"))
        self.assertEqual((item["meeting"]["title"], item["meeting"]["date"],
                          item["meeting"]["time"]),
                         ("REFERAT Direktionen d. 18-08-2025", "2025-08-18", "12:30"))

    def test_api_item_errors(self):
        self.assert_error(self.get("/api/item/nope-1"), 404)
        self.assert_error(self.get("/api/item/direktionen-2025-11-17-99"), 404)
        for bad in ["DIREKTIONEN-2025-11-17-6", "direktionen-2025-11-17-6%20", "a%20b", "..",
                    "%2e%2e", "..%2f..%2fsecret.txt", "direktionen-2025-11-17-6.", "%FF",
                    "%3Cscript%3E", "direktionen_2025"]:
            r = self.get("/api/item/" + bad)
            self.assertIn(r.status, (400, 404), f"{bad}: {r}")
            self.assert_not_reflected(r, bad)

    def test_index_page(self):
        for path in ["/", "/?q=hjeml%C3%B8se", "/index.html"]:
            r = self.get(path)
            self.assert_html(r, 200)
            self.assertEqual(r.body, WEB_FILES["index.html"], path)

    def test_sag_page(self):
        for nr in ["25-002103", "21-046835k", "21-046835K", "23-004790"]:
            r = self.get("/sag/" + nr)
            self.assert_html(r, 200)
            self.assertEqual(r.body, WEB_FILES["sag.html"], nr)
        self.assert_html(self.get("/sag/99-999999"), 404)
        for bad in ["abc", "25-00210", "25-002103KK", "2025-002103", "%FF"]:
            self.assert_html(self.get("/sag/" + bad), 400)
        for payload in PAYLOADS:
            r = self.get("/sag/" + urllib.parse.quote(payload, safe=""))
            self.assertTrue(400 <= r.status < 500, r)
            self.assertTrue(r.content_type.startswith("text/html"), r)
            self.assert_not_reflected(r, payload)

    def test_item_page(self):
        for record in self.records[:5] + self.records[-5:]:
            r = self.get("/item/" + record["id"])
            self.assert_html(r, 200)
            self.assertEqual(r.body, WEB_FILES["item.html"])
        self.assert_html(self.get("/item/nope-1"), 404)
        for path in [urllib.parse.quote(p, safe="") for p in PAYLOADS] + ["%FF"]:
            r = self.get("/item/" + path)
            self.assertTrue(400 <= r.status < 500, r)
            self.assertTrue(r.content_type.startswith("text/html"), r)
            self.assert_not_reflected(r, path)

    def test_static_files(self):
        for path, types in CONTENT_TYPES.items():
            r = self.get(path)
            self.assertEqual(r.status, 200, f"{path}: {r}")
            self.assertEqual(r.body, WEB_FILES[urllib.parse.unquote(path)[1:]], path)
            ct = r.content_type.split(";")[0]
            self.assertIn(ct, types, path)

    def test_missing_static_files(self):
        for path in ["/nope.css", "/nope.html", "/sub/nope.js", "/nope/", "/index.html/x",
                     "/style.css.bak"]:
            r = self.get(path)
            self.assertEqual(r.status, 404, f"{path}: {r}")

    @unittest.skipUnless(WEB and os.path.exists(os.path.join(WEB, "index.html")),
                         "web/ has no front end yet")
    def test_real_front_end(self):
        server = Server([self.db], WEB)
        try:
            r = request(server.port, "GET", "/")
            self.assert_html(r, 200)
            with open(os.path.join(WEB, "index.html"), "rb") as f:
                self.assertEqual(r.body, f.read())
            self.assert_security_headers(r, "real /")
            for name in sorted(os.listdir(WEB)):
                if name.split(".")[-1] not in {"html", "css", "js", "svg", "png", "xml"}:
                    continue
                r = request(server.port, "GET", "/" + urllib.parse.quote(name))
                self.assertEqual(r.status, 200, name)
                with open(os.path.join(WEB, name), "rb") as f:
                    self.assertEqual(r.body, f.read(), name)
        finally:
            server.stop_and_check()


class Special(ServerCase):
    """A copy of the corpus with hidden text under a closed item and markup in an open one."""

    HIDDEN = ["zebraflodhest", "giraffkrokodille", "okapiudvalget", "pelikanmuldvarp",
              "hemmelig"]
    TITLE = 'Ny leder <b>&amp;</b> "chef", igen'

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        path = os.path.join(docs, "direktionen-2025-11-17.txt")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        closed = "Punkt 2: Lukket: Orientering om sundhedsreformen\n\n25-002103\n\n"
        assert closed in text and "Punkt 3: Ny leder\n" in text
        text = text.replace(closed, closed + (
            "Beslutning\n\nHemmeligholdt zebraflodhest.\n\nSagsfremstilling\n\n"
            "Hemmelig tekst om giraffkrokodille.\n\nBehandling\n\nDirektionen, Okapiudvalget.\n\n"
            "Bilag\n\nBilag om pelikanmuldvarp\n\n"))
        text = text.replace("Punkt 3: Ny leder\n", f"Punkt 3: {cls.TITLE}\n")
        text = text.replace("Helena Holm er startet som ny overtandlæge.",
                            'Helena Holm er startet som ny overtandlæge <script>alert("ks")'
                            "</script> & <i>tandfe</i>.")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return docs

    def assert_hidden(self, r, what):
        self.assertEqual(r.status, 200, f"{what}: {r}")
        low = r.body.decode("utf-8").lower()
        for word in self.HIDDEN:
            self.assertNotIn(word, low, what)

    def test_fixture(self):
        closed = self.by_id["direktionen-2025-11-17-2"]
        self.assertTrue(closed["lukket"])
        self.assertEqual(self.by_id["direktionen-2025-11-17-3"]["title"], self.TITLE)
        self.assertEqual(len(self.records), 65)

    def test_hidden_words_not_found(self):
        for word in self.HIDDEN + ["hemmeligholdt"]:
            self.assertEqual(self.total(word), 0, word)
            self.assertEqual(self.total(f"beslutning:{word}"), 0, word)
            r = self.get("/api/search", q=word, format="csv")
            self.assertEqual(r.body.decode("utf-8"), CSV_HEADER + "\r\n", word)
            r = self.get("/feed", q=word)
            self.assertEqual(ET.fromstring(r.body).findall(ATOM + "entry"), [], word)
        self.assertEqual(self.total("", beslutning="Hemmeligholdt zebraflodhest"), 0)
        self.assertEqual(self.total("", beslutning="Hemmeligholdt"), 0)

    def test_hidden_text_never_shown(self):
        for path in ["/api/item/direktionen-2025-11-17-2", "/api/sag/25-002103",
                     url("/api/search", q="", per_page=100),
                     url("/api/search", q="sundhedsreformen", per_page=100),
                     url("/api/search", lukket="true", per_page=100),
                     url("/api/search", q="", format="csv"), "/feed", "/feed?lukket=true",
                     url("/feed", q="sundhedsreformen")]:
            self.assert_hidden(self.get(path), path)
        body = self.search(q="sundhedsreformen")
        closed = [r for r in body["results"] if r["id"] == "direktionen-2025-11-17-2"]
        self.assertEqual(len(closed), 1, "the closed item is found by its title")
        self.assertEqual(closed[0]["snippet"], "")
        facets = self.search(q="")["facets"]
        self.assertNotIn("hemmelig", " ".join(facets["beslutning"]).lower())

    def test_no_suggestion_from_hidden_words(self):
        for wrong in ["zebraflodhestt", "giraffkrokodile", "pelikanmuldvarpp"]:
            suggestion = self.search(q=wrong)["suggestion"] or ""
            self.assertNotIn(wrong[:8], suggestion.lower(), wrong)

    def test_snippet_escapes_markup(self):
        body = self.search(q="overtandlæge")
        self.assertEqual([r["id"] for r in body["results"]], ["direktionen-2025-11-17-3"])
        snippet = body["results"][0]["snippet"]
        self.assertIn("<mark>overtandlæge</mark>", snippet.lower())
        self.assertIn("&lt;script&gt;", snippet)
        plain = re.sub(r"</?mark>", "", snippet)
        self.assertNotRegex(plain, r"[<>]")
        self.assertEqual(body["results"][0]["title"], self.TITLE, "JSON carries the data as is")

    def test_item_keeps_data(self):
        item = self.get("/api/item/direktionen-2025-11-17-3").json()
        self.assertEqual(item["title"], self.TITLE)
        self.assertIn('<script>alert("ks")</script>', item["text"])

    def test_csv_quoting(self):
        r = self.get("/api/search", q="overtandlæge", format="csv")
        self.assertEqual(r.status, 200)
        self.assertIn(b'"Ny leder <b>&amp;</b> ""chef"", igen"', r.body)
        rows = list(csv.reader(io.StringIO(r.body.decode("utf-8"), newline="")))
        self.assertEqual(rows[1][2], self.TITLE)

    def test_feed_escaping(self):
        r = self.get("/feed", q="overtandlæge")
        self.assertEqual(r.status, 200)
        root = ET.fromstring(r.body)
        entries = root.findall(ATOM + "entry")
        self.assertEqual(len(entries), 1)
        title = entries[0].find(ATOM + "title")
        text = "".join(title.itertext())
        if title.get("type") == "html":
            text = html.unescape(text)
        self.assertEqual(text, self.TITLE)
        for e in root.iter():
            self.assertNotIn(e.tag, {ATOM + "script", ATOM + "b", ATOM + "i"})
        self.assertNotIn(b"<script", r.body.lower())


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
            r = raw_request(self.port, "GET", path)
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


class Rebuild(ServerCase):
    """The index is rebuilt under load; SIGHUP; SIGTERM with a request in flight."""

    FILE = "direktionen-2025-11-17.txt"
    GONE = "direktionen-2023-11-06.txt"
    NEW_ITEM = ("\n\nPunkt 15: Nyt punkt om kænguruhop\n\n25-099999\n\n"
                "Beslutning\n\nAnbefales.\n\n"
                "Sagsfremstilling\n\nTekst om kænguruhop og vombatvej.\n")

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        return docs

    def reindex(self):
        p = run_index("--quiet", "--db", self.db, self.docs)
        self.assertEqual(p.returncode, 0, p.stderr)

    def documents(self):
        return self.get("/healthz").json()["documents"]

    def rewrite(self, text, bump):
        path = os.path.join(self.docs, self.FILE)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        t = time.time() + bump
        os.utime(path, (t, t))

    def test_rebuild_under_load(self):
        with open(os.path.join(CORPUS, self.FILE), encoding="utf-8") as f:
            original = f.read()
        old_title = "Punkt 6: Beslutning om hjemløsestrategi\n"
        self.assertIn(old_title, original)
        stop = threading.Event()
        failures, done = [], [0]
        lock = threading.Lock()

        def client(n):
            queries = [{"q": "hjemløse"}, {"q": ""}, {"q": "chikane", "sort": "date_asc"},
                       {"q": "25-002103"}, {"q": "planx", "format": "csv"}, {"type": "budget"}]
            deadline = time.monotonic() + 120
            i = n
            while not stop.is_set() and time.monotonic() < deadline:
                params = queries[i % len(queries)]
                i += 1
                try:
                    r = request(self.port, "GET", url("/api/search", params))
                    if r.status == 503 and r.header("retry-after") and "format" in params:
                        # An export while another is being made (one export
                        # slot per two search threads): try again, as told.
                        time.sleep(0.05)
                        continue
                    ok = r.status == 200 and (params.get("format") == "csv" or
                                              isinstance(r.json()["total"], int))
                    if not ok:
                        with lock:
                            failures.append((params, r.status, r.body[:200]))
                except Exception as e:  # a refused or broken request is a failure too
                    with lock:
                        failures.append((params, repr(e)))
                with lock:
                    done[0] += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.5)
            # A title changed several times, and an item added: each becomes visible.
            words = ["flamingoplan", "pingvinplanen", "pelikanplanerne", "tukanplanlægning",
                     "ibisplanlæggerne"]
            for n, word in enumerate(words):
                text = original.replace(old_title, f"Punkt 6: Beslutning om {word}\n")
                if n >= 2:
                    text += self.NEW_ITEM
                self.rewrite(text, n + 1)
                self.reindex()
                if n % 2:
                    self.server.send(signal.SIGHUP)
                self.assertTrue(wait_for(lambda: self.ids(word) == ["direktionen-2025-11-17-6"]),
                                f"'{word}' visible without a restart")
                if n:
                    self.assertEqual(self.total(words[n - 1]), 0, words[n - 1])
            self.assertEqual(self.documents(), 66)
            r = self.get("/api/item/direktionen-2025-11-17-15")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["title"], "Nyt punkt om kænguruhop")
            self.assertEqual(self.ids("vombatvej"), ["direktionen-2025-11-17-15"])
            self.assertEqual(self.get("/api/sag/25-099999").status, 200)
            # A file removed: its items go.
            os.remove(os.path.join(self.docs, self.GONE))
            self.reindex()
            self.assertTrue(wait_for(lambda: self.documents() == 55), "55 documents")
            self.assertEqual(self.total('"Ny vejledning fra KL om chikane"'), 0)
            self.assertEqual(self.get("/api/item/direktionen-2023-11-06-5").status, 404)
            self.assertEqual(self.get("/api/sag/23-001310").status, 404)
            self.assertEqual(self.search(q="")["facets"]["year"].get("2023"), None)
            # And back.
            shutil.copy(os.path.join(CORPUS, self.GONE), self.docs)
            self.reindex()
            self.assertTrue(wait_for(lambda: self.documents() == 66), "66 documents")
            self.assertEqual(self.total('"Ny vejledning fra KL om chikane"'), 1)
            time.sleep(0.5)
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        self.assertEqual(failures, [])
        self.assertGreater(done[0], 30, "the clients ran")
        self.assertTrue(self.server.alive())

    def test_sighup_keeps_serving(self):
        before = self.documents()
        for _ in range(5):
            self.server.send(signal.SIGHUP)
            time.sleep(0.1)
            self.assertTrue(self.server.alive())
            self.assert_healthy()
            self.assertEqual(self.documents(), before)
            self.assertEqual(self.search(q="")["total"], before)

    def test_signal_completes_request_in_flight(self):
        # SIGTERM (systemd) and SIGINT (Ctrl-C) alike: a request that has begun to
        # arrive when the signal comes is still answered, then the server exits 0.
        for sig in (signal.SIGTERM, signal.SIGINT):
            with self.subTest(signal=sig.name):
                server = Server([self.db], self.web)
                try:
                    with socket.create_connection(("127.0.0.1", server.port),
                                                  timeout=TIMEOUT) as s:
                        s.sendall(b"GET /api/search?q=hjeml%C3%B8se HTTP/1.1\r\n"
                                  b"Host: 127.0.0.1\r\nConnection: close\r\n")
                        time.sleep(0.3)
                        server.send(sig)
                        time.sleep(0.3)
                        s.sendall(b"\r\n")
                        r = read_until_closed(s)
                    self.assertIsNotNone(r, "the request in flight was dropped")
                    self.assertEqual(r.status, 200, r)
                    self.assertEqual(r.json()["total"], 3)
                    self.assertEqual(server.proc.wait(timeout=30), 0, server.log()[-2000:])
                finally:
                    server.kill()

    def test_sigterm_under_load(self):
        # Requests racing SIGTERM are answered completely or refused, never cut off.
        server = Server([self.db], self.web)
        broken = []
        stop = threading.Event()

        def client():
            while not stop.is_set():
                try:
                    r = request(server.port, "GET", url("/api/search", q="", per_page=100),
                                timeout=TIMEOUT)
                    body = r.json() if r.status == 200 else {}
                    if r.status != 200 or len(body["results"]) != min(100, body["total"]):
                        broken.append((r.status, r.body[:100]))
                except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError,
                        http.client.RemoteDisconnected):
                    time.sleep(0.01)  # refused before any answer: fine
                    if server.proc.poll() is not None:
                        return
                except Exception as e:  # IncompleteRead, bad JSON: an answer cut off
                    broken.append(repr(e))
        threads = [threading.Thread(target=client) for _ in range(4)]
        try:
            for t in threads:
                t.start()
            time.sleep(0.5)
            self.assertEqual(server.stop(), 0, server.log()[-2000:])
        finally:
            stop.set()
            for t in threads:
                t.join(30)
            server.kill()
        self.assertEqual(broken, [])


if __name__ == "__main__":
    for name, value in [("KS_SERVER", SERVER), ("KS_INDEX", INDEX), ("KS_CORPUS", CORPUS)]:
        if not value:
            sys.exit(f"test_server.py: {name} is not set (run it through meson test)")
    unittest.main(verbosity=2)
