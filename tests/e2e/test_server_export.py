#!/usr/bin/env python3
"""The real kommunesoeg-server's exports (format=csv and the Atom feed), and a
copy of the corpus with hidden text under a closed item and markup in an
open one through every output.

Every group indexes its corpus into a temporary directory, starts its own
server on a free loopback port (harness.py) and stops it with SIGTERM at the
end, asserting exit status 0 and no sanitizer report.  Usage: test_server_export.py [GROUP...]
(one meson test per group).
"""

import csv
import html
import io
import os
import re
import shutil
import xml.etree.ElementTree as ET

from harness import (main, CORPUS, ATOM, RFC3339, CSV_HEADER, PAYLOADS, HJEMLOESE, url, ServerCase)


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = str(value)
    # A value a spreadsheet would run as a formula gets a leading quote.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS")
