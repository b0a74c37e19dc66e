#!/usr/bin/env python3
"""The item page's marks, source link and neighbours, the meeting pages
/moede/{udvalg}/{date}, and the <head> that the server writes into the case,
item and meeting pages for link previews (which run no JavaScript).

Each group indexes corpus/ and one more meeting (a title full of markup, in a
folder whose name needs escaping in a URL) into a temporary directory and
starts its own server on a free loopback port (harness.py).  Usage:
test_server_item_pages.py [GROUP...] (one meson test per group).
"""

import html.parser
import os
import shutil
import subprocess
import urllib.parse

from harness import (main, CORPUS, PAYLOADS, SERVER, WEB, request, Server, ServerCase)

MARKUP_TITLE = 'Budget <b>"2026"</b> & <script>alert("ks-xss")</script>'
FOLDER = "Økonomi udvalg"
EXTRA = f"""REFERAT Økonomiudvalget d. 01-12-2025

Mødedato Mandag d. 1. december 2025 kl. 16:00

Mødested Byrådssalen

Mødedeltagere Anna Hansen, Bo Jensen

Punkt 1: {MARKUP_TITLE}

25-020001

Beslutning

Anbefales.

Sagsfremstilling

Resume og sagens baggrund

Budgettet med <i>markup</i> & tegn for hjemløse borgere.

Punkt 2: Lukket: Køb af grund

25-020002

Punkt 3: Hjemløshed og boliger

25-020001

Beslutning

Taget til efterretning. Udvalget bad forvaltningen om en plan for flere boliger til
hjemløse borgere i hele kommunen.

Udvalget ønsker planen forelagt igen inden sommerferien, med en opgørelse af
udgifterne og af de boliger, der kan tages i brug allerede i løbet af det kommende år.

Sagsfremstilling

Resume og sagens baggrund

Hjemløse borgere skal have en bolig. Hjemløsestrategien følges.
"""
EXTRA_NAME = "oekonomiudvalget-2025-12-01.txt"
SOURCE_URL = "https://intranet.example/dok/{file}"
FOLDER_URL = "https://oeko.example/arkiv/{file}?v=1&x=<y>"


class Head(html.parser.HTMLParser):
    """The <title>, the <meta> and <link> elements and the <h1> of a page,
    its attribute values and text unescaped as a browser reads them."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.title, self.meta, self.links, self.h1 = None, {}, [], None
        self.anchors = []
        self._in = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title" or tag == "h1":
            self._in = tag
            setattr(self, tag, "")
        elif tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.meta[key] = a.get("content")
        elif tag == "link":
            self.links.append(a)
        elif tag == "a":
            self.anchors.append(a.get("href"))

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            setattr(self, self._in, getattr(self, self._in) + data)


def unmark(marked):
    """A marked text (HTML-escaped, <mark>…</mark>) as plain text."""
    return html.unescape(marked.replace("<mark>", "").replace("</mark>", ""))


class ItemPagesCase(ServerCase):
    @classmethod
    def prepare_corpus(cls):
        docs = os.path.join(cls.tmp, "docs")
        shutil.copytree(CORPUS, docs)
        os.makedirs(os.path.join(docs, FOLDER))
        with open(os.path.join(docs, FOLDER, EXTRA_NAME), "w", encoding="utf-8") as f:
            f.write(EXTRA)
        return docs

    @classmethod
    def server_args(cls):
        return ("--source-url", f"{cls.docs}={SOURCE_URL}",
                "--source-url", f"{cls.docs}/{FOLDER}/={FOLDER_URL}")

    def page(self, path, **headers):
        r = request(self.port, "GET", path, headers=headers or None)
        self.assert_html(r, 200)
        return Head(r.body.decode("utf-8")), r.body.decode("utf-8")

    def item(self, id, **params):
        r = self.get("/api/item/" + id, params or None)
        self.assertEqual(r.status, 200, r)
        return r.json()


class ItemPage(ItemPagesCase):
    """/api/item/{id}: the query's words marked, the source document, the meeting and the
    items before and after."""

    def test_marks_of_the_query(self):
        item = self.item("direktionen-2025-11-17-6", q="hjemløshed")
        marks = item["marks"]
        resume = marks["sections"]["resume"]
        # Every form the search matches, marked by Xapian: the word, its stem, a compound.
        for form in ["hjemløshed", "hjemløse"]:
            self.assertIn(f"<mark>{form}</mark>", marks["sections"]["sagsfremstilling"], form)
        self.assertIn("<mark>hjemløsestrategi</mark>", resume)
        # The whole section, nothing cut, nothing added.
        self.assertEqual(unmark(resume), item["sections"]["resume"].strip())
        for key, text in item["sections"].items():
            self.assertEqual(unmark(marks["sections"][key]), text.strip(), key)
        self.assertEqual(len(marks["behandling"]), len(item["behandling"]))
        self.assertEqual(unmark(marks["title"]), item["title"])
        self.assertIn("<mark>", marks["title"])
        self.assertEqual(marks["count"], sum(
            m.count("<mark>") for m in [marks["title"], *marks["sections"].values()]))

    def test_marks_escape_the_text(self):
        item = self.item("oekonomiudvalget-2025-12-01-1", q="hjemløshed")
        resume = item["marks"]["sections"]["resume"]
        self.assertNotIn("<i>", resume)
        self.assertIn("&lt;i&gt;markup&lt;/i&gt; &amp; tegn", resume)
        self.assertIn("<mark>hjemløse</mark>", resume)
        self.assertNotIn("<script", item["marks"]["title"])

    def test_no_marks_without_a_match(self):
        self.assertIsNone(self.item("direktionen-2025-11-17-6")["marks"])
        self.assertIsNone(self.item("direktionen-2025-11-17-6", q="")["marks"])
        self.assertIsNone(self.item("direktionen-2025-11-17-6", q="sundhedsreformen")["marks"])
        # A closed item has no text to mark, whatever is asked.
        self.assertIsNone(self.item("direktionen-2025-11-17-2", q="sundhedsreformen")["marks"])
        # What the search refuses, the page shows unmarked.
        broad = " ".join(c + "*" for c in "abdefghiklmnoprstuv")
        self.assert_error(self.get("/api/search", {"q": broad}), 400)
        self.assertIsNone(self.item("direktionen-2025-11-17-6", q=broad)["marks"])
        self.assert_error(self.get("/api/item/direktionen-2025-11-17-6", {"q": "x" * 1025}),
                          400, "q")

    def test_neighbours_and_meeting(self):
        item = self.item("direktionen-2025-11-17-6")
        self.assertEqual(item["moede"], "/moede/direktionen/2025-11-17")
        self.assertEqual(item["previous"], {"id": "direktionen-2025-11-17-5", "punkt": 5,
                                            "title": "Ændring af modultakster for Kalundborg "
                                                     "Sprogskole fra 2027",
                                            "url": "/item/direktionen-2025-11-17-5",
                                            "lukket": True})
        self.assertEqual(item["next"]["id"], "direktionen-2025-11-17-7")
        first = self.item("direktionen-2025-11-17-1")
        self.assertIsNone(first["previous"])
        self.assertEqual(first["next"]["punkt"], 2)
        last = self.item("direktionen-2025-11-17-14")
        self.assertIsNone(last["next"])
        self.assertEqual(last["previous"]["punkt"], 13)
        budget = self.item("budget-2024-oekonomiudvalget-1")
        self.assertEqual((budget["moede"], budget["previous"], budget["next"]), (None, None, None))
        self.assertEqual(self.item("oekonomiudvalget-2025-12-01-3")["moede"],
                         "/moede/oekonomiudvalget/2025-12-01")
        # A case's items carry their meeting's page too.
        r = self.get("/api/sag/25-008999")
        self.assertEqual([i["moede"] for i in r.json()["items"]],
                         ["/moede/direktionen/2025-08-18", "/moede/direktionen/2025-11-17"])

    def test_source_url(self):
        self.assertEqual(self.item("direktionen-2025-11-17-6")["source_url"],
                         "https://intranet.example/dok/direktionen-2025-11-17.txt")
        self.assertEqual(self.item("direktionen-2025-08-18-5")["source_url"],
                         "https://intranet.example/dok/direktionen-2025-08-18.md")
        # The longest folder wins; the path below it percent-encoded, the template's own
        # characters kept as written.
        self.assertEqual(self.item("oekonomiudvalget-2025-12-01-1")["source_url"],
                         "https://oeko.example/arkiv/oekonomiudvalget-2025-12-01.txt?v=1&x=<y>")
        # A closed item's document may hold what the published minutes withhold.
        self.assertIsNone(self.item("direktionen-2025-11-17-2")["source_url"])

    def test_source_url_below_a_folder(self):
        server = Server([self.db], self.web, "--source-url", f"{self.docs}={SOURCE_URL}")
        try:
            r = request(server.port, "GET", "/api/item/oekonomiudvalget-2025-12-01-1")
            self.assertEqual(r.json()["source_url"], "https://intranet.example/dok/"
                             "%C3%98konomi%20udvalg/oekonomiudvalget-2025-12-01.txt")
        finally:
            server.stop_and_check()
        server = Server([self.db], self.web)
        try:
            r = request(server.port, "GET", "/api/item/direktionen-2025-11-17-6")
            self.assertIsNone(r.json()["source_url"])
        finally:
            server.stop_and_check()

    def test_source_url_flag_errors(self):
        for bad in ["nofolder", "relative/dir=https://x/{file}", "/abs=https://x/",
                    "/abs=", "/abs=javascript:alert(1)/{file}", "/abs=https://x/{file}{file}"]:
            p = subprocess.run([SERVER, "--db", self.db, "--web", self.web, "--port", "0",
                                "--source-url", bad], capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 2, (bad, p.stderr))
            self.assertIn("--source-url", p.stderr, bad)


class Meetings(ItemPagesCase):
    """/moede/{udvalg}/{date}: the whole agenda in order, closed items as titles."""

    def test_agenda_in_order(self):
        head, body = self.page("/moede/direktionen/2025-11-17")
        items = [h for h in head.anchors if h and h.startswith("/item/")]
        self.assertEqual(items, [f"/item/direktionen-2025-11-17-{n}" for n in range(1, 15)])
        self.assertIn("17. november 2025", head.h1)
        self.assertIn("Direktionen", head.h1)
        # Closed items: the title the minutes print, and nothing of their text.
        self.assertIn("Orientering om sundhedsreformen", body)
        self.assertIn("Lukket punkt", body)
        self.assertNotIn("Helena Holm", body)  # an open item's text is no part of it either
        self.assertIn("Mødelokale 8", body)
        self.assertIn("/sag/25-008999", body)

    def test_markup_is_escaped(self):
        head, body = self.page("/moede/oekonomiudvalget/2025-12-01")
        self.assertNotIn("<script>alert", body)
        self.assertNotIn("<b>", body)
        self.assertIn(html_escape(MARKUP_TITLE), body)
        self.assertTrue(head.title.startswith("Møde i Økonomiudvalget"), head.title)

    def test_spellings_redirect(self):
        for path, where in [
            ("/moede/Direktionen/2025-11-17", "/moede/direktionen/2025-11-17"),
            ("/moede/DIREKTIONEN/17-11-2025", "/moede/direktionen/2025-11-17"),
            ("/moede/direktionen/17.11.2025", "/moede/direktionen/2025-11-17"),
            ("/moede/direktionen/2025-11-17/", "/moede/direktionen/2025-11-17"),
            ("/moede/%C3%98konomiudvalget/2025-12-01", "/moede/oekonomiudvalget/2025-12-01"),
            ("/moede/%C3%B8konomiudvalget/1.12.2025", "/moede/oekonomiudvalget/2025-12-01"),
            ("/moede/okonomiudvalget/2025-12-01", "/moede/oekonomiudvalget/2025-12-01"),
            ("/moede/%C3%98KONOMIUDVALGET/2025-12-01", "/moede/oekonomiudvalget/2025-12-01"),
        ]:
            r = self.get(path)
            self.assertEqual((r.status, r.header("location")), (301, where), path)
        self.page("/moede/oekonomiudvalget/2025-12-01")

    def test_unknown_meetings(self):
        for path in ["/moede/direktionen/2025-11-18", "/moede/nope/2025-11-17",
                     "/moede/direktionen", "/moede/", "/moede/direktionen/2025-11-17/x"]:
            r = self.get(path)
            self.assert_html(r, 404)
            self.assertIn("Mødet findes ikke".encode(), r.body, path)
        for path in ["/moede/direktionen/2025-13-45", "/moede/direktionen/2025-02-30",
                     "/moede/direktionen/i-går", "/moede/" + "a" * 300 + "/2025-11-17"]:
            r = self.get(urllib.parse.quote(path))
            self.assertIn(r.status, (400, 404), path)
            self.assertTrue(r.content_type.startswith("text/html"), r)
        for payload in PAYLOADS:
            r = self.get("/moede/" + urllib.parse.quote(payload, safe="") + "/2025-11-17")
            self.assert_html(r, 404)
            self.assert_not_reflected(r, payload)


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;")


class Previews(ItemPagesCase):
    """The <head> of the case, item and meeting pages as a link preview reads it."""

    def assert_preview(self, head, path, title, description, og_type):
        self.assertEqual(head.title, f"{title} – Kommunesøg")
        self.assertEqual(head.meta["og:title"], title)
        self.assertEqual(head.meta["description"], description)
        self.assertEqual(head.meta["og:description"], description)
        self.assertEqual(head.meta["og:type"], og_type)
        self.assertEqual(head.meta["og:site_name"], "Kommunesøg")
        self.assertEqual(head.meta["og:url"], f"http://localhost:{self.port}{path}")

    def feeds(self, head):
        return [(link.get("href"), link.get("title")) for link in head.links
                if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]

    def test_case_page(self):
        head, _ = self.page("/sag/25-008999", Host=f"localhost:{self.port}")
        self.assert_preview(head, "/sag/25-008999",
                            "Sag 25-008999: Beslutning om hjemløsestrategi",
                            "2 punkter, 18.08.2025–17.11.2025. Direktionen.", "website")
        self.assertEqual(self.feeds(head), [("/feed?sag=25-008999", "Kommunesøg: sag 25-008999")])
        head, _ = self.page("/sag/21-046835K", Host=f"localhost:{self.port}")
        self.assertEqual(head.meta["description"], "1 punkt, 18.08.2025. Direktionen.")

    def test_item_page(self):
        head, _ = self.page("/item/direktionen-2025-11-17-6", Host=f"localhost:{self.port}")
        self.assert_preview(head, "/item/direktionen-2025-11-17-6", "Beslutning om hjemløsestrategi",
                            "Punkt 6 på mødet i Direktionen 17.11.2025. Sag 25-008999. "
                            "Beslutning: Anbefales.", "article")
        self.assertEqual(self.feeds(head), [("/feed?sag=25-008999", "Kommunesøg: sag 25-008999")])
        # A closed item says only what may be shown; a budget section its area and amount.
        head, body = self.page("/item/direktionen-2025-11-17-2")
        self.assertEqual(head.meta["description"],
                         "Lukket punkt. Punkt 2 på mødet i Direktionen 17.11.2025. Sag 25-002103.")
        head, _ = self.page("/item/budget-2024-oekonomiudvalget-1")
        self.assertTrue(head.meta["description"].startswith("Budgetbemærkninger 2024, "),
                        head.meta["description"])
        self.assertEqual(self.feeds(head), [])

    def test_meeting_page(self):
        head, _ = self.page("/moede/direktionen/2025-11-17", Host=f"localhost:{self.port}")
        self.assertEqual(head.meta["og:title"], "Møde i Direktionen 17.11.2025")
        self.assertEqual(head.meta["description"],
                         "Dagsorden med 14 punkter, heraf 10 lukkede. Mødelokale 8, kl. 12:30.")

    def test_markup_in_a_title(self):
        head, body = self.page("/item/oekonomiudvalget-2025-12-01-1")
        self.assertEqual(head.meta["og:title"], MARKUP_TITLE)
        self.assertEqual(head.title, f"{MARKUP_TITLE} – Kommunesøg")
        self.assertNotIn("<script>alert", body)
        self.assertNotIn("<b>", body)
        head, body = self.page("/sag/25-020001")
        self.assertEqual(head.meta["og:title"], "Sag 25-020001: Hjemløshed og boliger")
        head, body = self.page("/sag/25-020002")
        self.assertEqual(head.meta["og:title"], "Sag 25-020002: Køb af grund")

    def test_descriptions_are_one_bounded_line(self):
        for record in self.records:
            head, _ = self.page("/item/" + record["id"])
            d = head.meta["description"]
            self.assertNotIn("\n", d, record["id"])
            self.assertLessEqual(len(d.encode()), 300, record["id"])
            if len(d.encode()) > 290:
                self.assertTrue(d.endswith("…"), d)
        head, _ = self.page("/item/oekonomiudvalget-2025-12-01-3")
        self.assertTrue(head.meta["description"].startswith(
            "Punkt 3 på mødet i Økonomiudvalget 01.12.2025. Sag 25-020001. Beslutning: Taget til "
            "efterretning. Udvalget bad forvaltningen om en plan for flere boliger til hjemløse "
            "borgere i hele kommunen. Udvalget ønsker"), head.meta["description"])
        self.assertTrue(head.meta["description"].endswith("…"), head.meta["description"])

    def test_host_is_checked(self):
        head, _ = self.page("/sag/25-008999", Host='evil"><script>')
        self.assertEqual(head.meta["og:url"], "http://localhost/sag/25-008999")

    def test_real_pages(self):
        server = Server([self.db], WEB)
        try:
            for path in ["/sag/25-008999", "/item/direktionen-2025-11-17-6",
                         "/moede/direktionen/2025-11-17"]:
                r = request(server.port, "GET", path)
                self.assert_html(r, 200)
                head = Head(r.body.decode("utf-8"))
                self.assertIn("og:title", head.meta, path)
                self.assertEqual(r.body.count(b"<title>"), 1, path)
                self.assertIn(b'<link rel="stylesheet" href="/style.css">', r.body, path)
        finally:
            server.stop_and_check()


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_WEB")
