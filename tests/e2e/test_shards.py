#!/usr/bin/env python3
"""Shards end to end: `kommunesoeg-index --shards 2` splits the records by case
number, two `xapian-tcpsrv` (Debian's xapian-tools) serve the shards on free
loopback ports, and the real kommunesoeg-server over `--db tcp://... --db
tcp://...` answers as it does over one combined index of the same documents:
the same ids (in order where the ranking decides it, as sets where the order
is a tie of relevance), totals and facets for a mix of queries and filters,
the synonyms, spelling suggestions and date order (ties included) of one
index, and the same /api/sag and /api/item.

Environment (set by meson): KS_SERVER, KS_INDEX, KS_CORPUS, KS_WEB, and
KS_GENCORPUS (bench/gencorpus.py: 40 made-up meetings join the corpus, so that
each shard holds hundreds of records).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from harness import CORPUS, GENCORPUS, INDEX, WEB, Server, free_port, main, request, url

TCPSRV = shutil.which("xapian-tcpsrv")

QUERIES = [
    {"q": "hjemløshed"},
    {"q": "budget"},
    {"q": "beredskab"},
    {"q": "strategi"},
    # A member of a synonym group ("KB = kommunalbestyrelsen = byrådet",
    # "ØU = økonomiudvalget") is widened to the group's term over tcp://
    # shards as over one index, which serves the group's other members.
    {"q": "kommunalbestyrelsen"},
    {"q": "KB"},
    {"q": "byrådet"},
    {"q": "ØU"},
    {"q": "KB budget"},
    {"q": "lokalplan OR kommuneplantillæg"},
    {"q": "\"pris- og lønfremskrevet\""},
    {"q": "titel:budgetopfølgning"},
    {"q": "beslutning:godkendt"},
    {"q": "oekonomi"},
    {"q": "hjemloeshed"},
    # A wildcard's ranking is not compared: Xapian estimates the frequency
    # of its expansion per database (also of local shards), so its weights
    # differ from one index's; its hits, total and facets do not.
    {"q": "budget*", "order": "set"},
    # "plan" and "til" are their own stems: stored as their stems' terms,
    # which a wildcard and a phrase look up over tcp:// shards too.
    {"q": "plan*", "order": "set"},
    {"q": "\"taget til efterretning\""},
    {"q": "skole -dagtilbud"},
    {"q": "25-002452"},
    {"q": "nettobudget:10000000.."},
    {"q": "budget", "type": "budget"},
    {"q": "budget", "type": "punkt"},
    {"q": "indstillingen", "from": "2025-01-01", "to": "2025-12-31"},
    {"q": "", "udvalg": "Direktionen"},
    {"q": "sag", "lukket": "false"},
    {"q": "beslutning", "year": "2025"},
    {"q": "", "sort": "nettobudget_desc", "type": "budget"},
    {"q": "udvalg:direktionen", "per_page": "50"},
    {"q": "", "per_page": "100", "page": "2"},
    {"q": "plejecentre", "per_page": "5", "page": "2"},
]


def marked(snippet):
    """The words a snippet marks, in order."""
    return re.findall(r"<mark>(.*?)</mark>", snippet)


def shard_of(sagsnummer, n):
    """The shard kommunesoeg-index puts a case on: FNV-1a (64 bits) of the
    lower-cased case number, modulo N."""
    h = 0xcbf29ce484222325
    for byte in sagsnummer.lower().encode():
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % n



class TcpSrv:
    """xapian-tcpsrv serving DB on a free loopback port (retried when another
    process took the port between the probe and the bind), or on PORT."""

    def __init__(self, db, port=None):
        for _ in range(10):
            self.port = port or free_port()
            self.proc = subprocess.Popen(
                [TCPSRV, "--interface", "127.0.0.1", "--port", str(self.port), db],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                # Its own process group: on SIGTERM xapian-tcpsrv signals
                # its whole group (its forked children), this test included.
                start_new_session=True)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return
                except OSError:
                    time.sleep(0.05)
            self.stop()
        raise AssertionError(f"xapian-tcpsrv did not start on {db}")

    def url(self):
        return f"tcp://127.0.0.1:{self.port}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stderr.close()


def get_json(server, path, params=None):
    r = request(server.port, "GET", url(path, params))
    return r.status, (json.loads(r.body) if r.body else None)


@unittest.skipUnless(TCPSRV, "xapian-tcpsrv (Debian's xapian-tools) not installed")
class Shards(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-shards-")
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, os.path.join(docs, "corpus"))
        subprocess.run([sys.executable, GENCORPUS, "--meetings", "40", "--budget-every", "10",
                        "--out", os.path.join(docs, "gen")], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)
        cls.docs = docs
        cls.one = os.path.join(cls.tmp, "one")
        cls.sharded = os.path.join(cls.tmp, "sharded")
        for args in (["--db", cls.one], ["--db", cls.sharded, "--shards", "2"]):
            p = subprocess.run([INDEX, "--quiet", *args, docs], capture_output=True,
                               text=True, timeout=300)
            assert p.returncode == 0, p.stderr
        cls.tcp = []
        cls.servers = []
        try:
            cls.tcp = [TcpSrv(os.path.join(cls.sharded, str(k))) for k in range(2)]
            cls.combined = Server([cls.one], WEB)
            cls.servers.append(cls.combined)
            cls.shards = Server([t.url() for t in cls.tcp], WEB)
            cls.servers.append(cls.shards)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop_and_check()
        for t in cls.tcp:
            t.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def both(self, path, params=None):
        a = get_json(self.combined, path, params)
        b = get_json(self.shards, path, params)
        self.assertEqual(a[0], b[0], f"{path} {params}: status")
        return a[1], b[1]

    def test_split(self):
        """Both shards hold records, every case lies on one shard, and
        together they hold every record once."""
        one = self.all_ids(self.combined)
        ids0 = self.all_ids(None, db=os.path.join(self.sharded, "0"))
        ids1 = self.all_ids(None, db=os.path.join(self.sharded, "1"))
        self.assertTrue(ids0 and ids1, "a shard is empty")
        self.assertFalse(ids0 & ids1, "a record is on both shards")
        self.assertEqual(ids0 | ids1, one)
        for k, cases in enumerate(self.shard_cases):
            self.assertTrue(cases)
            self.assertEqual([c for c in cases if shard_of(c, 2) != k], [])
        self.assertGreater(len(one), 300)

    def all_ids(self, server, db=None):
        """The ids (and, per shard, the cases) of every record."""
        own = None
        if db is not None:
            own = Server([db], WEB)
            server = own
        try:
            ids, cases = set(), set()
            page = 1
            while True:
                status, body = get_json(server, "/api/search",
                                        {"q": "", "per_page": "100", "page": str(page)})
                self.assertEqual(status, 200)
                for r in body["results"]:
                    ids.add(r["id"])
                    if r.get("sagsnummer"):
                        cases.add(r["sagsnummer"].lower())
                if page * 100 >= body["total"]:
                    break
                page += 1
            if own is not None:
                self.shard_cases = getattr(self, "shard_cases", [])
                for other in self.shard_cases:
                    self.assertFalse(other & cases, "a case is split over two shards")
                self.shard_cases.append(cases)
            return ids
        finally:
            if own is not None:
                own.stop_and_check()

    def all_hits(self, server, params):
        """Every hit of PARAMS (at most 300), and the first page's answer."""
        hits, first = [], None
        per_page = int(params.get("per_page", "20"))
        start = int(params.get("page", "1"))
        for page in range(start, start + max(1, 300 // per_page)):
            status, body = get_json(server, "/api/search", {**params, "page": str(page)})
            self.assertEqual(status, 200, body)
            first = first or body
            hits += body["results"]
            if page * per_page >= body["total"]:
                break
        return first, hits

    def sort_keys(self, params, hits):
        """The sort key at each rank: relevance ties fall back on the date,
        as do the date sorts; an amount sort's is the item's nettobudget."""
        if not params.get("sort", "").startswith("nettobudget"):
            return [r["date"] for r in hits]
        keys = []
        for r in hits:
            status, item = get_json(self.combined, f"/api/item/{urllib.parse.quote(r['id'])}")
            self.assertEqual(status, 200)
            keys.append(item["nettobudget"])
        return keys

    def test_search(self):
        """Totals, facets and every field of every hit equal; the order
        equal but for ties (hits of equal sort key, which Xapian puts in
        document order, and documents are numbered otherwise on shards)."""
        same_order = same_snippet = hits_compared = 0
        for params in QUERIES:
            with self.subTest(params=params):
                params = dict(params)
                compare_order = params.pop("order", "rank") == "rank"
                a, hits_a = self.all_hits(self.combined, params)
                b, hits_b = self.all_hits(self.shards, params)
                self.assertEqual(a["total"], b["total"])
                self.assertGreater(a["total"], 0, "a query that finds nothing tests nothing")
                self.assertEqual(a["facets"], b["facets"])
                self.assertEqual(a["suggestion"], b["suggestion"])
                ids_a = [r["id"] for r in hits_a]
                ids_b = [r["id"] for r in hits_b]
                self.assertEqual(len(ids_a), len(ids_b))
                if len(ids_a) == a["total"]:
                    self.assertEqual(set(ids_a), set(ids_b))
                if compare_order:
                    self.assertEqual(self.sort_keys(params, hits_a),
                                     self.sort_keys(params, hits_b),
                                     "the order differs beyond ties")
                    same_order += ids_a == ids_b
                by_id = {r["id"]: r for r in hits_b}
                for r in hits_a:
                    if r["id"] not in by_id:
                        continue  # a tie cut at the last page
                    other = dict(by_id[r["id"]])
                    hits_compared += 1
                    # MSet::snippet() may pick another passage of equal
                    # worth over a remote shard; it marks the same words.
                    same_snippet += r["snippet"] == other["snippet"]
                    self.assertEqual(("<mark>" in r["snippet"]), ("<mark>" in other["snippet"]))
                    other["snippet"] = r["snippet"]
                    self.assertEqual(r, other)
        print(f"FIGURES queries={len(QUERIES)} same_order={same_order} "
              f"hits={hits_compared} same_snippet={same_snippet}", file=sys.stderr)
        self.assertGreaterEqual(same_order, len(QUERIES) // 2)
        self.assertGreaterEqual(same_snippet, hits_compared * 9 // 10)

    def test_synonyms(self):
        """A synonym group's member finds what its other members find, and
        every hit marks the same words, through the shards as in one index
        (xapian-tcpsrv serves no synonym table)."""
        for q in ("KB", "kommunalbestyrelsen", "byrådet", "ØU", "økonomiudvalget"):
            with self.subTest(q=q):
                a, hits_a = self.all_hits(self.combined, {"q": q})
                b, hits_b = self.all_hits(self.shards, {"q": q})
                self.assertGreater(a["total"], 0)
                self.assertEqual(a["total"], b["total"])
                self.assertEqual([r["id"] for r in hits_a], [r["id"] for r in hits_b])
                self.assertEqual([marked(r["snippet"]) for r in hits_a],
                                 [marked(r["snippet"]) for r in hits_b])

    def test_suggestion(self):
        """A misspelt query gets the suggestion of one index."""
        for q in ("budgetopfølgnig", "hjemløshed strateg", "beredskap", "Kommunalbestyrelsn",
                  "budgetopfolgning"):
            with self.subTest(q=q):
                a = get_json(self.combined, "/api/search", {"q": q})[1]
                b = get_json(self.shards, "/api/search", {"q": q})[1]
                self.assertIsNotNone(a["suggestion"], "one index suggests nothing")
                self.assertEqual(a["suggestion"], b["suggestion"])

    def test_completions(self):
        """Search-as-you-type completes as over one index: the words of the
        records (the spelling data, which the shards carry in their
        metadata) as well as the titles'."""
        for q in ("budgetopf", "Hjem", "beredskab", "kommunalbest", "oekonomi"):
            with self.subTest(q=q):
                a = get_json(self.combined, "/api/suggest", {"q": q})[1]
                b = get_json(self.shards, "/api/suggest", {"q": q})[1]
                self.assertTrue(a["suggestions"], "one index completes nothing")
                self.assertEqual(a["suggestions"], b["suggestions"])

    def test_date_ties(self):
        """Sorted by date, the items of one meeting (one date) come in the
        order of one index, and so do meetings of one date: the whole order
        is the same, not only the dates."""
        for params in ({"q": "", "sort": "date_desc"}, {"q": "", "sort": "date_asc"},
                       {"q": "budget", "sort": "date_desc"},
                       {"q": "beslutning", "sort": "date_asc"},
                       {"q": "", "sort": "date_desc", "per_page": "7", "page": "3"}):
            with self.subTest(params=params):
                _, hits_a = self.all_hits(self.combined, params)
                _, hits_b = self.all_hits(self.shards, params)
                dates = [r["date"] for r in hits_a]
                self.assertGreater(len(dates), len(set(dates)), "no two hits share a date")
                self.assertEqual([r["id"] for r in hits_a], [r["id"] for r in hits_b])

    def test_whole_ranking(self):
        """Every hit of broad queries, page by page: the same set."""
        for q in ("budget", "sag", ""):
            got = []
            for server in (self.combined, self.shards):
                ids = []
                for page in range(1, 30):
                    status, body = get_json(server, "/api/search",
                                            {"q": q, "per_page": "100", "page": str(page)})
                    self.assertEqual(status, 200)
                    ids += [r["id"] for r in body["results"]]
                    if page * 100 >= body["total"]:
                        break
                got.append(ids)
            self.assertEqual(len(got[0]), len(set(got[0])))
            self.assertEqual(sorted(got[0]), sorted(got[1]), q)

    def test_sag_and_item(self):
        """/api/sag and /api/item answer the same through the shards."""
        _, body = get_json(self.combined, "/api/search", {"q": "", "per_page": "100"})
        cases = sorted({r["sagsnummer"] for r in body["results"] if r.get("sagsnummer")})
        self.assertGreater(len(cases), 10)
        for nr in cases[:40] + ["99-999999"]:
            a, b = self.both(f"/api/sag/{urllib.parse.quote(nr)}")
            if a and "items" in a:
                self.assertEqual(sorted(i["id"] for i in a["items"]),
                                 sorted(i["id"] for i in b["items"]), nr)
                self.assertEqual(sorted(json.dumps(i, sort_keys=True) for i in a["items"]),
                                 sorted(json.dumps(i, sort_keys=True) for i in b["items"]))
            else:
                self.assertEqual(a, b)
        for r in body["results"][:40]:
            a, b = self.both(f"/api/item/{urllib.parse.quote(r['id'])}")
            self.assertEqual(a, b)
        self.assertEqual(*self.both("/api/item/no-such-item"))

    def test_compound_marks(self):
        """A compound found by its part is marked as over one index, on
        either shard: the split is read from the metadata of the shard
        that holds the record, which has it."""
        compounds = 0
        for q in ("strategi", "plan", "beredskab", "skole"):
            _, body = get_json(self.combined, "/api/search", {"q": q, "per_page": "40"})
            for r in body["results"]:
                path = f"/api/item/{urllib.parse.quote(r['id'])}"
                a, b = self.both(path, {"q": q})
                self.assertEqual(a.get("marks"), b.get("marks"), (q, r["id"]))
                marks = marked(json.dumps(a.get("marks"), ensure_ascii=False))
                compounds += sum(len(m) > len(q) + 4 for m in marks)
        self.assertGreater(compounds, 20, "no compound was marked by its part")

    def test_incremental(self):
        """A changed and a deleted file reach every shard; an unchanged run
        indexes nothing."""
        docs = os.path.join(self.tmp, "docs2")
        shutil.copytree(CORPUS, docs)
        db = os.path.join(self.tmp, "inc")
        run = lambda: subprocess.run([INDEX, "--db", db, "--shards", "3", docs],
                                     capture_output=True, text=True, timeout=300)
        p = run()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("65 records in", p.stderr)
        p = run()
        self.assertIn("0 parsed, 5 unchanged", p.stderr)
        # A case number changed: its item moves to the new case's shard
        # (one of the three, wherever it was), found once, the old one gone.
        path = os.path.join(docs, "direktionen-2025-10-06.txt")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("25-002452", text)
        moved = [nr for nr in (f"25-9{k:05d}" for k in range(100))
                 if shard_of(nr, 3) != shard_of("25-002452", 3)][0]
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("25-002452", moved))
        p = run()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("1 parsed, 4 unchanged", p.stderr)
        self.assertIn("65 records in", p.stderr)
        victim = "direktionen-2023-11-06.txt"
        os.remove(os.path.join(docs, victim))
        p = run()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("1 removed", p.stderr)
        self.assertNotIn(" 65 records in", p.stderr)
        server = Server([os.path.join(db, str(k)) for k in range(3)], WEB)
        try:
            self.assertEqual(get_json(server, "/api/sag/25-002452")[0], 404)
            status, body = get_json(server, f"/api/sag/{moved}")
            self.assertEqual(status, 200)
            self.assertEqual(len(body["items"]), 1)
            status, body = get_json(server, "/api/search", {"q": "", "per_page": "100"})
            ids = [r["id"] for r in body["results"]]
            self.assertEqual(len(ids), len(set(ids)))
            self.assertEqual(len(ids), body["total"])
            self.assertFalse([i for i in ids if i.startswith("direktionen-2023-11-06")])
        finally:
            server.stop_and_check()
        p = subprocess.run([INDEX, "--db", db, docs], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("holds shards", p.stderr)
        p = subprocess.run([INDEX, "--db", self.one, "--shards", "2", docs],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a directory of shards", p.stderr)
        p = subprocess.run([INDEX, "--db", db, "--shards", "0", docs],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)

    def test_reindexed(self):
        """A word a re-index adds to a served shard is suggested through
        tcp:// without restarting the server: the spelling data (and the
        synonyms) are read again when a shard has a new revision."""
        docs = os.path.join(self.tmp, "docs3")
        shutil.copytree(CORPUS, docs)
        db = os.path.join(self.tmp, "reindexed")
        run = lambda: subprocess.run([INDEX, "--quiet", "--db", db, "--shards", "2", docs],
                                     capture_output=True, text=True, timeout=300)
        p = run()
        self.assertEqual(p.returncode, 0, p.stderr)
        tcp = [TcpSrv(os.path.join(db, str(k))) for k in range(2)]
        server = None
        try:
            server = Server([t.url() for t in tcp], WEB)
            params = {"q": "vindmølleparkern"}
            status, body = get_json(server, "/api/search", params)
            self.assertEqual((status, body["suggestion"]), (200, None))
            path = os.path.join(docs, "direktionen-2025-10-06.txt")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("Samlet for alle udvalg",
                                     "Samlet for alle udvalg og vindmølleparkerne"))
            p = run()
            self.assertEqual(p.returncode, 0, p.stderr)
            deadline = time.monotonic() + 20
            while True:
                status, body = get_json(server, "/api/search", params)
                self.assertEqual(status, 200)
                if body["suggestion"] or time.monotonic() > deadline:
                    break
                time.sleep(0.25)
            self.assertEqual(body["suggestion"], "vindmølleparkerne")
        finally:
            if server:
                server.stop_and_check()
            for t in tcp:
                t.stop()

    def test_z_restart(self):
        """A shard that goes away is a 503 naming it; once its xapian-tcpsrv
        is back (on the same port), the server connects anew by itself.
        Runs last: it restarts a shard of the class."""
        params = {"q": "budget"}
        want = get_json(self.combined, "/api/search", params)[1]["total"]
        self.assertEqual(get_json(self.shards, "/api/search", params)[1]["total"], want)
        shard = self.tcp[1]
        shard.stop()
        status, body = get_json(self.shards, "/api/search", params)
        self.assertEqual(status, 503)
        self.assertIn(f"127.0.0.1:{shard.port}", body["error"]["message"])
        self.tcp[1] = TcpSrv(os.path.join(self.sharded, "1"), port=shard.port)
        for _ in range(4):  # on either search thread, at once
            status, body = get_json(self.shards, "/api/search", params)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["total"], want)


if __name__ == "__main__":
    main()
