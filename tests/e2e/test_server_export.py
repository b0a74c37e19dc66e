#!/usr/bin/env python3
"""The real kommunesoeg-server's exports (format=csv and the Atom feed), and a
copy of the corpus with hidden text under a closed item and markup in an
open one through every output.

Every group indexes its corpus into a temporary directory, starts its own
server on a free loopback port (harness.py) and stops it with SIGTERM at the
end, asserting exit status 0 and no sanitizer report.  Usage: test_server_export.py [GROUP...]
(one meson test per group).
"""

import datetime
import html
import os
import re
import shutil
import subprocess
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
import zipfile
import io

from harness import (main, CORPUS, ATOM, RFC3339, CSV_HEADER, PAYLOADS, HJEMLOESE, url,
                     build_index, read_csv, request, Server, ServerCase, SERVER, WRAP)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def csv_value(value, base=None):
    if base and isinstance(value, str) and value.startswith("/item/"):
        return base + value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = str(value)
    # A value a spreadsheet would run as a formula gets a leading quote.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class Export(ServerCase):
    """format=csv and the Atom feed."""

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"  # http.client's Host header

    def csv(self, params=None, **kw):
        r = self.get("/api/search", dict(params or {}, format="csv", **kw))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, "text/csv;charset=utf-8", r)
        self.assertIn("attachment", (r.header("content-disposition") or "").lower())
        text = r.body.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff" + CSV_HEADER + "\r\n"), text[:200])
        self.assertTrue(text.endswith("\r\n"))
        self.assertEqual(text.count("\n"), text.count("\r\n"), "CRLF line ends")
        rows, note = read_csv(r.body)
        self.assertIsNone(note, "no note: every hit is in")
        return r.body, rows

    def assert_rows_match(self, rows, results):
        self.assertEqual([row["id"] for row in rows], [r["id"] for r in results])
        for row, r in zip(rows, results):
            for field in CSV_HEADER.split(";"):
                self.assertEqual(row[field], csv_value(r[field], self.base), f"{r['id']} {field}")

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

    def test_csv_as_excel_reads_it(self):
        # A Danish Excel: a byte order mark, or it reads Windows-1252; ';' (the
        # Danish list separator), or every row lands in column A.
        body, rows = self.csv(q="budgetopfølgning")
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"), body[:10])
        self.assertFalse(body.startswith(b"\xef\xbb\xbfsep="), "no sep= line: Excel then drops the BOM")
        header = body[3:].split(b"\r\n")[0].decode()
        self.assertEqual(header.split(";"), CSV_HEADER.split(";"))
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(len(row), len(CSV_HEADER.split(";")))
            # Absolute links, which work from a sheet.
            self.assertEqual(row["url"], f"{self.base}/item/{row['id']}")
        self.assertTrue(any("budgetopfølgning" in row["title"].lower() for row in rows))
        # Another host name asked for is the host name linked to.
        r = request(self.port, "GET", url("/api/search", q="budgetopfølgning", format="csv"),
                    headers={"Host": "soeg.example.dk"})
        rows, _ = read_csv(r.body)
        self.assertTrue(all(row["url"].startswith("http://soeg.example.dk/item/") for row in rows))

    def test_public_url(self):
        # Behind a reverse proxy whose Host is not the public one: --public-url.
        server = Server([self.db], self.web, "--public-url", "https://soeg.example.dk/arkiv/")
        try:
            r = request(server.port, "GET", url("/api/search", q="hjemløse", format="csv"))
            rows, _ = read_csv(r.body)
            self.assertEqual([row["url"] for row in rows],
                             [f"https://soeg.example.dk/arkiv/item/{i}" for i in HJEMLOESE])
            r = request(server.port, "GET", url("/feed", q="hjemløse"))
            root = ET.fromstring(r.body)
            self.assertTrue(root.find(ATOM + "id").text.startswith("https://soeg.example.dk/arkiv/feed?"))
        finally:
            server.stop_and_check()
        for bad in ["soeg.example.dk", "ftp://x", "https://", "https://x/a?b", "https://x y"]:
            p = subprocess.run([SERVER, "--db", self.db, "--port", "0", "--public-url", bad],
                               capture_output=True, text=True, timeout=30,
                               stdin=subprocess.DEVNULL)
            self.assertEqual(p.returncode, 2, bad)
            self.assertIn("--public-url", p.stderr, bad)

    @unittest.skipIf(WRAP, "valgrind needs $TMPDIR for itself")
    def test_xlsx_without_a_temporary_file(self):
        # A workbook needs its file: none to be had is a 503 that says so, never
        # a 200 with part of a workbook; the CSV is then kept in memory.
        env = dict(os.environ, TMPDIR=os.path.join(self.tmp, "no-such-folder"))
        server = Server([self.db], self.web, env=env)
        try:
            r = request(server.port, "GET", url("/api/search", q="", format="xlsx"))
            self.assertEqual(r.status, 503, r)
            self.assertIn("export", r.json()["error"]["message"])
            self.assertIsNone(r.header("content-disposition"))
            r = request(server.port, "GET", url("/api/search", q="", format="csv"))
            self.assertEqual(r.status, 200, r)
            self.assertEqual(len(read_csv(r.body)[0]), 65)
        finally:
            server.stop_and_check()

    def test_xlsx_cell_cut_at_excels_limit(self):
        # A cell holds at most 32,767 characters in Excel: a longer decision is
        # cut there, ending in "…"; one that fits is whole.
        docs = os.path.join(self.tmp, "long")
        os.makedirs(docs, exist_ok=True)
        words = {1: "ø" * 40000, 2: "å" * 32767}
        text = ["REFERAT Testudvalget d. 02-01-2025", "", "Mødedato Torsdag d. 2. januar 2025", ""]
        for n, decision in words.items():
            text += [f"Punkt {n}: Lang beslutning {n}", "", f"25-00000{n}", "", "Beslutning", "",
                     decision, ""]
        with open(os.path.join(docs, "testudvalget-2025-01-02.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(text))
        db = os.path.join(self.tmp, "long-index")
        build_index(db, docs)
        server = Server([db], self.web)
        try:
            r = request(server.port, "GET", url("/api/search", q="", format="xlsx", sort="date_asc"))
            self.assertEqual(r.status, 200, r)
            sheet = ET.fromstring(zipfile.ZipFile(io.BytesIO(r.body)).read("xl/worksheets/sheet1.xml"))
            rows = sheet.findall(f"{SHEET}sheetData/{SHEET}row")
            header = [self.cell_text(c) for c in rows[0]]
            got = {}
            for row in rows[1:]:
                cells = {re.sub(r"\d", "", c.get("r")): self.cell_text(c) for c in row}
                got[cells["I"]] = cells["ABCDEFGHIJKL"[header.index("beslutning")]]
            self.assertEqual(got["1"], "ø" * 32766 + "…")
            self.assertEqual(got["2"], "å" * 32767)
        finally:
            server.stop_and_check()

    def disposition(self, r):
        """The file name and the UTF-8 file name of R's Content-Disposition."""
        value = r.header("content-disposition") or ""
        self.assertTrue(value.startswith("attachment;"), value)
        name = re.search(r'; filename="([^"]*)"', value)
        ext = re.search(r"; filename\*=UTF-8''([^;]*)", value)
        self.assertIsNotNone(name, value)
        return name.group(1), urllib.parse.unquote(ext.group(1)) if ext else None

    def test_file_names(self):
        days = {datetime.date.today().isoformat()}
        cases = [({"q": "hjemløshed"}, "kommunesoeg-hjemloeshed-{}", "kommunesøg-hjemløshed-{}"),
                 ({"q": "", "sag": "25-002103"}, "kommunesoeg-sag-25-002103-{}",
                  "kommunesøg-sag-25-002103-{}"),
                 ({"q": "hjemløshed", "udvalg": "Økonomiudvalget"},
                  "kommunesoeg-hjemloeshed-udvalg-oekonomiudvalget-{}",
                  "kommunesøg-hjemløshed-udvalg-økonomiudvalget-{}"),
                 ({"q": ""}, "kommunesoeg-{}", "kommunesøg-{}"),
                 ({"q": '"Taget til efterretning" OR x*; a=b\\'},
                  "kommunesoeg-taget-til-efterretning-or-x-a-b-{}",
                  "kommunesøg-taget-til-efterretning-or-x-a-b-{}")]
        for params, ascii, utf8 in cases:
            for fmt in ["csv", "xlsx"]:
                r = self.get("/api/search", dict(params, format=fmt))
                self.assertEqual(r.status, 200, r)
                days.add(datetime.date.today().isoformat())
                name, ext = self.disposition(r)
                self.assertIn(name, {ascii.format(d) + "." + fmt for d in days}, params)
                self.assertRegex(name, r"^[a-z0-9-]+\.(csv|xlsx)$")
                self.assertIn(ext, {utf8.format(d) + "." + fmt for d in days}, params)
        # A long query is cut at a word's end.
        r = self.get("/api/search", q=" ".join(["budgetopfølgning"] * 20), format="csv")
        name, _ = self.disposition(r)
        self.assertLessEqual(len(name), len("kommunesoeg--2026-12-03.csv") + 60, name)
        self.assertRegex(name, r"^kommunesoeg-(budgetopfoelgning-)+\d{4}-\d\d-\d\d\.csv$")

    def xlsx(self, params=None, **kw):
        r = self.get("/api/search", dict(params or {}, format="xlsx", **kw))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.content_type, XLSX, r)
        book = zipfile.ZipFile(io.BytesIO(r.body))
        self.assertIsNone(book.testzip())
        sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
        styles = ET.fromstring(book.read("xl/styles.xml"))
        rels = {}
        if "xl/worksheets/_rels/sheet1.xml.rels" in book.namelist():
            for rel in ET.fromstring(book.read("xl/worksheets/_rels/sheet1.xml.rels")):
                rels[rel.get("Id")] = rel
        return r, sheet, styles, rels

    @staticmethod
    def cell_text(c):
        if c.get("t") == "inlineStr":
            return "".join(c.find(SHEET + "is").itertext())
        v = c.find(SHEET + "v")
        return v.text if v is not None else None

    def test_xlsx(self):
        r, sheet, styles, rels = self.xlsx(q="")
        self.assertEqual(r.header("x-total-count"), "65")
        # The header row stays in view: a frozen pane below row 1.
        pane = sheet.find(f"{SHEET}sheetViews/{SHEET}sheetView/{SHEET}pane")
        self.assertIsNotNone(pane)
        self.assertEqual((pane.get("state"), pane.get("ySplit"), pane.get("topLeftCell")),
                         ("frozen", "1", "A2"))
        rows = sheet.findall(f"{SHEET}sheetData/{SHEET}row")
        header = [self.cell_text(c) for c in rows[0]]
        self.assertEqual(header, CSV_HEADER.split(";"))
        col = {name: "ABCDEFGHIJKL"[i] for i, name in enumerate(header)}
        self.assertEqual(len(rows), 1 + 65, "every hit, no note")
        xfs = styles.findall(f"{SHEET}cellXfs/{SHEET}xf")
        links = {h.get("ref"): rels[h.get(DOC_REL + "id")]
                 for h in sheet.iter(SHEET + "hyperlink")}
        by_id = {}
        for row in rows[1:]:
            cells = {re.sub(r"\d", "", c.get("r")): c for c in row}
            by_id[self.cell_text(cells["A"])] = (row, cells)
        self.assertEqual(sorted(by_id), sorted(self.by_id))

        # A date is a date: a number (days since 1899-12-30) in a date format.
        _, cells = by_id["direktionen-2025-11-17-6"]
        date = cells[col["date"]]
        self.assertIsNone(date.get("t"), "a number")
        self.assertEqual(float(self.cell_text(date)),
                         (datetime.date(2025, 11, 17) - datetime.date(1899, 12, 30)).days)
        self.assertEqual(xfs[int(date.get("s"))].get("numFmtId"), "14", "the short date")
        self.assertEqual(self.cell_text(cells[col["year"]]), "2025")
        self.assertIsNone(cells[col["year"]].get("t"))
        self.assertEqual(self.cell_text(cells[col["punkt"]]), "6")
        self.assertEqual(cells[col["lukket"]].get("t"), "b")
        self.assertEqual(cells[col["title"]].get("t"), "inlineStr")
        self.assertEqual(self.cell_text(cells[col["title"]]), "Beslutning om hjemløsestrategi")
        self.assertNotIn(col["nettobudget"], cells, "no net budget: an empty cell")

        # The net budget a number, with thousands separators.
        _, cells = by_id["budget-2024-oekonomiudvalget-1"]
        money = cells[col["nettobudget"]]
        self.assertIsNone(money.get("t"))
        self.assertEqual(float(self.cell_text(money)),
                         self.by_id["budget-2024-oekonomiudvalget-1"]["nettobudget"])
        self.assertEqual(xfs[int(money.get("s"))].get("numFmtId"), "3", "#,##0")
        self.assertNotIn(col["date"], cells, "no date: an empty cell")

        # Every url a hyperlink to the item's absolute address.
        for id_, (_, cells) in by_id.items():
            ref = cells[col["url"]].get("r")
            self.assertIn(ref, links, id_)
            self.assertEqual(links[ref].get("Target"), f"{self.base}/item/{id_}")
            self.assertEqual(links[ref].get("TargetMode"), "External")
            self.assertEqual(self.cell_text(cells[col["url"]]), f"{self.base}/item/{id_}")

    def test_xlsx_rows_match_csv(self):
        for params in [{"q": "hjemløse"}, {"type": "budget", "sort": "nettobudget_desc"},
                       {"lukket": "true", "sort": "date_asc"}]:
            _, rows = self.csv(params)
            _, sheet, _, _ = self.xlsx(params)
            ids = [self.cell_text(row[0]) for row in sheet.findall(f"{SHEET}sheetData/{SHEET}row")]
            self.assertEqual(ids[1:], [row["id"] for row in rows], params)

    def test_xlsx_bad_parameters(self):
        for path in ["/api/search?format=xls", "/api/search?format=xlsx&sort=x",
                     "/api/search?format=xlsx&from=2025-02-30"]:
            r = self.get(path)
            self.assertEqual(r.status, 400, path)

    def test_csv_values(self):
        _, rows = self.csv()
        by_id = {row["id"]: row for row in rows}
        budget = by_id["budget-2024-oekonomiudvalget-1"]
        self.assertEqual((budget["type"], budget["sagsnummer"], budget["date"], budget["punkt"],
                          budget["lukket"], budget["udvalg"], budget["title"], budget["year"]),
                         ("budget", "", "", "", "false", "Økonomiudvalget", "Jobcenter", "2024"))
        # The net budget in whole kroner, digits alone: a number in any
        # region's Excel, whatever its decimal mark.
        want = self.by_id["budget-2024-oekonomiudvalget-1"]["nettobudget"]
        self.assertIsInstance(want, int)
        self.assertEqual(budget["nettobudget"], str(want))
        self.assertRegex(budget["nettobudget"], r"^-?[0-9]+$")
        closed = by_id["direktionen-2025-08-18-7"]
        self.assertEqual((closed["lukket"], closed["udvalg"], closed["punkt"],
                          closed["sagsnummer"], closed["url"], closed["year"],
                          closed["nettobudget"]),
                         ("true", "Direktionen", "7", "21-046835K",
                          self.base + "/item/direktionen-2025-08-18-7", "2025", ""))
        open_ = by_id["direktionen-2025-11-17-6"]
        self.assertEqual((open_["lukket"], open_["udvalg"], open_["punkt"], open_["date"]),
                         ("false", "Direktionen", "6", "2025-11-17"))
        self.assertEqual({row["lukket"] for row in rows}, {"true", "false"})

    def test_csv_not_paged(self):
        _, rows = self.csv(per_page=5, page=2)
        self.assertEqual(len(rows), 65)
        _, sheet, _, _ = self.xlsx(per_page=5, page=2)
        self.assertEqual(len(sheet.findall(f"{SHEET}sheetData/{SHEET}row")), 1 + 65)

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

    def test_feed_titles(self):
        # Five feeds of five cases are five titles; each names its search.
        cases = ["25-002103", "25-008999", "25-002452"]
        titles = [self.feed(sag=c)[1].find(ATOM + "title").text for c in cases]
        self.assertEqual(titles, [f"Kommunesøg: sag {c}" for c in cases])
        for params, title in [({"q": "hjemløshed", "udvalg": "Økonomiudvalget"},
                               "Kommunesøg: hjemløshed, udvalg Økonomiudvalget"),
                              ({}, "Kommunesøg"), ({"q": "  "}, "Kommunesøg"),
                              ({"type": "budget", "year": "2024"},
                               "Kommunesøg: budgetbemærkninger, år 2024"),
                              ({"q": "budget", "from": "2025-01-01", "lukket": "false"},
                               "Kommunesøg: budget, fra 2025-01-01, uden lukkede punkter")]:
            self.assertEqual(self.feed(params)[1].find(ATOM + "title").text, title, params)
        # Several values of one facet match any of them, and the title says so;
        # both types chosen are every record, which needs no words.
        several = urllib.parse.urlencode([("udvalg", "Økonomiudvalget"), ("udvalg", "Direktionen"),
                                          ("type", "punkt"), ("type", "budget")])
        r = self.get("/feed?" + several)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(ET.fromstring(r.body).find(ATOM + "title").text,
                         "Kommunesøg: udvalg Økonomiudvalget eller Direktionen")

    def test_feed_paragraphs(self):
        _, root, ids = self.feed(q="hjemløshed")
        entry = root.findall(ATOM + "entry")[0]
        summary = entry.find(ATOM + "summary")
        self.assertEqual(summary.get("type"), "html")
        markup = summary.text
        self.assertNotIn("\n\n", markup)
        paragraphs = re.findall(r"<p>(.*?)</p>", markup, re.S)
        self.assertGreaterEqual(len(paragraphs), 2, markup)
        self.assertEqual("".join(re.split(r"</?p>", markup)), "".join(paragraphs))
        self.assertIn("<mark>hjemløshed</mark>", markup)

    def test_feed_undated_stable(self):
        # A budget section has no date: January 1 of its year stands in, which
        # a re-index does not move (the index's time did).
        _, root, ids = self.feed(type="budget")
        updated = root.find(ATOM + "updated").text
        entries = root.findall(ATOM + "entry")
        self.assertTrue(entries)
        for entry, id_ in zip(entries, ids):
            year = self.by_id[id_]["year"]
            self.assertEqual(entry.find(ATOM + "updated").text, f"{year}-01-01T00:00:00Z", id_)
            self.assertNotEqual(entry.find(ATOM + "updated").text, updated)

    def test_feed_in_a_feed_reader(self):
        try:
            import feedparser  # python3-feedparser, tools/setup-debian.sh --tests
        except ImportError:
            self.skipTest("python3-feedparser is not installed (tools/setup-debian.sh --tests)")
        r = self.get("/feed", q="hjemløshed", udvalg="Økonomiudvalget")
        d = feedparser.parse(r.body)
        self.assertFalse(d.bozo, d.get("bozo_exception"))
        self.assertEqual(d.version, "atom10")
        self.assertEqual(d.feed.title, "Kommunesøg: hjemløshed, udvalg Økonomiudvalget")
        self.assertTrue(d.entries)
        for e in d.entries:
            self.assertTrue(e.link.startswith(self.base + "/item/"), e.link)
            self.assertIsNotNone(e.updated_parsed)
        r = self.get("/feed", q="hjemløshed")
        d = feedparser.parse(r.body)
        first = d.entries[0]
        self.assertEqual(first.title, "Beslutning om hjemløsestrategi")
        self.assertEqual(first.summary_detail.type, "text/html")
        self.assertGreaterEqual(first.summary.count("<p>"), 2, first.summary)
        # (feedparser's sanitizer drops <mark>, which it does not know; the words stay.)
        self.assertIn("hjemløshed", first.summary)
        self.assertEqual(tuple(first.updated_parsed)[:3], (2025, 11, 17))
        budget = [e for e in d.entries if "/item/budget-" in e.link]
        self.assertTrue(budget)
        self.assertEqual(tuple(budget[0].updated_parsed)[:3], (2024, 1, 1))
        self.assertEqual([t.term for t in first.tags], ["25-008999"])

    def test_feed_bad_parameters(self):
        for path in ["/feed?type=x", "/feed?from=2025-13-01", "/feed?q=%FF", "/feed?sort=x",
                     "/feed?lukket=maybe", "/feed?sag=nope", "/feed?q=" + "x" * 1100]:
            self.assertEqual(self.get(path).status, 400, path)


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
            self.assertEqual(r.body.decode("utf-8"), "\ufeff" + CSV_HEADER + "\r\n", word)
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
        book = zipfile.ZipFile(io.BytesIO(self.get("/api/search", q="", format="xlsx").body))
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8").lower()
        self.assertIn("sundhedsreformen", sheet, "the closed item's title is there")
        for word in self.HIDDEN:
            self.assertNotIn(word, sheet, "xlsx")
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
        rows, _ = read_csv(r.body)
        self.assertEqual(rows[0]["title"], self.TITLE)

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


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS")
