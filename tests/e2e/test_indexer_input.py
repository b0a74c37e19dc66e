#!/usr/bin/env python3
"""The real kommunesoeg-index on what it reads: --dump on the shipped corpus,
the encodings it accepts, files that must fail (tests/data/bad/, costly
inputs of tests/tools/mkbomb.py) and the made-up minutes of
bench/gencorpus.py.

Usage: test_indexer_input.py [GROUP...] (one meson test per group).
"""

import fcntl
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

from harness import (main, INDEX, CORPUS, BAD, GENCORPUS, build_index, run_index, dump, count, read_text,
                     summary, parsed_count, mkbomb)


FIELDS = {"id", "type", "title", "sagsnummer", "lukket", "date", "udvalg", "punkt", "meeting",
          "sections", "behandling", "bilag", "nettobudget", "text", "source"}
SUMMARY = re.compile(r"^kommunesoeg-index: \d+ files .*\d+ records.* in \d+\.\d+ s$")
NETTOBUDGETS = [50190100, 81205800, 26854400, 5000000, 21193700, 6681800, 5131600, 39254500,
                13725000, 7882800, 19565000, 10000000, 2234900, 9000000, 44166100, 13541600,
                104816500]


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
        # So does an update that has nothing to index, and reads no word list.
        build_index(db, CORPUS)
        p = run_index("--db", db, "--words", os.path.join(self.tmp, "nope.dict"), CORPUS)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("nope.dict", p.stderr)

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
    main("KS_INDEX", "KS_DBCHECK", "KS_DUMP", "KS_CORPUS", "KS_BAD", "KS_GENCORPUS")
