#!/usr/bin/env python3
"""End-to-end tests of the PDF input: the real kommunesoeg-index on PDFs made
here from the corpus's own documents.

Each document of corpus/ is drawn as a PDF by tests/tools/mkpdf (cairo, DejaVu
Sans, word-wrapped, a running header with the file's name and a footer
"Side N af M" on every page); qpdf turns pages and encrypts.  The records of
every PDF must equal those of its text version, ids aside.

Run by meson with the environment:
  KS_INDEX   the kommunesoeg-index binary
  KS_MKPDF   tests/tools/mkpdf
  KS_CORPUS  the repository's corpus/
  KS_BAD     tests/data/bad/
  KS_SERVER  the kommunesoeg-server binary (the Server group)
  KS_WEB     the front end as built, the build's web/ (the Server group)
  KS_SANITIZED  1 when the binaries are built with AddressSanitizer
"""

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

from harness import BAD, CORPUS, INDEX, MKPDF, SANITIZED, SERVER, WEB, main, mkbomb, request
from harness import Server as RunningServer

# What must be equal between a document's text and its PDF: every field but
# the id and what follows from it (url), the file name (source) and page.
# Strings compare after whitespace normalisation: a line break in the text
# may be a space in the PDF's and the other way round.
IGNORED = {"id", "url", "source", "page"}


def run(*cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def dump(*paths):
    p = run(INDEX, "--dump", "--quiet", *paths)
    return p, [json.loads(line) for line in p.stdout.splitlines()]


def mkpdf(src, out, *flags):
    p = run(MKPDF, *flags, src, out)
    if p.returncode != 0:
        raise AssertionError(f"mkpdf {src}: {p.stderr}")
    return int(p.stdout)


def qpdf(*args):
    p = run("qpdf", *args)
    # 3: warnings only (qpdf's own exit status for a file it repaired).
    if p.returncode not in (0, 3):
        raise AssertionError(f"qpdf {args}: {p.stderr}")


def normalised(value):
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    return value


def documents():
    return sorted(os.path.join(CORPUS, n) for n in os.listdir(CORPUS)
                  if n.endswith((".txt", ".md")))


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


class PdfTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-pdf-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *parts):
        p = os.path.join(self.tmp, *parts)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def assert_same_records(self, text_path, pdf_path, pages):
        """The records of PDF_PATH equal those of TEXT_PATH, ids aside; each
        has the page it starts on, and the text's have none."""
        pt, want = dump(text_path)
        pp, got = dump(pdf_path)
        name = os.path.basename(pdf_path)
        self.assertEqual(pt.returncode, 0, pt.stderr)
        self.assertEqual(pp.returncode, 0, f"{name}: {pp.stderr}")
        self.assertEqual(pp.stderr, "")
        self.assertTrue(want)
        self.assertEqual(len(got), len(want), name)
        for w, g in zip(want, got):
            self.assertIsNone(w["page"])
            self.assertEqual(g["source"], name)
            self.assertEqual(g["id"], w["id"], "same file name, same ids")
            for field in sorted(set(w) | set(g)):
                if field in IGNORED:
                    continue
                self.assertEqual(normalised(g.get(field)), normalised(w.get(field)),
                                 f"{name}, {w['id']}: {field}")
        # Pages: where each record starts, in document order.
        starts = [g["page"] for g in got]
        self.assertEqual(starts[0], 1, name)
        self.assertEqual(starts, sorted(starts), name)
        self.assertTrue(all(isinstance(p, int) and 1 <= p <= pages for p in starts), starts)
        if pages > 3:
            self.assertGreater(starts[-1], 1, f"{name}: every record on page 1?")
        return got


class Equality(PdfTest):
    """Every document of the corpus as a PDF of one column: the same records
    as from its text (items, titles, case numbers, closed marks, budget
    amounts, text), the running header and footer left out."""

    def test_each_document(self):
        for src in documents():
            with self.subTest(document=os.path.basename(src)):
                pdf = self.path(stem(src) + ".pdf")
                pages = mkpdf(src, pdf)
                self.assertGreater(pages, 1, "a running header needs pages to recur on")
                got = self.assert_same_records(src, pdf, pages)
                for r in got:
                    text = json.dumps(r, ensure_ascii=False)
                    self.assertNotRegex(text, r"Side \d+ af \d+", r["id"])
                    self.assertNotIn(os.path.basename(src), text, r["id"])
                print(f"  {os.path.basename(src)}: {len(got)} records equal, {pages} pages, "
                      f"pages of records {[r['page'] for r in got]}", file=sys.stderr)

    def test_running_lines_are_printed(self):
        # The PDFs do hold the running lines, so their absence above is the
        # indexer's doing: on a one-page document nothing recurs to tell a
        # footer by, and it stays, at the end of the last item.
        short = self.path("kort-referat.txt")
        with open(short, "w", encoding="utf-8") as f:
            f.write("REFERAT Direktionen d. 01-12-2025\n\nMødedato Mandag d. 01. december "
                    "2025 kl. 11:30\n\nPunkt 1: Orientering\n\n25-000001\n\nBeslutning\n\n"
                    "Taget til efterretning.\n")
        pdf = self.path("kort-referat.pdf")
        self.assertEqual(mkpdf(short, pdf), 1)
        p, got = dump(pdf)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["title"], "Orientering")
        self.assertEqual(got[0]["sections"]["beslutning"], "Taget til efterretning.\n\nSide 1 af 1")

    def test_directory_walk_finds_pdfs(self):
        for src in documents():
            shutil.copy(src, self.path("txt", os.path.basename(src)))
            mkpdf(src, self.path("pdf", "sub", stem(src) + ".PDF"))
        pt, want = dump(self.path("txt", ""))
        pp, got = dump(self.path("pdf", ""))
        self.assertEqual(pp.returncode, 0, pp.stderr)
        self.assertEqual([r["id"] for r in got], [r["id"] for r in want])
        self.assertEqual(len(got), 65)

    def test_index_then_unchanged(self):
        src = os.path.join(CORPUS, "budget-2024-oekonomiudvalget.txt")
        pdf = self.path("docs", "budget-2024-oekonomiudvalget.pdf")
        mkpdf(src, pdf)
        db = self.path("index")
        p = run(INDEX, "--quiet", "--db", db, self.path("docs", ""))
        self.assertEqual(p.returncode, 0, p.stderr)
        # Unchanged: not read again.
        p = run(INDEX, "--db", db, self.path("docs", ""))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("0 parsed", p.stderr)

    def test_closed_mark_warning_names_page(self):
        # A closed mark in another spelling is read as closed, and the warning
        # names the page of the PDF, as an error would.
        src = self.path("direktionen-2025-11-17.txt")
        with open(os.path.join(CORPUS, "direktionen-2025-11-17.txt"), encoding="utf-8") as f:
            text = f.read()
        heading = "Punkt 12: Lukket: Orientering om sager på vej til Direktionen"
        self.assertIn(heading, text)
        with open(src, "w", encoding="utf-8") as f:
            f.write(text.replace(heading, heading.replace("Lukket:", "(Lukket punkt)")))
        pdf = self.path("direktionen-2025-11-17.pdf")
        pages = mkpdf(src, pdf)
        p = run(INDEX, "--dump", "--quiet", pdf)
        self.assertEqual(p.returncode, 0, p.stderr)
        item = [json.loads(line) for line in p.stdout.splitlines()][11]
        self.assertEqual((item["punkt"], item["lukket"], item["title"]),
                         (12, True, "Orientering om sager på vej til Direktionen"))
        self.assertEqual(p.stderr.splitlines(),
                         [f"{pdf}: page {item['page']}: warning: "
                          'read "(Lukket punkt)" as a closed item'])
        self.assertTrue(1 < item["page"] <= pages, item["page"])


class Layout(PdfTest):
    """Pages that poppler does not give in reading order by itself."""

    def test_two_columns(self):
        for src in documents():
            with self.subTest(document=os.path.basename(src)):
                pdf = self.path(stem(src) + ".pdf")
                pages = mkpdf(src, pdf, "--columns", "2")
                self.assert_same_records(src, pdf, pages)

    def test_rotated_pages(self):
        # Page 2 turned a quarter right, page 3 a quarter left, page 4 upside
        # down (the page's /Rotate, as a scanner or an editor sets it).
        for src in documents():
            with self.subTest(document=os.path.basename(src)):
                flat = self.path("flat", stem(src) + ".pdf")
                pages = mkpdf(src, flat)
                pdf = self.path(stem(src) + ".pdf")
                qpdf("--rotate=+90:2", "--rotate=-90:3", "--rotate=180:4", flat, pdf)
                self.assert_same_records(src, pdf, pages)

    def test_two_columns_turned(self):
        src = os.path.join(CORPUS, "direktionen-2023-11-06.txt")
        flat = self.path("flat", stem(src) + ".pdf")
        pages = mkpdf(src, flat, "--columns", "2")
        pdf = self.path(stem(src) + ".pdf")
        qpdf("--rotate=+90:1-z", flat, pdf)
        self.assert_same_records(src, pdf, pages)


class BadInput(PdfTest):
    """PDFs that cannot be read are named with the reason; the rest are
    indexed and the exit status is 1."""

    def make_bad_set(self):
        good_txt = os.path.join(CORPUS, "direktionen-2025-11-17.txt")
        good_src = os.path.join(CORPUS, "direktionen-2025-10-06.txt")
        d = self.path("docs", "")
        mkpdf(good_src, os.path.join(d, "good.pdf"))
        shutil.copy(good_txt, d)
        qpdf("--encrypt", "laese", "ejer", "256", "--", os.path.join(d, "good.pdf"),
             os.path.join(d, "encrypted.pdf"))
        # Only an owner password (printing forbidden): readable, indexed.
        qpdf("--encrypt", "", "ejer", "256", "--print=none", "--",
             os.path.join(d, "good.pdf"), os.path.join(d, "permissions.pdf"))
        with open(os.path.join(d, "good.pdf"), "rb") as f:
            data = f.read()
        with open(os.path.join(d, "truncated.pdf"), "wb") as f:
            f.write(data[:len(data) // 2])
        mkpdf(good_txt, os.path.join(d, "scan.pdf"), "--image")
        with open(os.path.join(d, "garbage.pdf"), "wb") as f:
            f.write(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
        with open(os.path.join(d, "notapdf.pdf"), "w") as f:
            f.write("REFERAT Direktionen d. 01-01-2025\n")
        return d

    def test_bad_pdfs_named_others_indexed(self):
        d = self.make_bad_set()
        for mode in ("dump", "index"):
            with self.subTest(mode=mode):
                if mode == "dump":
                    p = run(INDEX, "--dump", d)
                else:
                    p = run(INDEX, "--db", self.path("index-" + mode), d)
                self.assertEqual(p.returncode, 1, p.stderr)
                errors = {}
                for line in p.stderr.splitlines():
                    m = re.match(r"^(.*\.pdf): (.*)$", line)
                    if m:
                        errors[os.path.basename(m.group(1))] = m.group(2)
                        self.assertEqual(m.group(1), os.path.join(d, os.path.basename(m.group(1))))
                self.assertEqual(set(errors), {"encrypted.pdf", "truncated.pdf", "scan.pdf",
                                               "garbage.pdf", "notapdf.pdf"}, p.stderr)
                self.assertRegex(errors["encrypted.pdf"], r"^encrypted PDF: .*password")
                self.assertRegex(errors["truncated.pdf"], r"^damaged PDF: .*cut off")
                self.assertRegex(errors["scan.pdf"], r"^no text in the PDF: .*images")
                self.assertRegex(errors["garbage.pdf"], r"^damaged PDF")
                self.assertRegex(errors["notapdf.pdf"], r"^not a PDF")
                self.assertRegex(p.stderr, r"\(3 parsed, .*5 failed\)")
                if mode == "dump":
                    got = [json.loads(line) for line in p.stdout.splitlines()]
                    self.assertEqual(sorted({r["source"] for r in got}),
                                     ["direktionen-2025-11-17.txt", "good.pdf",
                                      "permissions.pdf"])
                    self.assertEqual(len(got), 14 + 11 + 11)

    def test_parse_error_names_page(self):
        # A PDF that poppler reads but that is no council document, and one
        # whose error stands on a later page.
        src = os.path.join(BAD, "bad-amount.txt")
        pdf = self.path("bad-amount.pdf")
        mkpdf(src, pdf)
        p = run(INDEX, "--dump", pdf)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, r"bad-amount\.pdf: page 1: cannot read the nettobudget")
        late = self.path("late.txt")
        with open(os.path.join(CORPUS, "budget-2024-oekonomiudvalget.txt"),
                  encoding="utf-8") as f:
            text = f.read()
        with open(late, "w", encoding="utf-8") as f:
            f.write(text.replace("13.725.000 kr.", "13.725.000"))
        pages = mkpdf(late, self.path("late.pdf"))
        p = run(INDEX, "--dump", self.path("late.pdf"))
        self.assertEqual(p.returncode, 1)
        m = re.search(r"late\.pdf: page (\d+): cannot read the nettobudget amount", p.stderr)
        self.assertTrue(m, p.stderr)
        self.assertTrue(1 < int(m.group(1)) <= pages, m.group(1))


class Costly(PdfTest):
    """Each PDF is read in a child process under --pdf-memory and
    --pdf-seconds: a PDF past them is named as too costly to read, the other
    files are indexed, the exit status is 1.  The bombs (tests/tools/mkbomb.py) are
    a few kB each: one draws a word 500,000 times at one spot (poppler keeps
    every character: 700 MB, and past 160 MB within a quarter of a second of
    CPU), one two words 60,000 times in turn at two spots (poppler compares
    them: quadratic, seconds of CPU)."""

    def make_costly_set(self):
        d = self.path("docs", "")
        mkpdf(os.path.join(CORPUS, "direktionen-2025-10-06.txt"), os.path.join(d, "good.pdf"))
        shutil.copy(os.path.join(CORPUS, "direktionen-2025-11-17.txt"), d)
        with open(os.path.join(d, "memory-bomb.pdf"), "wb") as f:
            f.write(mkbomb.bomb_pdf(500_000, 1))
        with open(os.path.join(d, "time-bomb.pdf"), "wb") as f:
            f.write(mkbomb.bomb_pdf(60_000, 2))
        return d

    def errors(self, stderr, d):
        errors = {}
        for line in stderr.splitlines():
            m = re.match(r"^(.*\.pdf): (.*)$", line)
            if m:
                self.assertEqual(os.path.dirname(m.group(1)), d.rstrip("/"), line)
                errors[os.path.basename(m.group(1))] = m.group(2)
        return errors

    def test_costly_pdfs_named_others_indexed(self):
        d = self.make_costly_set()
        # The memory bomb passes 160 MB long before 2 s of CPU, even on a
        # busy machine; under ASan, without a memory limit, it needs more
        # than 3 s of CPU to finish, so that 1 s stops it.
        seconds = "1" if SANITIZED else "2"
        limits = ["--pdf-memory", "160", "--pdf-seconds", seconds]
        memory = (r"^too costly to read: it needs more than 1 s of CPU time" if SANITIZED else
                  r"^too costly to read: it needs more than 160 MB of memory "
                  r"\(--pdf-memory 160; raise it to read this file\)$")
        for mode in ("dump", "index"):
            with self.subTest(mode=mode):
                out = ["--dump"] if mode == "dump" else ["--db", self.path("index")]
                p = run(INDEX, *limits, *out, d)
                self.assertEqual(p.returncode, 1, p.stderr)
                errors = self.errors(p.stderr, d)
                self.assertEqual(set(errors), {"memory-bomb.pdf", "time-bomb.pdf"}, p.stderr)
                self.assertRegex(errors["memory-bomb.pdf"], memory)
                self.assertRegex(errors["time-bomb.pdf"],
                                 rf"^too costly to read: it needs more than {seconds} s of CPU "
                                 rf"time \(--pdf-seconds {seconds}; raise it to read this "
                                 r"file\)$")
                self.assertRegex(p.stderr, r"\(2 parsed, .*2 failed\)")
                if mode == "dump":
                    got = [json.loads(line) for line in p.stdout.splitlines()]
                    self.assertEqual(sorted({r["source"] for r in got}),
                                     ["direktionen-2025-11-17.txt", "good.pdf"])
                    self.assertEqual(len(got), 14 + 11)
                else:
                    self.assertRegex(p.stderr, r" 25 records in ")

    @unittest.skipIf(SANITIZED, "AddressSanitizer cannot run under an address-space limit")
    def test_indexer_started_with_less_memory(self):
        # Under `ulimit -v` lower than --pdf-memory the reader gets the
        # lower limit, and the message says which; the indexer itself had
        # aborted on the bomb ("Out of memory", SIGABRT) with nothing indexed.
        d = self.make_costly_set()
        os.remove(os.path.join(d, "time-bomb.pdf"))

        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (250 << 20, resource.RLIM_INFINITY))

        p = subprocess.run([INDEX, "--dump", d], capture_output=True, text=True, timeout=300,
                           preexec_fn=limit)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(self.errors(p.stderr, d), {
            "memory-bomb.pdf": "too costly to read: it needs more than 250 MB of memory (the "
                               "limit kommunesoeg-index was started with, ulimit -v; raise it "
                               "to read this file)"})
        self.assertEqual(len(p.stdout.splitlines()), 14 + 11)

    @staticmethod
    def readers(proc):
        """The PDF readers PROC runs now: {pid: the PDF's name}."""
        found = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmdline = f.read().split(b"\0")
            except (OSError, ValueError, IndexError):
                continue
            if ppid == proc.pid and len(cmdline) > 2 and cmdline[1] == b"--pdf-child":
                found[int(pid)] = cmdline[2].decode()
        return found

    def reader_of(self, proc):
        """The pid of PROC's PDF reader, once it runs."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            for pid in self.readers(proc):
                return pid
            time.sleep(0.005)
        self.fail("no PDF reader process")

    def test_costly_pdf_read_once_a_run(self):
        # An index run reads every file twice (its words are learnt before
        # the first file is indexed); a PDF that failed the first time is
        # not read again, so that a bomb costs its limits once.  Its reader
        # runs for a second of CPU time: long enough to be seen.
        d = self.make_costly_set()
        os.remove(os.path.join(d, "memory-bomb.pdf"))
        for jobs in ("1", "2"):
            with self.subTest(jobs=jobs):
                proc = subprocess.Popen([INDEX, "--pdf-seconds", "1", "--jobs", jobs, "--db",
                                         self.path("index-" + jobs), d],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True)
                seen = {}
                try:
                    deadline = time.monotonic() + 120
                    while proc.poll() is None and time.monotonic() < deadline:
                        seen.update(self.readers(proc))
                        time.sleep(0.005)
                    err = proc.communicate(timeout=10)[1]
                finally:
                    proc.kill()
                    proc.wait()
                self.assertEqual(proc.returncode, 1, err)
                self.assertIn("time-bomb.pdf: too costly to read", err)
                self.assertEqual(list(seen.values()).count("time-bomb.pdf"), 1, seen)

    def test_reader_stopped_or_killed(self):
        # A reader that uses no CPU (stopped, or waiting for ever) is killed
        # after 5 x --pdf-seconds + 5 s of wall-clock time; one killed by a
        # signal is named with it.  The run goes on either way.
        d = self.make_costly_set()
        bomb, good = os.path.join(d, "time-bomb.pdf"), os.path.join(d, "good.pdf")
        for sig, message in [
                (signal.SIGSTOP, "too costly to read: no answer after 10 s of wall-clock time "
                                 "(--pdf-seconds 1 times 5, and 5 s; raise --pdf-seconds to "
                                 "wait longer)"),
                (signal.SIGTERM, "cannot read the PDF: its reader died of signal 15 "
                                 "(Terminated)")]:
            with self.subTest(signal=sig.name):
                proc = subprocess.Popen([INDEX, "--dump", "--pdf-seconds", "1", bomb, good],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
                try:
                    os.kill(self.reader_of(proc), sig)
                    out, err = proc.communicate(timeout=120)
                finally:
                    proc.kill()
                    proc.wait()
                self.assertEqual(proc.returncode, 1, err)
                self.assertEqual(self.errors(err, d), {"time-bomb.pdf": message})
                self.assertEqual(len(out.splitlines()), 11)


class Server(PdfTest):
    """--pdf-dir: the PDFs served under /pdf/, and each record of a PDF
    linking to the page it starts on (the item's "pdf")."""

    def start(self, *extra):
        server = RunningServer([self.db], WEB, *extra)
        self.addCleanup(server.stop)
        self.port = server.port
        return server

    def get(self, path):
        r = request(self.port, "GET", path, timeout=10)
        return r.status, r.header("Content-Type"), r.body

    def item(self, id):
        status, _, body = self.get("/api/item/" + id)
        self.assertEqual(status, 200, id)
        return json.loads(body)

    def setUp(self):
        super().setUp()
        self.pdfs = self.path("pdfs", "")
        self.budget = os.path.join(self.pdfs, "budget-2024-oekonomiudvalget.pdf")
        mkpdf(os.path.join(CORPUS, "budget-2024-oekonomiudvalget.txt"), self.budget)
        # A file name that a URL must encode, and a meeting with closed items.
        self.meeting = os.path.join(self.pdfs, "Direktionen 6. oktober.pdf")
        mkpdf(os.path.join(CORPUS, "direktionen-2025-10-06.txt"), self.meeting)
        text = self.path("text", "direktionen-2025-11-17.txt")
        shutil.copy(os.path.join(CORPUS, "direktionen-2025-11-17.txt"), text)
        # Outside --pdf-dir: a secret PDF, reached by a link from inside.
        self.secret = self.path("secret", "hemmelig.pdf")
        shutil.copy(self.budget, self.secret)
        os.symlink(self.secret, os.path.join(self.pdfs, "link.pdf"))
        with open(os.path.join(self.pdfs, "noter.txt"), "w") as f:
            f.write("ikke en pdf")
        shutil.copy(self.budget, os.path.join(self.pdfs, ".skjult.pdf"))
        self.db = self.path("index")
        p = run(INDEX, "--quiet", "--db", self.db, self.budget, self.meeting, text)
        self.assertEqual(p.returncode, 0, p.stderr)
        _, self.records = dump(self.budget, self.meeting)

    def test_items_link_to_their_page(self):
        self.start("--pdf-dir", self.pdfs)
        with open(self.budget, "rb") as f:
            budget_bytes = f.read()
        for r in self.records:
            item = self.item(r["id"])
            if r["lukket"]:
                self.assertIsNone(item["page"], r["id"])
                self.assertIsNone(item["pdf"], r["id"])
                continue
            self.assertEqual(item["page"], r["page"])
            quoted = urllib.parse.quote(r["source"])
            self.assertEqual(item["pdf"], f"/pdf/{quoted}#page={r['page']}")
            status, ctype, body = self.get(item["pdf"].split("#")[0])
            self.assertEqual(status, 200, item["pdf"])
            self.assertEqual(ctype, "application/pdf")
            self.assertTrue(body.startswith(b"%PDF-"))
            if r["source"].startswith("budget"):
                self.assertEqual(body, budget_bytes)
        self.assertIn(" ", self.records[-1]["source"])
        pages = {r["page"] for r in self.records}
        self.assertGreater(len(pages), 3, "records start on different pages")
        # A text record has neither; the case API carries the link too.
        text_item = self.item("direktionen-2025-11-17-1")
        self.assertIsNone(text_item["page"])
        self.assertIsNone(text_item["pdf"])
        open_items = [r for r in self.records if r["sagsnummer"] and not r["lukket"]]
        status, _, body = self.get("/api/sag/" + open_items[0]["sagsnummer"])
        self.assertEqual(status, 200)
        linked = [i for i in json.loads(body)["items"] if i["id"] == open_items[0]["id"]]
        self.assertEqual(linked[0]["pdf"], self.item(open_items[0]["id"])["pdf"])

    def test_nothing_else_is_served(self):
        self.start("--pdf-dir", self.pdfs)
        refused = ["/pdf/link.pdf", "/pdf/noter.txt", "/pdf/.skjult.pdf", "/pdf/",
                   "/pdf/../secret/hemmelig.pdf", "/pdf/%2e%2e/secret/hemmelig.pdf",
                   "/pdf/%2E%2E%2Fsecret%2Fhemmelig.pdf", "/pdf/..%5csecret%5chemmelig.pdf",
                   "/pdf/x/../../secret/hemmelig.pdf", "/pdf/mangler.pdf",
                   "/pdf/budget-2024-oekonomiudvalget.pdf%00.txt",
                   "/pdf//etc/passwd", "/pdf/" + self.secret]
        for path in refused:
            with self.subTest(path=path):
                status, ctype, body = self.get(path)
                self.assertIn(status, (400, 404), path)
                self.assertNotIn(b"%PDF", body)
        status, _, _ = self.get("/pdf/budget-2024-oekonomiudvalget.pdf")
        self.assertEqual(status, 200)

    def test_without_pdf_dir(self):
        self.start()
        for r in self.records:
            self.assertIsNone(self.item(r["id"])["pdf"], r["id"])
        status, _, body = self.get("/pdf/budget-2024-oekonomiudvalget.pdf")
        self.assertEqual(status, 404)
        self.assertNotIn(b"%PDF", body)

    def test_pdf_dir_must_exist(self):
        for bad in (self.path("nowhere"), self.budget):
            p = run(SERVER, "--db", self.db, "--port", "0", "--pdf-dir", bad)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("--pdf-dir", p.stderr)


if __name__ == "__main__":
    main("KS_INDEX", "KS_MKPDF", "KS_CORPUS", "KS_BAD")
