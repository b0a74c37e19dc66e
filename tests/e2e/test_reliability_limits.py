#!/usr/bin/env python3
"""Reliability at the limits: slow clients dropped after KS_REQUEST_TIMEOUT,
and every limit of server/ks-limits.h (and the binding's wildcard limit)
reached.

Run by meson (suite "reliability"), one meson test per group.  Every server
listens on 127.0.0.1 with --port 0; every request and every load run is
bounded in time.  The groups print their figures (requests, errors, memory,
executions) on stdout, in lines "FIGURES group: ...", which meson keeps in its
test log.  Usage: test_reliability_limits.py [GROUP...]
"""

import io
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile

from harness import (main, CORPUS, LIMITS, CSV_HEADER, read_csv, build_index, limit, report, make_web, url,
                     request, raw_request, wait_for, Server, ServerCase)


SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class Slow(unittest.TestCase):
    """Clients that send one byte a second are dropped after KS_REQUEST_TIMEOUT, and hold
    no worker meanwhile: one network thread and one search thread serve everyone else."""

    def test_slow_clients_dropped(self):
        tmp = tempfile.mkdtemp(prefix="ks-slow-")
        self.addCleanup(shutil.rmtree, tmp)
        db = os.path.join(tmp, "index")
        build_index(db, CORPUS)
        server = Server([db], make_web(tmp), threads=1)
        deadline = limit("KS_REQUEST_TIMEOUT")
        slow = 20
        dropped = []
        lock = threading.Lock()

        def dribble(n):
            message = b"GET /api/search?q=" + b"a" * 200 + b" HTTP/1.1\r\n"
            with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
                start = time.monotonic()
                for i in range(len(message)):
                    try:
                        s.sendall(message[i:i + 1])
                        data = s.recv(1)  # waits up to 2 s
                    except socket.timeout:
                        continue
                    except (BrokenPipeError, ConnectionResetError):
                        data = b""
                    if not data:
                        with lock:
                            dropped.append(time.monotonic() - start)
                        return
                    break  # an answer: not expected

        # Meanwhile a kept-alive connection sits idle after its response: the server
        # closes it no sooner than the response said (Keep-Alive: timeout=T), and soon after.
        idle = []

        def sit_idle():
            with socket.create_connection(("127.0.0.1", server.port), timeout=deadline + 10) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = s.recv(65536)
                    if not chunk:
                        break  # closed before a whole response: no timeout found below
                    head += chunk
                start = time.monotonic()
                m = re.search(rb"\r\nKeep-Alive: timeout=(\d+)\r\n", head)
                try:
                    while s.recv(65536):
                        pass
                except ConnectionResetError:
                    pass
                idle.append((int(m.group(1)) if m else None, time.monotonic() - start))

        threads = [threading.Thread(target=dribble, args=(n,)) for n in range(slow)]
        threads.append(threading.Thread(target=sit_idle))
        try:
            for t in threads:
                t.start()
            # Everyone else is served meanwhile.
            answered = 0
            t0 = time.monotonic()
            while time.monotonic() - t0 < deadline - 2:
                r = request(server.port, "GET", url("/api/search", q="hjemløse"), timeout=5)
                self.assertEqual(r.status, 200, r)
                answered += 1
                time.sleep(0.2)
        finally:
            for t in threads:
                t.join(deadline + 30)
        report("slow", f"{slow} clients sending a byte a second: {len(dropped)} dropped after "
               f"{min(dropped, default=0):.1f}-{max(dropped, default=0):.1f} s "
               f"(KS_REQUEST_TIMEOUT {deadline} s); {answered} searches answered meanwhile")
        self.assertEqual(len(dropped), slow, "every slow client dropped")
        [(announced, closed_after)] = idle
        report("slow", f"a kept-alive connection left idle: Keep-Alive: timeout={announced}, "
               f"closed after {closed_after:.2f} s")
        self.assertEqual(announced, min(deadline, limit("KS_CONNECTION_TIMEOUT")))
        self.assertGreaterEqual(closed_after, announced - 0.2, "closed before the time said")
        self.assertLess(closed_after, announced + 2)
        for elapsed in dropped:
            self.assertGreaterEqual(elapsed, deadline - 1.5)
            self.assertLess(elapsed, deadline + 4)
        self.assertGreater(answered, 5)
        # The server says so (its line may come a moment after the drop).
        self.assertTrue(wait_for(lambda: "that sent no whole request" in server.log()),
                        server.log()[-2000:])
        # A slow client on a kept-alive connection: its second request too.
        with socket.create_connection(("127.0.0.1", server.port), timeout=deadline + 5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            first = s.recv(65536)
            self.assertIn(b" 200 ", first.split(b"\r\n")[0])
            start = time.monotonic()
            s.sendall(b"GET /hea")
            self.assertEqual(s.recv(1), b"")
            self.assertLess(time.monotonic() - start, deadline + 4)
        server.stop_and_check()


# ---- limits --------------------------------------------------------------------------------

class Limits(ServerCase):
    """Every limit of ks-limits.h (and the binding's wildcard limit), reached."""

    ITEMS = 10050  # past KS_MAX_CSV_ROWS
    WORDS = 300    # past KS_MAX_WILDCARD_TERMS

    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        os.mkdir(docs)
        # One meeting of ITEMS items.  Item N (N <= WORDS) holds the word
        # "zqxN"; for N <= 256 item 5000 + N holds it too, so the 256 words in
        # two items are the most frequent, the others in one item each.
        lines = ["REFERAT Testudvalget d. 02-01-2025", "", "Mødedato Torsdag d. 2. januar 2025",
                 ""]
        for n in range(1, cls.ITEMS + 1):
            lines += [f"Punkt {n}: Emne nummer {n}", "", f"25-{n:06d}", "", "Sagsfremstilling",
                      ""]
            if n <= cls.WORDS:
                word = f"zqx{n:04d}"
            elif 5000 < n <= 5256:
                word = f"zqx{n - 5000:04d}"
            else:
                word = "fyld"
            lines += [f"Tekst om {word}.", ""]
        with open(os.path.join(docs, "testudvalget-2025-01-02.txt"), "w",
                  encoding="utf-8") as f:
            f.write("\n".join(lines))
        return docs

    def assert_4xx(self, r, status, words):
        self.assertEqual(r.status, status, r)
        body = r.json()
        self.assertEqual(body["error"]["status"], status)
        self.assertRegex(body["error"]["message"], words)

    def test_fixture(self):
        self.assertEqual(len(self.records), self.ITEMS)

    def test_url(self):
        n = limit("KS_MAX_URL_BYTES")
        ok = "/api/search?q=hjem&x=" + "a" * (n - len("/api/search?q=hjem&x="))
        self.assertEqual(len(ok), n)
        self.assertEqual(request(self.port, "GET", ok).status, 200)
        self.assert_4xx(request(self.port, "GET", ok + "a"), 414, "URL is too long")

    def test_headers(self):
        n = limit("KS_MAX_HEADER_BYTES")
        r = request(self.port, "GET", "/healthz", headers={"X-Fill": "a" * (n + 1)})
        self.assert_4xx(r, 431, "headers are too large")
        r = request(self.port, "GET", "/healthz", headers={"X-Fill": "a" * (n // 2)})
        self.assertEqual(r.status, 200)
        # Past libmicrohttpd's own pool: refused all the same, never a 5xx.
        big = limit("KS_CONNECTION_MEMORY")
        r = raw_request(self.port, "GET", "/healthz", headers=["X-Fill: " + "a" * big])
        self.assertIsNotNone(r)
        self.assertIn(r.status, (413, 414, 431), r)

    def test_query(self):
        n = limit("KS_MAX_QUERY_BYTES")
        r = request(self.port, "GET", url("/api/search", q="a" * n))
        self.assertEqual(r.status, 200, r)
        self.assert_4xx(request(self.port, "GET", url("/api/search", q="a" * (n + 1))), 400,
                        r"\bq\b.*too long")
        self.assert_4xx(request(self.port, "GET", url("/feed", q="å" * n)), 400, "too long")

    def test_message(self):
        # An error message quotes a parameter's name: whole up to KS_MAX_MESSAGE_BYTES,
        # past that cut between two characters (ø is two bytes) and ended with "…".
        n = limit("KS_MAX_MESSAGE_BYTES")
        fixed = "parameter {} is not valid UTF-8 text"
        fits = "ø" * ((n - len(fixed.format("").encode())) // 2)
        for name in [fits, fits + "ø" * 30, "a" + fits + "ø" * 30]:
            r = request(self.port, "GET", "/api/search?" + urllib.parse.quote(name) + "=%FF")
            self.assertEqual(r.status, 400, r)
            message = json.loads(r.body.decode("utf-8"))["error"]["message"]
            self.assertLessEqual(len(message.encode()), n, message)
            if name == fits:
                self.assertEqual(message, fixed.format(name))
                self.assertEqual(len(message.encode()), n)
            else:
                self.assertTrue(message.endswith("…"), message)
                self.assertTrue(name.startswith(message[len("parameter "):-1]), message)

    def test_wildcard_expansion(self):
        # Documented behaviour, not a 4xx: "zqx*" is a real search, and gets the
        # KS_MAX_WILDCARD_TERMS most frequent words; a 4xx would fail a user
        # whose prefix happens to be common.
        with open(os.path.join(os.path.dirname(LIMITS), "..", "lib", "ks-xapian.h")) as f:
            n = int(re.search(r"#define KS_MAX_WILDCARD_TERMS (\d+)", f.read()).group(1))
        self.assertEqual(n, 256, "the fixture is made for 256")
        r = request(self.port, "GET", url("/api/search", q="zqx*", format="csv"))
        self.assertEqual(r.status, 200, r)
        punkte = {int(row["punkt"]) for row in read_csv(r.body)[0]}
        # The 256 most frequent words expanded, the rarer 44 left out.
        self.assertEqual(punkte, set(range(1, 257)) | set(range(5001, 5257)))
        self.assertEqual(r.header("x-total-count"), "512")
        # A word of its own still finds its item.
        r = request(self.port, "GET", url("/api/search", q="zqx0300"))
        self.assertEqual([x["punkt"] for x in r.json()["results"]], [300])

    def test_offset(self):
        deepest = limit("KS_MAX_OFFSET")
        per = limit("KS_MAX_PER_PAGE")
        last_page = deepest // per + 1
        r = request(self.port, "GET", url("/api/search", q="", page=last_page, per_page=per))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(r.json()["results"]), self.ITEMS - deepest, "the deepest page")
        self.assert_4xx(request(self.port, "GET", url("/api/search", q="", page=last_page + 1,
                                                      per_page=per)), 400, "too deep")
        self.assert_4xx(request(self.port, "GET", url("/api/search", page="9" * 9)), 400,
                        "too deep")
        self.assert_4xx(request(self.port, "GET", url("/api/search", page="9" * 10)), 400,
                        "page")
        r = request(self.port, "GET", url("/api/search", q="", per_page=per * 10))
        self.assertEqual(len(r.json()["results"]), per, "per_page is capped")

    def test_csv_rows(self):
        # Documented behaviour, not a 4xx (docs/api.rst: all hits, up to 10,000): the
        # first KS_MAX_CSV_ROWS in the search's order, and X-Total-Count says how
        # many there were, so that a client can tell the export is cut; a last
        # row says so to whoever opens the file.
        n = limit("KS_MAX_CSV_ROWS")
        r = request(self.port, "GET", url("/api/search", q="", format="csv", sort="date_asc"))
        self.assertEqual(r.status, 200, r)
        csv_bytes = len(r.body)
        rows, note = read_csv(r.body)
        self.assertEqual(r.body[3:].split(b"\r\n")[0].decode(), CSV_HEADER)
        self.assertEqual(len(rows), n)
        self.assertEqual(r.header("x-total-count"), str(self.ITEMS))
        self.assertEqual([int(x["punkt"]) for x in rows[:3]], [1, 2, 3], "in the search's order")
        self.assertEqual(note, "Eksporten stoppede ved 10.000 rækker; søgningen fandt 10.050. "
                               "Gør søgningen smallere (et filter, en periode) for at få resten med.")
        # The workbook: the same rows, and the note in the row after them.
        r = request(self.port, "GET", url("/api/search", q="", format="xlsx", sort="date_asc"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("x-total-count"), str(self.ITEMS))
        sheet = ET.fromstring(zipfile.ZipFile(io.BytesIO(r.body)).read("xl/worksheets/sheet1.xml"))
        sheet_rows = sheet.findall(f"{SHEET}sheetData/{SHEET}row")
        self.assertEqual(len(sheet_rows), 1 + n + 1)
        self.assertEqual(sheet_rows[-1].get("r"), str(n + 2))
        self.assertEqual("".join(sheet_rows[-1].itertext()), note)
        self.assertLess(len(r.body), 4 << 20, "a workbook of 10,000 rows")
        report("limits", f"an export of {n} rows: CSV {csv_bytes} bytes, xlsx {len(r.body)} bytes")
        r = request(self.port, "GET", url("/api/search", q="zqx0300", format="csv"))
        self.assertEqual(r.header("x-total-count"), "1")


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_DBCHECK", "KS_LIMITS", "KS_GENCORPUS",
         "KS_QUERIES")
