#!/usr/bin/env python3
"""End-to-end tests of the real kommunesoeg-index on the real corpus.

Run by meson with the environment:
  KS_INDEX      the kommunesoeg-index binary
  KS_DBCHECK    tests/ks-dbcheck (looks into an index through our binding)
  KS_CORPUS     the repository's corpus/
  KS_BAD        tests/data/bad/ (files that must fail, with expected.tsv)
  KS_GENCORPUS  bench/gencorpus.py (made-up minutes: Atomic, Parallel, Generated)
  KS_DUMP       tests/ks-dump (everything an index holds, as text)
  KS_SERVER     the kommunesoeg-server binary (LongNames serves what it indexed)
  KS_WEB        the front end as built, the build's web/
"""

import fcntl
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkbomb  # noqa: E402

INDEX = os.environ.get("KS_INDEX", "")
DBCHECK = os.environ.get("KS_DBCHECK", "")
CORPUS = os.environ.get("KS_CORPUS", "")
BAD = os.environ.get("KS_BAD", "")
GENCORPUS = os.environ.get("KS_GENCORPUS", "")
KS_DUMP = os.environ.get("KS_DUMP", "")
WEB = os.environ.get("KS_WEB", "")

FIELDS = {"id", "type", "title", "sagsnummer", "lukket", "date", "udvalg", "punkt", "meeting",
          "sections", "behandling", "bilag", "nettobudget", "text", "source"}
SUMMARY = re.compile(r"^kommunesoeg-index: \d+ files .*\d+ records.* in \d+\.\d+ s$")
NETTOBUDGETS = [50190100, 81205800, 26854400, 5000000, 21193700, 6681800, 5131600, 39254500,
                13725000, 7882800, 19565000, 10000000, 2234900, 9000000, 44166100, 13541600,
                104816500]


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


def search(db, query, n=10):
    lines = dbcheck(db, "search", query, str(n))
    return int(lines[0]), lines[1:]


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def strings(value):
    """Every string inside a record, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def ks_dump(db):
    """Everything DB holds, as lines of bytes (tests/ks-dump.cc)."""
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


class Corpus(unittest.TestCase):
    """--dump on the shipped corpus."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        cls.proc, cls.records = dump(CORPUS, cwd=cls.tmp)
        cls.by_id = {r["id"]: r for r in cls.records}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def record(self, **match):
        found = [r for r in self.records if all(r.get(k) == v for k, v in match.items())]
        self.assertEqual(len(found), 1, match)
        return found[0]

    def test_counts(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertEqual(len(self.records), 65)
        punkter = [r for r in self.records if r["type"] == "punkt"]
        self.assertEqual(len(punkter), 48)
        self.assertEqual(sum(r["lukket"] for r in punkter), 29)
        self.assertEqual(sum(r["type"] == "budget" for r in self.records), 17)

    def test_fields_and_ids(self):
        for r in self.records:
            self.assertTrue(FIELDS <= set(r), FIELDS - set(r))
            self.assertRegex(r["id"], r"^[A-Za-z0-9._~-]+$")
            self.assertEqual(r["url"], "/item/" + r["id"])
        self.assertEqual(len(self.by_id), 65, "ids are unique")

    def test_dump_is_stable_and_writes_no_index(self):
        again, _ = dump(CORPUS, cwd=self.tmp)
        self.assertEqual(again.stdout, self.proc.stdout)
        self.assertEqual(os.listdir(self.tmp), [])

    def test_open_item(self):
        r = self.record(sagsnummer="25-008999", date="2025-11-17")
        self.assertEqual(r["title"], "Beslutning om hjemløsestrategi")
        self.assertEqual((r["udvalg"], r["punkt"], r["lukket"]), ("Direktionen", 6, False))
        self.assertEqual(r["sections"]["beslutning"], "Anbefales.")
        self.assertEqual(r["behandling"], ["Direktionen", "Børn- og Familieudvalget",
                                           "Unge- og Beskæftigelsesudvalget", "Socialudvalget",
                                           "Økonomiudvalget", "Kommunalbestyrelsen"])
        self.assertEqual(r["bilag"], ["Afsluttende statusnotat Kalundborg",
                                      "Udkast til hjemløsestrategi 2026-2029"])
        m = r["meeting"]
        self.assertIn("REFERAT Direktionen", m["title"])
        self.assertEqual((m["date"], m["time"], m["place"]), ("2025-11-17", "12:30", "Mødelokale 8"))
        self.assertEqual(len(m["participants"]), 4)
        self.assertIn("reducere og forebygge hjemløshed", r["text"])
        self.assertEqual(r["source"], "direktionen-2025-11-17.txt")

    def test_case_across_meetings(self):
        dates = sorted(r["date"] for r in self.records if r["sagsnummer"] == "25-008999")
        self.assertEqual(dates, ["2025-08-18", "2025-11-17"])

    def test_closed_item(self):
        r = self.record(sagsnummer="21-046835K")
        self.assertTrue(r["lukket"])
        self.assertEqual(r["title"], "Forlængelse af forsikringsaftale")
        self.assertEqual((r["text"], r["sections"], r["behandling"], r["bilag"]),
                         ("", {}, [], []))
        # What the published minutes print of it: committee, number and meeting.
        self.assertEqual((r["udvalg"], r["punkt"], r["source"]),
                         ("Direktionen", 7, "direktionen-2025-08-18.md"))
        self.assertEqual(r["meeting"], self.record(sagsnummer="25-005714")["meeting"])

    def test_budget_sections(self):
        budgets = [r for r in self.records if r["type"] == "budget"]
        self.assertEqual([r["nettobudget"] for r in budgets], NETTOBUDGETS)
        jobcenter = self.record(title="Jobcenter")
        self.assertEqual((jobcenter["nettobudget"], jobcenter["udvalg"], jobcenter["year"]),
                         (50190100, "Økonomiudvalget", 2024))
        self.assertIsNone(jobcenter["date"])
        self.assertEqual(self.record(title="Økonomi")["nettobudget"], 104816500)

    def test_pdf_text_repaired(self):
        text = "\n".join(r["text"] for r in self.records if r["type"] == "budget")
        for good in ["arbejdsmarkedspolitikken", "a-kasser", "Brandvæsen", "pris- og lønfremskrevet",
                     "Børn- og Familieområdet", "lægekørsler/befordringsgodtgørelse",
                     "opholder sig i landet", "kontrol af kommunens aktivitetsbaserede"]:
            self.assertIn(good, text)
        for bad in ["arbejdsmar-", "Brandvæ-", "a-kas-", "lægekørs-"]:
            self.assertNotIn(bad, text)
        for r in self.records:
            for value in [r["text"], r["title"], *r["sections"].values()]:
                for line in value.split("\n"):
                    self.assertEqual(line, line.rstrip(), repr(line))

    def test_markdown_removed(self):
        md = [r for r in self.records if r["source"].endswith(".md")]
        self.assertEqual(len(md), 12)
        for r in md:
            for value in strings(r):
                self.assertNotIn("**", value)
                for line in value.split("\n"):
                    self.assertFalse(line.lstrip().startswith("#"), line)
        r = self.record(sagsnummer="23-004790", date="2023-11-06")
        self.assertIn("Forebyggelse og håndtering af chikane, trusler, hærværk og vold mod "
                      "kommunalpolitikere (kl.dk)", r["text"])
        self.assertNotIn("](", r["text"])
        self.assertNotIn("\\", r["text"])

    def test_table_of_contents_skipped(self):
        # The table of contents of 2023-11-06 truncates item 4's title to
        # "... mellem Holbæk, Kalundborg og C<TAB>6"; none of it may leak.
        for r in self.records:
            for value in strings(r):
                self.assertNotIn("Kalundborg og C", value)
                self.assertNotIn(".....", value)
                self.assertNotIn("Indholdsfortegnelse", value)
        r = self.record(date="2023-11-06", punkt=4)
        self.assertEqual(r["title"], "Første udkast til dagsorden - mulige samarbejdsområder "
                                     "mellem Holbæk, Kalundborg og Odsherred kommuner")


class Encodings(unittest.TestCase):
    """UTF-8 with BOM, CRLF and Windows-1252 parse as the UTF-8 original."""

    def test_variants_dump_identically(self):
        for name in ["direktionen-2025-11-17.txt", "budget-2024-oekonomiudvalget.txt",
                     "direktionen-2025-08-18.md"]:
            original = read_text(os.path.join(CORPUS, name))
            variants = {
                "bom": b"\xef\xbb\xbf" + original.encode("utf-8"),
                "crlf": original.replace("\n", "\r\n").encode("utf-8"),
                "bom-crlf": b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"),
                "cp1252": original.encode("cp1252"),
                "cp1252-crlf": original.replace("\n", "\r\n").encode("cp1252"),
            }
            with tempfile.TemporaryDirectory() as tmp:
                os.mkdir(os.path.join(tmp, "utf8"))
                shutil.copy(os.path.join(CORPUS, name), os.path.join(tmp, "utf8", name))
                want = run_index("--dump", os.path.join(tmp, "utf8"))
                self.assertEqual(want.returncode, 0, want.stderr)
                self.assertGreater(len(want.stdout), 1000)
                for label, data in variants.items():
                    os.mkdir(os.path.join(tmp, label))
                    with open(os.path.join(tmp, label, name), "wb") as f:
                        f.write(data)
                    got = run_index("--dump", os.path.join(tmp, label))
                    self.assertEqual(got.returncode, 0, got.stderr)
                    self.assertEqual(got.stdout, want.stdout, f"{name} as {label}")


class BadInput(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_bad_files_named_others_indexed(self):
        expected = []
        for line in read_text(os.path.join(BAD, "expected.tsv")).splitlines():
            if line.strip() and not line.startswith("#"):
                name, lineno, reason = line.split("\t")
                expected.append((name, int(lineno), reason))
        self.assertEqual(len(expected), len([f for f in os.listdir(BAD) if f.endswith(".txt")]))
        p = run_index("--db", self.db, CORPUS, BAD)
        self.assertEqual(p.returncode, 1, p.stderr)
        errors = p.stderr.splitlines()
        for name, lineno, reason in expected:
            prefix = f"{BAD.rstrip('/')}/{name}:{lineno}: "
            hits = [e for e in errors if e.startswith(prefix)]
            self.assertEqual(len(hits), 1, f"{prefix} in {errors}")
            self.assertIn(reason, hits[0])
        self.assertEqual(count(self.db), 65)
        self.assertRegex(summary(p.stderr), SUMMARY)
        self.assertEqual(parsed_count(p.stderr), (5, 0, 0, len(expected)))

    def test_names_as_given(self):
        # The user's own spelling of the path, not an absolute or resolved one.
        shutil.copytree(BAD, os.path.join(self.tmp, "bad"))
        shutil.copy(os.path.join(CORPUS, "direktionen-2025-10-06.txt"), self.tmp)
        p = run_index("--dump", "bad", "./direktionen-2025-10-06.txt", cwd=self.tmp)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(len(p.stdout.splitlines()), 11)
        errors = p.stderr.splitlines()
        for prefix in ["bad/empty.txt:1: ", "bad/punkt-without-title.txt:7: "]:
            self.assertTrue(any(e.startswith(prefix) for e in errors), f"{prefix} in {errors}")
        self.assertNotIn(self.tmp, p.stderr)

    def test_dump_of_bad_file(self):
        p = run_index("--dump", os.path.join(BAD, "binary.txt"))
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "")
        self.assertIn("binary.txt:3: binary", p.stderr)

    def test_usage_errors(self):
        for args in [[], ["--nope", CORPUS], ["--db"], ["--db", "", CORPUS]]:
            p = run_index(*args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn("kommunesoeg-index", p.stderr)
        missing = os.path.join(self.tmp, "no-such-dir")
        p = run_index("--db", self.db, missing, CORPUS)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"{missing}: No such file or directory", p.stderr)
        self.assertEqual(count(self.db), 65)
        p = run_index("--db", "/proc/kommunesoeg/index", CORPUS)
        self.assertEqual(p.returncode, 2, p.stderr)
        p = run_index("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("Usage: kommunesoeg-index", p.stdout)
        p = run_index("--version")
        self.assertRegex(p.stdout, r"^kommunesoeg-index \d+\.\d+\.\d+")

    def test_bad_word_list_and_synonyms(self):
        # A word list or synonym file that was asked for and cannot be used stops
        # the run (exit 2) with a message naming it, and no index is written.
        bad = os.path.join(self.tmp, "synonyms.txt")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("# groups\nKB = kommunalbestyrelsen\n\nØU\n")
        db = os.path.join(self.tmp, "other-index")
        for args, message in [(["--synonyms", bad], f"{bad}:4: "),
                              (["--synonyms", os.path.join(self.tmp, "nope.txt")], "nope.txt"),
                              (["--words", os.path.join(self.tmp, "nope.dict")], "nope.dict")]:
            p = run_index("--db", db, *args, CORPUS)
            self.assertEqual(p.returncode, 2, (args, p.stderr))
            self.assertIn(message, p.stderr, args)
            self.assertFalse(os.path.exists(db), args)

    def test_not_regular_files_named(self):
        # A FIFO (or a socket) is named as not a regular file and never
        # opened: opening a FIFO for reading waits for a writer for ever.
        # Given as a PATH and met in the walk; the other files are indexed.
        docs = os.path.join(self.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        os.mkfifo(os.path.join(docs, "fifo.txt"))
        given = os.path.join(self.tmp, "given.md")
        os.mkfifo(given)
        sock = socket.socket(socket.AF_UNIX)
        self.addCleanup(sock.close)
        sock.bind(os.path.join(docs, "socket.md"))
        for mode in ("dump", "index"):
            with self.subTest(mode=mode):
                args = ["--dump"] if mode == "dump" else ["--db", self.db]
                try:
                    p = run_index(*args, docs, given, timeout=60)
                except subprocess.TimeoutExpired:
                    self.fail("the indexer hangs on a FIFO")
                self.assertEqual(p.returncode, 1, p.stderr)
                for path in (os.path.join(docs, "fifo.txt"), given,
                             os.path.join(docs, "socket.md")):
                    self.assertIn(f"{path}: not a regular file\n", p.stderr)
                if mode == "dump":
                    self.assertEqual(len(p.stdout.splitlines()), 65)
                else:
                    self.assertEqual(count(self.db), 65)
                    self.assertEqual(parsed_count(p.stderr), (5, 0, 0, 3))

    def test_long_line_and_long_record_cut(self):
        # A record's text holds at most 1 MB (KS_MAX_TEXT_BYTES), and so does
        # a line: what is past the bound is cut at a word, with a warning
        # naming FILE:LINE and the bound; the file is indexed (exit 0), its
        # short sections whole.
        line = os.path.join(self.tmp, "long-line.txt")
        with open(line, "wb") as f:
            f.write(mkbomb.long_line_minutes(3_000_000))
        lines = os.path.join(self.tmp, "many-lines.txt")
        with open(lines, "w", encoding="utf-8") as f:
            f.write("REFERAT Direktionen d. 01-12-2025\n\nPunkt 1: Mange linjer\n\n"
                    "Sagsfremstilling\n\n")
            for i in range(1500):
                f.write(f"Afsnit {i}: " + "kommunens budget for børn og unge " * 30 + "\n\n")
            f.write("Beslutning\n\nGodkendt.\n")
        p = run_index("--dump", line, lines)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stderr, rf"(?m)^{re.escape(line)}:11: warning: a line of \d+ bytes "
                         r"cut to its first \d+ \(a line holds at most 1048576 bytes, 1 MB\)$")
        self.assertRegex(p.stderr, rf"(?m)^{re.escape(line)}:5: warning: Punkt 1: its text cut "
                         r"to its first 1048576 bytes$")
        self.assertRegex(p.stderr, rf"(?m)^{re.escape(lines)}:3: warning: Punkt 1: its text "
                         r"cut to its first 1048576 bytes$")
        self.assertNotRegex(p.stderr, rf"{re.escape(lines)}:\d+: warning: a line")
        records = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual(len(records), 2)
        words = set(mkbomb.WORDS) | {"Afsnit", "kommunens", "budget", "for", "børn", "og",
                                     "unge"}
        for r in records:
            with self.subTest(record=r["id"]):
                text = r["text"].encode()
                self.assertLessEqual(len(text), 1 << 20)
                self.assertGreater(len(text), (1 << 20) - 300)
                self.assertEqual(r["sections"]["beslutning"], "Godkendt.")
                body = r["sections"]["sagsfremstilling"]
                # Cut after a whole word of the source, not inside one.
                last = body.split()[-1].rstrip(".:")
                self.assertTrue(last in words or last.isdigit(), last)
        self.assertTrue(records[0]["sections"]["sagsfremstilling"].startswith(
            "kommunen budget borgerne"))
        p = run_index("--db", self.db, line, lines)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(count(self.db), 2)

    def test_bad_pdf_limits(self):
        # --pdf-memory and --pdf-seconds are checked like --jobs: exit 2 with
        # the reason, and no index.
        db = os.path.join(self.tmp, "bad")
        for flag, bad, message in [
                ("--pdf-memory", "0", "megabytes from 64 to 1048576"),
                ("--pdf-memory", "63", "megabytes from 64 to 1048576"),
                ("--pdf-memory", "1048577", "megabytes from 64 to 1048576"),
                ("--pdf-memory", "mange", "megabytes from 64 to 1048576"),
                ("--pdf-memory", "", "megabytes from 64 to 1048576"),
                ("--pdf-seconds", "0", "seconds from 1 to 86400"),
                ("--pdf-seconds", "86401", "seconds from 1 to 86400"),
                ("--pdf-seconds", "-1", "seconds from 1 to 86400"),
                ("--pdf-seconds", "1.5", "seconds from 1 to 86400")]:
            with self.subTest(flag=flag, value=bad):
                p = run_index(flag, bad, "--db", db, CORPUS)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(f"{flag} needs a number of {message}, not '{bad}'", p.stderr)
                self.assertFalse(os.path.exists(db))
        p = run_index("--pdf-memory", "64", "--pdf-seconds", "86400", "--db", db, CORPUS)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_summary_and_quiet(self):
        p = run_index("--db", self.db, CORPUS)
        self.assertEqual(p.returncode, 0)
        self.assertRegex(summary(p.stderr), SUMMARY)
        self.assertNotIn("\r", p.stderr, "no progress line when stderr is not a terminal")
        p = run_index("--quiet", "--db", self.db, CORPUS)
        self.assertEqual((p.returncode, p.stderr), (0, ""))

    def test_unwritable_index_says_why(self):
        # An index the indexer may not write is named with the system's reason
        # (exit 2, the index intact); only a real lock is "another
        # kommunesoeg-index is writing it".
        os.chmod(self.tmp, 0o755)
        docs = os.path.join(self.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        p = run_index("--quiet", "--db", self.db, docs)
        self.assertEqual(p.returncode, 0, p.stderr)

        # Permission denied.  Root may write anything: run as nobody.
        if os.geteuid() == 0:
            as_other = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        else:
            as_other = []
            os.chmod(self.db, 0o555)
            self.addCleanup(os.chmod, self.db, 0o755)
        p = subprocess.run([*as_other, INDEX, "--db", self.db, docs], capture_output=True,
                           text=True, timeout=300)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(f"cannot write the index {self.db}: Permission denied", p.stderr)
        self.assertNotIn("another kommunesoeg-index", p.stderr)

        # A read-only file system (a read-only bind mount of the index, where
        # mounting is permitted).
        ro = os.path.join(self.tmp, "ro")
        os.mkdir(ro)
        mounted = subprocess.run(["mount", "--bind", self.db, ro], capture_output=True).returncode == 0
        if mounted:
            try:
                self.assertEqual(subprocess.run(["mount", "-o", "remount,ro,bind", ro],
                                                capture_output=True).returncode, 0)
                p = run_index("--db", ro, docs)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(f"cannot write the index {ro}: Read-only file system", p.stderr)
                self.assertNotIn("another kommunesoeg-index", p.stderr)
            finally:
                subprocess.run(["umount", ro], check=True)

        # Not a directory: the index's folder is a file.
        plain = os.path.join(self.tmp, "plain.txt")
        with open(plain, "w") as f:
            f.write("x\n")
        p = run_index("--db", os.path.join(plain, "index"), docs)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("Not a directory", p.stderr)
        self.assertNotIn("another kommunesoeg-index", p.stderr)

        # A real lock: Xapian's lock file locked as a writer holds it.
        fd = os.open(os.path.join(self.db, "flintlock"), os.O_RDWR | os.O_CREAT)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            p = run_index("--db", self.db, docs)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertIn(f"cannot open the index {self.db}: another kommunesoeg-index is "
                          "writing it", p.stderr)
        finally:
            os.close(fd)
        self.assertEqual(count(self.db), 65)
        p = run_index("--db", self.db, docs)
        self.assertEqual(parsed_count(p.stderr), (0, 5, 0, 0))


class Incremental(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        self.docs = os.path.join(self.tmp, "docs")
        shutil.copytree(CORPUS, self.docs)
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def index(self, *paths, status=0):
        p = run_index("--db", self.db, *(paths or [self.docs]))
        self.assertEqual(p.returncode, status, p.stderr)
        return parsed_count(p.stderr)

    def test_only_changes_are_read(self):
        self.assertEqual(self.index(), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 65)
        self.assertEqual(self.index(), (0, 5, 0, 0))
        self.assertEqual(count(self.db), 65)

        path = os.path.join(self.docs, "direktionen-2025-10-06.txt")
        text = read_text(path)
        self.assertIn("Ingen bemærkninger.", text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("Ingen bemærkninger.", "Ingen bemærkninger. Zebrafinke."))
        self.assertEqual(self.index(), (1, 4, 0, 0))
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "zebrafinke")[1], ["direktionen-2025-10-06-11"])

        phrase = '"Ny vejledning fra KL om chikane"'
        self.assertEqual(search(self.db, phrase)[0], 1)
        os.remove(os.path.join(self.docs, "direktionen-2023-11-06.txt"))
        self.assertEqual(self.index(), (0, 4, 1, 0))
        self.assertEqual(count(self.db), 54)
        self.assertEqual(search(self.db, phrase)[0], 0)

        # Touched but unchanged: read again, not re-indexed.
        os.utime(path, (time.time() + 10, time.time() + 10))
        self.assertEqual(self.index(), (0, 4, 0, 0))
        self.assertEqual(count(self.db), 54)

    def test_files_outside_the_paths_stay(self):
        other = os.path.join(self.tmp, "other")
        os.mkdir(other)
        shutil.move(os.path.join(self.docs, "budget-2024-oekonomiudvalget.txt"), other)
        self.assertEqual(self.index(self.docs, other), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 65)
        # Indexing only docs/ again removes nothing of other/.
        self.assertEqual(self.index(self.docs), (0, 4, 0, 0))
        self.assertEqual(count(self.db), 65)

    def test_failing_file_keeps_its_last_good_records(self):
        self.index()
        path = os.path.join(self.docs, "direktionen-2025-11-17.txt")
        with open(path, "w") as f:
            f.write("")
        p = run_index("--db", self.db, self.docs)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f"{path}:1: empty file", p.stderr)
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "hjemløsestrategi")[0], 2)

    def test_links_and_paths_named_twice(self):
        # A link back up the tree is not followed; a file reached twice
        # (by a link, or named again on the command line) is read once.
        os.symlink(self.docs, os.path.join(self.docs, "loop"))
        os.symlink(os.path.join(self.docs, "direktionen-2025-10-06.txt"),
                   os.path.join(self.docs, "link.txt"))
        again = os.path.join(self.docs, "direktionen-2025-11-17.txt")
        self.assertEqual(self.index(self.docs, again), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 65)

    def test_other_schema_rebuilt_beside_and_swapped(self):
        # An index of another schema version is rebuilt from every file into a new
        # directory that takes the old one's place in one step: the same records, a
        # new directory, nothing left beside it, and the next run reads nothing.
        self.assertEqual(self.index(), (5, 0, 0, 0))
        subprocess.run(["xapian-metadata", "set", self.db, "schema", "0"], check=True)
        before = os.stat(self.db).st_ino
        self.assertEqual(self.index(), (5, 0, 0, 0))
        self.assertNotEqual(os.stat(self.db).st_ino, before)
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "hjemløsestrategi")[0], 2)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["docs", "index"])
        self.assertEqual(self.index(), (0, 5, 0, 0))

    def test_other_synonyms_rebuild(self):
        # The records carry the synonym groups' terms: a changed synonym file
        # indexes every record anew (beside the old index, swapped in), an
        # unchanged one nothing.
        synonyms = os.path.join(self.tmp, "synonyms.txt")
        with open(synonyms, "w", encoding="utf-8") as f:
            f.write("KB = kommunalbestyrelsen\n")
        p = run_index("--db", self.db, "--synonyms", synonyms, self.docs)
        self.assertEqual(parsed_count(p.stderr), (5, 0, 0, 0))
        self.assertEqual(search(self.db, "fællesskabsudvalget")[0], 0)
        before = os.stat(self.db).st_ino
        p = run_index("--db", self.db, "--synonyms", synonyms, self.docs)
        self.assertEqual(parsed_count(p.stderr), (0, 5, 0, 0))
        with open(synonyms, "a", encoding="utf-8") as f:
            f.write("fællesskabsudvalget = Social- og Boligstyrelsen\n")
        p = run_index("--db", self.db, "--synonyms", synonyms, self.docs)
        self.assertEqual(parsed_count(p.stderr), (5, 0, 0, 0))
        self.assertNotEqual(os.stat(self.db).st_ino, before)
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "fællesskabsudvalget")[0], 2)
        self.assertEqual(search(self.db, "KB")[0], search(self.db, "kommunalbestyrelsen")[0])

    def test_same_file_name_in_two_folders(self):
        os.mkdir(os.path.join(self.docs, "kopi"))
        shutil.copy(os.path.join(CORPUS, "direktionen-2025-11-17.txt"),
                    os.path.join(self.docs, "kopi"))
        self.index()
        self.assertEqual(count(self.db), 79)
        ids = search(self.db, "hjemløsestrategi", 10)[1]
        self.assertIn("direktionen-2025-11-17-6", ids)
        self.assertTrue(any(re.fullmatch(r"direktionen-2025-11-17-6-[0-9a-f]{6}", i) for i in ids),
                        ids)


class Atomic(unittest.TestCase):
    """Readers see the old index or the new one; a killed run changes nothing."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        cls.big = os.path.join(cls.tmp, "generated")
        subprocess.run([sys.executable, GENCORPUS, "--meetings", "300", "--seed", "3",
                        "--out", cls.big], check=True, capture_output=True, timeout=120)
        p, records = dump(cls.big)
        assert p.returncode == 0, p.stderr
        cls.big_records = len(records)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.db = os.path.join(self.tmp, "index")
        shutil.rmtree(self.db, ignore_errors=True)
        p = run_index("--db", self.db, CORPUS)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_killed_run_leaves_old_index(self):
        proc = subprocess.Popen([INDEX, "--quiet", "--db", self.db, self.big],
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if finished:
            # Too fast to be killed mid-run: then it must have completed.
            self.assertEqual(proc.returncode, 0)
            self.assertEqual(count(self.db), 65 + self.big_records)
            return
        self.assertEqual(count(self.db), 65)
        self.assertEqual(search(self.db, "hjemløsestrategi")[0], 2)
        # The lock died with the writer: the next run completes.
        p = run_index("--quiet", "--db", self.db, self.big)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(count(self.db), 65 + self.big_records)

    def test_killed_fresh_build_leaves_nothing(self):
        fresh = os.path.join(self.tmp, "fresh", "index")
        proc = subprocess.Popen([INDEX, "--quiet", "--db", fresh, self.big],
                                stderr=subprocess.DEVNULL)
        time.sleep(0.5)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if finished:
            self.assertEqual(proc.returncode, 0)
            self.assertEqual(count(fresh), self.big_records)
            shutil.rmtree(fresh)
        self.assertFalse(os.path.exists(fresh))
        p = run_index("--quiet", "--db", fresh, CORPUS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(count(fresh), 65)
        self.assertEqual(os.listdir(os.path.dirname(fresh)), ["index"], "stale build removed")

    def test_reader_sees_old_or_new(self):
        proc = subprocess.Popen([INDEX, "--quiet", "--db", self.db, self.big],
                                stderr=subprocess.DEVNULL)
        seen = set()
        deadline = time.time() + 240
        while proc.poll() is None and time.time() < deadline:
            seen.add(count(self.db))
            time.sleep(0.05)
        self.assertEqual(proc.wait(timeout=60), 0)
        seen.add(count(self.db))
        self.assertEqual(seen - {65, 65 + self.big_records}, set())
        self.assertIn(65 + self.big_records, seen)


class Parallel(unittest.TestCase):
    """A fresh index is written by --jobs N writers at once, each into a part
    of its own, and the parts compacted into one: it holds exactly what one
    writer's index holds, document for document, term for term, position for
    position, with the same spelling data, synonyms and file states."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        cls.docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, os.path.join(cls.docs, "corpus"))
        # A file of the same name in another folder: its ids are told apart
        # from the first file's in file order, which the writers keep.
        os.makedirs(os.path.join(cls.docs, "kopi"))
        shutil.copy(os.path.join(CORPUS, "direktionen-2025-10-06.txt"),
                    os.path.join(cls.docs, "kopi", "direktionen-2025-10-06.txt"))
        # A file that cannot be parsed is named; the rest is indexed.
        shutil.copy(os.path.join(BAD, "no-items.txt"), os.path.join(cls.docs, "corpus"))
        subprocess.run([sys.executable, GENCORPUS, "--meetings", "40", "--seed", "5",
                        "--out", os.path.join(cls.docs, "generated")],
                       check=True, capture_output=True, timeout=120)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def build(self, jobs, part_records=None):
        db = os.path.join(self.tmp, f"jobs-{jobs}-{part_records}", "index")
        env = {"KS_PART_RECORDS": str(part_records)} if part_records else None
        p = run_index("--jobs", str(jobs), "--db", db, self.docs, env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("no-items.txt", p.stderr)
        self.assertEqual(os.listdir(os.path.dirname(db)), ["index"], "the parts are removed")
        parts = re.search(r"compacting (\d+) parts of (\d+) writers", p.stderr)
        if jobs == 1:
            self.assertIsNone(parts, "one writer writes the index itself")
        elif part_records:
            self.assertEqual(int(parts[2]), jobs, p.stderr)
            # Each writer went on in new parts, but never between the two
            # files of the same name (the first writer's).
            self.assertGreater(int(parts[1]), 3 * jobs, p.stderr)
        else:
            self.assertEqual(parts.groups(), (str(jobs), str(jobs)), p.stderr)
        # Bytes: the values of numbers are binary.
        d = subprocess.run([KS_DUMP, db], capture_output=True, timeout=120)
        self.assertEqual(d.returncode, 0, d.stderr)
        lines = d.stdout.split(b"\n")
        self.assertEqual(lines[0], f"documents {count(db)}".encode())
        self.assertIn(f" {count(db)} records in {db},", p.stderr, "the summary counts every part")
        return lines

    def test_any_number_of_writers_write_the_same_index(self):
        one = self.build(1)
        self.assertGreater(len(one), 10000)
        ids = [line.split()[1] for line in one if line.startswith(b"document ")]
        self.assertIn(b"Qdirektionen-2025-10-06-3", ids)
        self.assertEqual(len([i for i in ids if i.startswith(b"Qdirektionen-2025-10-06-3-")]),
                         1, "the copy's id gets its file's hash")
        # Also in parts of a few records each (KS_PART_RECORDS), each
        # writer going on in a new database that the end compacts.
        for jobs, part_records in ((2, None), (3, None), (2, 40), (3, 15)):
            with self.subTest(jobs=jobs, part_records=part_records):
                other = self.build(jobs, part_records)
                first = next((i for i, (a, b) in enumerate(zip(one, other)) if a != b),
                             None if len(one) == len(other) else min(len(one), len(other)))
                self.assertIsNone(first, f"line {first}: {one[first:first + 1]} != "
                                         f"{other[first:first + 1]}" if first is not None
                                  else "")

    def test_bad_part_size(self):
        for bad in ("0", "ti", "-5"):
            with self.subTest(part_records=bad):
                p = run_index("--jobs", "2", "--db", os.path.join(self.tmp, "bad"), self.docs,
                              env={"KS_PART_RECORDS": bad})
                self.assertEqual(p.returncode, 2)
                self.assertIn("KS_PART_RECORDS needs a number of records from 1 to", p.stderr)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad")))

    def test_bad_number_of_writers(self):
        for bad in ("0", "65", "zwei", ""):
            with self.subTest(jobs=bad):
                p = run_index("--jobs", bad, "--db", os.path.join(self.tmp, "bad"), self.docs)
                self.assertEqual(p.returncode, 2)
                self.assertIn("--jobs needs a number of writers from 1 to 64", p.stderr)
                self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad")))

    def test_update_after_a_parallel_build(self):
        db = os.path.join(self.tmp, "update", "index")
        p = run_index("--quiet", "--jobs", "2", "--db", db, self.docs)
        self.assertEqual(p.returncode, 1, p.stderr)
        before = count(db)
        self.assertEqual(search(db, "zebrafinker")[0], 0)
        changed = os.path.join(self.docs, "kopi", "direktionen-2025-10-06.txt")
        text = read_text(changed)
        try:
            with open(changed, "w", encoding="utf-8") as f:
                f.write(text.replace("Fællesskaber for alle", "Fællesskaber for zebrafinker"))
            p = run_index("--quiet", "--jobs", "2", "--db", db, self.docs)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertEqual(count(db), before)
            self.assertEqual(search(db, "zebrafinker")[0], 1)
        finally:
            with open(changed, "w", encoding="utf-8") as f:
                f.write(text)


def served(test, db, ids):
    """Starts the real server on DB and checks that every id of IDS is served,
    as /api/item/ID and as the item page /item/ID."""
    from test_server import Server, request
    server = Server([db], WEB)
    test.addCleanup(server.kill)
    for i in ids:
        r = request(server.port, "GET", "/api/item/" + i)
        test.assertEqual(r.status, 200, (i, r))
        test.assertEqual(r.json()["id"], i)
        r = request(server.port, "GET", "/item/" + i)
        test.assertEqual(r.status, 200, (i, r))
    server.stop_and_check()


class LongNames(unittest.TestCase):
    """Every name Linux allows: file names of up to 255 bytes, paths of up to
    4,000 bytes, names not in UTF-8.  Their records get ids of at most 200
    characters of a-z 0-9 '-', which the server serves, and their state fits
    Xapian's keys."""

    STEM = b"referat-direktionen-2025-10-06-"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        cls.docs = os.path.join(cls.tmp, "docs")
        os.mkdir(cls.docs)
        stem = cls.STEM
        cls.names = {
            # the most a name may have
            "255": (stem + b"x" * (255 - len(stem) - 4) + b".txt", "direktionen-2025-10-06.txt"),
            # 203-239 bytes: ids over 200 characters
            "220": (stem + b"y" * (220 - len(stem) - 4) + b".txt", "direktionen-2025-11-17.txt"),
            # two names alike but for their last letters
            "a": (stem + b"z" * (255 - len(stem) - 6) + b"-a.txt", "direktionen-2023-11-06.txt"),
            "b": (stem + b"z" * (255 - len(stem) - 6) + b"-b.txt", "direktionen-2023-11-06.txt"),
            # an id twice as long as the name: "ae" for every "æ" (2 bytes)
            "ae": ("æ".encode() * 126 + b".md", "direktionen-2025-08-18.md"),
            # Windows-1252 "ældre", not UTF-8
            "cp1252": (b"referat-\xe6ldre-2025.txt", "direktionen-2025-11-17.txt"),
        }
        for name, source in cls.names.values():
            shutil.copy(os.path.join(CORPUS, source), os.path.join(os.fsencode(cls.docs), name))
        # A path of 4,000 bytes: folders of 250 bytes one in the other.
        base = len(os.fsencode(cls.docs)) + 1
        depth = (4000 - base - 60) // 251
        name = b"budget-2024-oekonomiudvalget-"
        name += b"n" * (4000 - base - 251 * depth - len(name) - 4) + b".txt"
        cls.deep = os.path.join(os.fsencode(cls.docs), *[b"d" * 250] * depth, name)
        assert len(cls.deep) == 4000 and len(name) <= 255, (len(cls.deep), len(name))
        os.makedirs(os.path.dirname(cls.deep))
        shutil.copy(os.path.join(CORPUS, "budget-2024-oekonomiudvalget.txt"), cls.deep)
        cls.records = 11 + 14 + 11 + 11 + 12 + 14 + 17

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def dump_records(self, docs):
        p = subprocess.run([INDEX, "--dump", docs], capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        # Strict: every string of a record is UTF-8, whatever bytes a name has.
        return [json.loads(line.decode("utf-8")) for line in p.stdout.splitlines()]

    def test_ids_fit_and_are_served(self):
        db = os.path.join(self.tmp, "index")
        p = run_index("--db", db, self.docs)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(parsed_count(p.stderr), (7, 0, 0, 0))
        self.assertEqual(count(db), self.records)
        records = self.dump_records(self.docs)
        self.assertEqual(len(records), self.records)
        ids = [r["id"] for r in records]
        self.assertEqual(len(set(ids)), len(ids), "ids are unique")
        for r in records:
            self.assertRegex(r["id"], r"^[a-z0-9-]{1,200}$")
            self.assertEqual(r["url"], "/item/" + r["id"])
            # the index holds the record under the id --dump printed
            self.assertEqual(json.loads(dbcheck(db, "data", r["id"])[0])["id"], r["id"])
        sources = {r["source"] for r in records}
        self.assertIn("referat-ældre-2025.txt", sources)
        self.assertIn(os.fsdecode(os.path.basename(self.deep)), sources)
        # The two names alike get ids apart, each readable from the name.
        by_source = {}
        for r in records:
            by_source.setdefault(r["source"], set()).add(r["id"])
        ids_a, ids_b = (by_source[os.fsdecode(self.names[k][0])] for k in "ab")
        self.assertEqual(len(ids_a), 11)
        self.assertEqual(ids_a & ids_b, set())
        for key in "a", "b", "255", "220":
            for i in by_source[os.fsdecode(self.names[key][0])]:
                self.assertTrue(i.startswith("referat-direktionen-2025-10-06-"), i)
        for i in by_source[os.fsdecode(self.names["ae"][0])]:
            self.assertTrue(i.startswith("aeaeaeae"), i)
        served(self, db, ids)

    def test_rerun_change_and_removal(self):
        docs = os.path.join(self.tmp, "copy")
        shutil.copytree(self.docs, docs, symlinks=True)
        self.addCleanup(shutil.rmtree, docs)
        db = os.path.join(self.tmp, "index-2")
        p = run_index("--db", db, docs)
        self.assertEqual(parsed_count(p.stderr), (7, 0, 0, 0), p.stderr)
        p = run_index("--db", db, docs)
        self.assertEqual(parsed_count(p.stderr), (0, 7, 0, 0), p.stderr)
        deep = os.path.join(os.fsencode(docs), os.path.relpath(self.deep, os.fsencode(self.docs)))
        with open(deep, "ab") as f:
            f.write(b"\n")
        p = run_index("--db", db, docs)
        self.assertEqual(parsed_count(p.stderr), (1, 6, 0, 0), p.stderr)
        os.remove(deep)
        os.remove(os.path.join(os.fsencode(docs), self.names["255"][0]))
        p = run_index("--db", db, docs)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(parsed_count(p.stderr), (0, 5, 2, 0))
        self.assertEqual(count(db), self.records - 11 - 17)


class Moved(unittest.TestCase):
    """A file is known by its path under the PATH it was found in: an archive
    moved, mounted elsewhere or renamed is recognised, and nothing in it is
    read again."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        self.docs = os.path.join(self.tmp, "srv", "docs")
        shutil.copytree(CORPUS, self.docs)
        os.mkdir(os.path.join(self.docs, "2023"))
        os.rename(os.path.join(self.docs, "direktionen-2023-11-06.txt"),
                  os.path.join(self.docs, "2023", "direktionen-2023-11-06.txt"))
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def index(self, *paths, status=0):
        p = run_index("--db", self.db, *paths)
        self.assertEqual(p.returncode, status, p.stderr)
        return parsed_count(p.stderr)

    def test_moved_archive_is_not_read_again(self):
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        before = ks_dump(self.db)
        moved = os.path.join(self.tmp, "mnt", "arkiv")
        os.makedirs(os.path.dirname(moved))
        os.rename(self.docs, moved)
        self.assertEqual(self.index(moved), (0, 5, 0, 0))
        after = ks_dump(self.db)
        self.assertEqual(without_roots(after), without_roots(before))
        self.assertIn(f"metadata root:1 {moved}".encode(), after)
        # And it goes on as before: a change is read, a file gone removed.
        self.assertEqual(self.index(moved), (0, 5, 0, 0))
        with open(os.path.join(moved, "direktionen-2025-10-06.txt"), "a") as f:
            f.write("\n")
        self.assertEqual(self.index(moved), (1, 4, 0, 0))
        os.remove(os.path.join(moved, "2023", "direktionen-2023-11-06.txt"))
        self.assertEqual(self.index(moved), (0, 4, 1, 0))
        self.assertEqual(count(self.db), 54)

    def test_renamed_archive_and_the_old_place_still_there(self):
        # Renamed in place; the old folder made again, empty (a mount point).
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        before = without_roots(ks_dump(self.db))
        renamed = self.docs + "-2025"
        os.rename(self.docs, renamed)
        os.mkdir(self.docs)
        self.assertEqual(self.index(renamed), (0, 5, 0, 0))
        self.assertEqual(without_roots(ks_dump(self.db)), before)

    def test_a_copy_is_not_a_move(self):
        # The old archive is still there: the copy is other files, and the
        # old ones stay.
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        copy = os.path.join(self.tmp, "copy")
        shutil.copytree(self.docs, copy)
        self.assertEqual(self.index(copy), (5, 0, 0, 0))
        self.assertEqual(count(self.db), 130)
        self.assertEqual(self.index(self.docs), (0, 5, 0, 0))
        self.assertEqual(count(self.db), 130)

    def test_two_archives_with_the_same_names(self):
        # Two PATHs holding the same relative names are different files; a
        # run over one removes nothing of the other.
        other = os.path.join(self.tmp, "other")
        shutil.copytree(self.docs, other)
        self.assertEqual(self.index(self.docs, other), (10, 0, 0, 0))
        self.assertEqual(count(self.db), 130)
        os.remove(os.path.join(other, "direktionen-2025-10-06.txt"))
        self.assertEqual(self.index(self.docs), (0, 5, 0, 0))
        self.assertEqual(count(self.db), 130)
        self.assertEqual(self.index(other), (0, 4, 1, 0))
        self.assertEqual(count(self.db), 119)

    def test_a_folder_of_the_archive_alone(self):
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        self.assertEqual(self.index(os.path.join(self.docs, "2023")), (0, 1, 0, 0))
        self.assertEqual(self.index(os.path.join(self.docs, "direktionen-2025-10-06.txt")),
                         (0, 1, 0, 0))
        self.assertEqual(count(self.db), 65)
        os.remove(os.path.join(self.docs, "2023", "direktionen-2023-11-06.txt"))
        self.assertEqual(self.index(os.path.join(self.docs, "2023")), (0, 0, 1, 0))
        self.assertEqual(count(self.db), 54)

    def test_a_file_moved_in_the_archive_keeps_its_ids(self):
        self.assertEqual(self.index(self.docs), (5, 0, 0, 0))
        os.rename(os.path.join(self.docs, "direktionen-2025-10-06.txt"),
                  os.path.join(self.docs, "2023", "direktionen-2025-10-06.txt"))
        self.assertEqual(self.index(self.docs), (1, 4, 1, 0))
        self.assertEqual(count(self.db), 65)
        self.assertEqual(json.loads(dbcheck(self.db, "data", "direktionen-2025-10-06-3")[0])["id"],
                         "direktionen-2025-10-06-3")


class Bounded(unittest.TestCase):
    """No run holds more than KS_UPDATE_RECORDS changed records in one
    transaction: past it, the index is built anew beside the old one and
    swapped in, with the files of every PATH it holds."""

    BOUND = 30

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-e2e-")
        self.docs = os.path.join(self.tmp, "docs")
        shutil.copytree(CORPUS, self.docs)
        # a PATH indexed in an earlier run only
        self.other = os.path.join(self.tmp, "other")
        os.mkdir(self.other)
        os.rename(os.path.join(self.docs, "budget-2024-oekonomiudvalget.txt"),
                  os.path.join(self.other, "budget-2024-oekonomiudvalget.txt"))
        self.db = os.path.join(self.tmp, "index")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def index(self, *paths, jobs="1", bound=None):
        env = {"KS_UPDATE_RECORDS": str(bound or self.BOUND)}
        p = run_index("--jobs", jobs, "--db", self.db, *paths, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p

    def add(self, source, name):
        shutil.copy(os.path.join(CORPUS, source), os.path.join(self.docs, name))

    def check_large_change(self, jobs):
        self.index(self.docs, self.other, jobs=jobs)
        self.assertEqual(count(self.db), 65)
        inode = os.stat(self.db).st_ino
        # 25 records (of two new files): one update, in place.
        self.add("direktionen-2025-10-06.txt", "a-2025-10-06.txt")
        self.add("direktionen-2025-11-17.txt", "a-2025-11-17.txt")
        p = self.index(self.docs, jobs=jobs)
        self.assertEqual(parsed_count(p.stderr), (2, 4, 0, 0))
        self.assertNotIn("anew", p.stderr)
        self.assertEqual(os.stat(self.db).st_ino, inode)
        self.assertEqual(count(self.db), 90)
        # 37 records: built anew and swapped in, the other PATH's file too.
        self.add("direktionen-2025-10-06.txt", "b-2025-10-06.txt")
        self.add("direktionen-2025-11-17.txt", "b-2025-11-17.txt")
        self.add("direktionen-2025-08-18.md", "b-2025-08-18.md")
        p = self.index(self.docs, jobs=jobs)
        self.assertIn(f"37 records change, more than {self.BOUND} (KS_UPDATE_RECORDS): "
                      "building the index anew", p.stderr)
        self.assertNotEqual(os.stat(self.db).st_ino, inode)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["docs", "index", "other"])
        self.assertEqual(count(self.db), 127)
        self.assertEqual(search(self.db, "type:budget")[0], 17)
        # What it holds is what a new index of the same files holds.
        fresh = os.path.join(self.tmp, "fresh")
        p = run_index("--jobs", jobs, "--db", fresh, self.docs, self.other)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(ks_dump(self.db), ks_dump(fresh))
        shutil.rmtree(fresh)
        # Nothing changed: nothing read.
        p = self.index(self.docs, jobs=jobs)
        self.assertEqual(parsed_count(p.stderr), (0, 9, 0, 0))
        # Removing 37 records is as large a change.
        inode = os.stat(self.db).st_ino
        for name in "b-2025-10-06.txt", "b-2025-11-17.txt", "b-2025-08-18.md":
            os.remove(os.path.join(self.docs, name))
        p = self.index(self.docs, jobs=jobs)
        self.assertIn("building the index anew", p.stderr)
        self.assertEqual(parsed_count(p.stderr)[2], 3, p.stderr)
        self.assertNotEqual(os.stat(self.db).st_ino, inode)
        self.assertEqual(count(self.db), 90)
        self.assertEqual(search(self.db, "type:budget")[0], 17)

    def test_large_change_one_writer(self):
        self.check_large_change("1")

    def test_large_change_two_writers(self):
        self.check_large_change("2")

    def test_bad_bound(self):
        for bad in ("0", "many", "-1"):
            with self.subTest(bound=bad):
                p = run_index("--db", self.db, self.docs, env={"KS_UPDATE_RECORDS": bad})
                self.assertEqual(p.returncode, 2)
                self.assertIn("KS_UPDATE_RECORDS needs a number of records from 1 to", p.stderr)
                self.assertFalse(os.path.exists(self.db))


class Generated(unittest.TestCase):
    """bench/gencorpus.py, the made-up minutes of the load, kill, shard and
    benchmark runs: deterministic, and read by the indexer as it means them."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="ks-gen-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def generate(self, name, *args):
        out = os.path.join(self.tmp, name)
        p = subprocess.run([sys.executable, GENCORPUS, "--out", out, *args],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"^gencorpus: seed \S+: \d+ meetings with \d+ items")
        return out

    def files(self, top):
        out = {}
        for d, _, names in os.walk(top):
            for n in names:
                with open(os.path.join(d, n), "rb") as f:
                    out[os.path.relpath(os.path.join(d, n), top)] = f.read()
        return out

    def test_same_seed_same_bytes(self):
        a = self.files(self.generate("a", "--meetings", "60", "--seed", "4", "--jobs", "1"))
        b = self.files(self.generate("b", "--meetings", "60", "--seed", "4", "--jobs", "3"))
        c = self.files(self.generate("c", "--meetings", "60", "--seed", "5", "--jobs", "1"))
        self.assertEqual(len(a), 61, "60 meetings and one budget file")
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)

    def test_records_as_meant(self):
        """Every meeting and budget file is read, with its items, closed
        items, case numbers, sections, decisions and net budgets."""
        out = self.generate("shape", "--meetings", "100", "--seed", "6", "--budget-every", "25")
        p, records = dump(out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(": error", p.stderr)
        items = [r for r in records if r["type"] == "punkt"]
        budget = [r for r in records if r["type"] == "budget"]
        self.assertEqual(len({r["source"] for r in items}), 100)
        self.assertEqual(len({r["source"] for r in budget}), 4)
        self.assertTrue(9 * 100 < len(items) < 16 * 100, len(items))
        closed = [r for r in items if r["lukket"]]
        self.assertTrue(0.25 < len(closed) / len(items) < 0.45, len(closed))
        self.assertTrue(all(r["title"] and not r["text"] for r in closed))
        cased = [r for r in items if r["sagsnummer"]]
        self.assertGreater(len(cased), len(items) * 3 // 4)
        self.assertTrue(any(re.fullmatch(r"\d\d-\d{6}[A-Z]", r["sagsnummer"]) for r in cased))
        self.assertLess(len({r["sagsnummer"] for r in cased}), len(cased), "cases recur")
        sections = set().union(*(r["sections"] for r in items))
        self.assertLessEqual({"beslutning", "resume", "indstillinger", "sagsfremstilling",
                              "oekonomi"}, sections)
        self.assertTrue(any(r["behandling"] for r in items) and any(r["bilag"] for r in items))
        self.assertTrue(all(isinstance(r["nettobudget"], int) and r["nettobudget"] > 0
                            for r in budget))
        self.assertGreater(len(budget), 4 * 8)
        self.assertTrue(all(r["year"] for r in budget))
        with_md = [r for r in items if r["source"].endswith(".md")]
        self.assertTrue(with_md, "some minutes are Markdown")

    def test_layouts_read_alike(self):
        """The same meetings written as plain text, as Markdown and as the
        text a PDF gives (hyphenation at line ends, page breaks inside
        paragraphs, lost bullet glyphs) give the same records, word for word."""
        got = {}
        for layout in ("txt", "md", "pdf"):
            out = self.generate(layout, "--meetings", "40", "--seed", "8",
                                "--budget-every", "0", "--layout", layout)
            p, records = dump(out)
            self.assertEqual(p.returncode, 0, p.stderr)
            got[layout] = {}
            for r in records:
                for k in ("source", "page"):
                    r.pop(k, None)
                # Line breaks are the layout's: a PDF's list items are
                # paragraphs of their own, a table row's line may wrap.
                got[layout][r["id"]] = json.loads(re.sub(r"(\\n|\s)+", " ",
                                                         json.dumps(r, ensure_ascii=False)))
        self.assertGreater(len(got["txt"]), 400)
        for layout in ("md", "pdf"):
            with self.subTest(layout=layout):
                self.assertEqual(sorted(got[layout]), sorted(got["txt"]))
                for rid, r in got["txt"].items():
                    self.assertEqual(got[layout][rid], r, rid)


if __name__ == "__main__":
    for name, value in [("KS_INDEX", INDEX), ("KS_DBCHECK", DBCHECK), ("KS_DUMP", KS_DUMP),
                        ("KS_CORPUS", CORPUS), ("KS_BAD", BAD), ("KS_GENCORPUS", GENCORPUS)]:
        if not value:
            sys.exit(f"test_indexer.py: {name} is not set (run it through meson test)")
    unittest.main(verbosity=2)
