"""What every end-to-end test shares: the environment meson sets, the real
programs run, and a kommunesoeg-server started and stopped.

The environment (tests/meson.build's test_env; each test file's main() names
what it needs):
  KS_SERVER     the kommunesoeg-server binary
  KS_INDEX      the kommunesoeg-index binary
  KS_CORPUS     the repository's corpus/
  KS_WEB        the front end as built, the build's web/
  KS_DBCHECK    tests/tools/ks-dbcheck (looks into an index through our binding)
  KS_DUMP       tests/tools/ks-dump (everything an index holds, as text)
  KS_MKPDF      tests/tools/mkpdf (a text document drawn as a PDF)
  KS_BAD        tests/data/bad/ (files that must fail, with expected.tsv)
  KS_GENCORPUS  bench/gencorpus.py (made-up minutes)
  KS_QUERIES    bench/queries.txt (the query mix of the load)
  KS_WRK_SCRIPT bench/queries.lua (wrk's script for that mix)
  KS_LIMITS     server/ks-limits.h (the limits are read from it, not copied)
  KS_SANITIZED  "1" in a sanitizer build
  KS_SERVER_WRAP  optional: a command the servers run under, e.g.
                "valgrind --error-exitcode=99 --leak-check=full" (the valgrind suite)

Every server listens on 127.0.0.1 with --port 0 (the port is read from the
"listening on" line on stderr); every request has a timeout.
"""

import csv
import http.client
import io
import json
import os
import re
import resource
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

SERVER = os.environ.get("KS_SERVER", "")
INDEX = os.environ.get("KS_INDEX", "")
CORPUS = os.environ.get("KS_CORPUS", "")
WEB = os.environ.get("KS_WEB", "")
DBCHECK = os.environ.get("KS_DBCHECK", "")
KS_DUMP = os.environ.get("KS_DUMP", "")
MKPDF = os.environ.get("KS_MKPDF", "")
BAD = os.environ.get("KS_BAD", "")
GENCORPUS = os.environ.get("KS_GENCORPUS", "")
QUERIES = os.environ.get("KS_QUERIES", "")
WRK_SCRIPT = os.environ.get("KS_WRK_SCRIPT", "")
LIMITS = os.environ.get("KS_LIMITS", "")
# Under AddressSanitizer, which reserves terabytes of address space, the PDF
# reader's memory cannot be bounded (RLIMIT_AS): there a PDF past the memory
# limit is stopped by the CPU limit instead.
SANITIZED = os.environ.get("KS_SANITIZED") == "1"
WRAP = shlex.split(os.environ.get("KS_SERVER_WRAP", ""))

# The costly inputs (PDF bombs, a line of 60 MB) come from tests/tools/mkbomb.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import mkbomb  # noqa: E402,F401  (imported from here by the tests)

TIMEOUT = 15  # seconds for any one request (generous: the suite also runs under ASan)
ATOM = "{http://www.w3.org/2005/Atom}"
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")

# What the API returns.
RESULT_FIELDS = {"id", "type", "title", "sagsnummer", "lukket", "date", "year", "udvalg",
                 "punkt", "beslutning", "nettobudget", "snippet", "url"}
ITEM_FIELDS = (RESULT_FIELDS - {"snippet", "year"}) | {"meeting", "moede", "sections", "behandling",
                                                       "bilag", "text", "source", "page", "pdf"}
# What /api/item/{id} adds to an ITEM of /api/sag: the page's surroundings.
ITEM_PAGE_FIELDS = {"previous", "next", "source_url", "marks"}
# --dump prints the item's fields plus "year"; the API may pass it through.
TOLERATED_EXTRA = {"year"}
# An export's CSV (docs/api.rst): UTF-8 with a byte order mark, ';' between fields.
CSV_HEADER = "id;type;title;sagsnummer;lukket;date;year;udvalg;punkt;beslutning;nettobudget;url"
BOM = b"\xef\xbb\xbf"


def read_csv(body):
    """An export's CSV BODY read as a Danish Excel reads it: the byte order mark
    says UTF-8, ';' separates the fields, '"' quotes.  Returns the rows as dicts
    by the header row, and the note of an export cut at its cap (a last row of
    one field), or None."""
    if not body.startswith(BOM):
        raise AssertionError(f"no byte order mark: {body[:40]!r}")
    rows = list(csv.reader(io.StringIO(body[len(BOM):].decode("utf-8"), newline=""),
                           delimiter=";", strict=True))
    header = rows[0]
    note = None
    if len(rows) > 1 and len(rows[-1]) == 1 and len(header) > 1:
        note = rows.pop()[0]
    for row in rows[1:]:
        if len(row) != len(header):
            raise AssertionError(f"a row of {len(row)} fields under {len(header)}: {row}")
    return [dict(zip(header, row)) for row in rows[1:]], note

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

# The shipped corpus (see kommunesoeg-index --dump corpus/).
HJEMLOESE = ["direktionen-2025-11-17-6", "direktionen-2025-08-18-5",
             "budget-2024-oekonomiudvalget-13"]


# ---- the programs --------------------------------------------------------------------------

def run_index(*args, cwd=None, timeout=300, env=None):
    return subprocess.run([INDEX, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=None if env is None else {**os.environ, **env})


def dump(*paths, cwd=None):
    p = run_index("--dump", *paths, cwd=cwd)
    return p, [json.loads(line) for line in p.stdout.splitlines()]


def dbcheck(db, *args):
    p = subprocess.run([DBCHECK, db, *args], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"ks-dbcheck {args}: {p.stderr}")
    return p.stdout.splitlines()


def count(db):
    return int(dbcheck(db, "count")[0])


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def ks_dump(db):
    """Everything DB holds, as lines of bytes (tests/tools/ks-dump.cc)."""
    d = subprocess.run([KS_DUMP, db], capture_output=True, timeout=120)
    if d.returncode != 0:
        raise AssertionError(f"ks-dump {db}: {d.stderr!r}")
    return d.stdout.split(b"\n")


def without_roots(lines):
    """A dump without the metadata that says where each PATH was found."""
    return [line for line in lines if not line.startswith(b"metadata root:")]


def summary(stderr):
    lines = stderr.strip().splitlines()
    return lines[-1] if lines else ""


def parsed_count(stderr):
    m = re.search(r"\((\d+) parsed, (\d+) unchanged, (\d+) removed, (\d+) failed\)", stderr)
    assert m, stderr
    return tuple(int(x) for x in m.groups())


def build_index(db, *paths):
    p = run_index("--quiet", "--db", db, *paths)
    if p.returncode != 0:
        raise AssertionError(f"kommunesoeg-index failed ({p.returncode}): {p.stderr}")


def dump_records(*paths):
    p = run_index("--dump", *paths)
    if p.returncode != 0:
        raise AssertionError(f"kommunesoeg-index --dump failed: {p.stderr}")
    return [json.loads(line) for line in p.stdout.splitlines()]


def generate(out, meetings, seed):
    subprocess.run([sys.executable, GENCORPUS, "--meetings", str(meetings), "--seed", str(seed),
                    "--out", out], check=True, capture_output=True, timeout=300)


def limit(name):
    """The value of #define NAME in server/ks-limits.h (a number or a product)."""
    with open(LIMITS, encoding="utf-8") as f:
        m = re.search(r"^#define\s+" + name + r"\s+\(?([0-9* ]+)\)?", f.read(), re.M)
    if not m:
        raise AssertionError(f"{name} is not in {LIMITS}")
    value = 1
    for factor in m.group(1).split("*"):
        value *= int(factor)
    return value


def report(group, text):
    print(f"FIGURES {group}: {text}", flush=True)


def more_files(n=1000):
    """Lets this process hold N more sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, n + 200))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- requests ------------------------------------------------------------------------------

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


def names(param):
    """A regex finding the parameter's name as a word of an error message."""
    return re.compile(r"(?<![A-Za-z_])" + re.escape(param) + r"(?![A-Za-z_])", re.I)


def wait_for(predicate, timeout=8.0, interval=0.1):
    """Polls PREDICATE until true; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# The servers' time limit for one search, in milliseconds: ten minutes.
SEARCH_TIMEOUT_MS = 600_000


class Server:
    """A running kommunesoeg-server; stderr is collected line by line."""

    def __init__(self, dbs, web, *extra, env=None, threads=2):
        args = [*WRAP, SERVER]
        for db in dbs:
            args += ["--db", db]
        args += ["--bind", "127.0.0.1", "--port", "0", "--web", web, "--threads", str(threads),
                 *extra]
        # Tests do not time searches (the benchmark does): a busy machine, a
        # sanitizer or valgrind must not make a search of the test corpora
        # run past the default time limit.  test_cost.py tests the limit
        # with its own --search-timeout.
        if "--search-timeout" not in extra:
            args += ["--search-timeout", str(SEARCH_TIMEOUT_MS)]
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
        """R is the API's JSON error (docs/api.rst) with STATUS, naming PARAM."""
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

    def assert_page(self, r, name):
        """R is the page NAME of WEB_FILES as the server sends a page of a case or an item:
        the file with its <title> replaced by the server's <head> (page-head.c)."""
        self.assert_html(r, 200)
        want = WEB_FILES[name]
        before, _, rest = want.partition(b"<title>")
        after = rest.partition(b"</title>")[2]
        self.assertTrue(r.body.startswith(before) and r.body.endswith(after), r)
        head = r.body[len(before):len(r.body) - len(after)]
        self.assertTrue(head.startswith(b"<title>"), head)
        self.assertIn(b'<meta property="og:title" content="', head)

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


def main(*required):
    """Runs the groups named on the command line (every group when none is),
    after checking that meson set the variables REQUIRED."""
    for name in required:
        if not os.environ.get(name):
            sys.exit(f"{os.path.basename(sys.argv[0])}: {name} is not set "
                     "(run it through meson test)")
    unittest.main(module="__main__", verbosity=2)
