#!/usr/bin/env python3
"""The real kommunesoeg-server's /api/sag, /api/item, HTML pages and static
files.

Every group indexes its corpus into a temporary directory, starts its own
server on a free loopback port (harness.py) and stops it with SIGTERM at the
end, asserting exit status 0 and no sanitizer report.  Usage: test_server_pages.py [GROUP...]
(one meson test per group).
"""

import os
import unittest
import urllib.parse

from harness import (main, WEB, ITEM_FIELDS, ITEM_PAGE_FIELDS, TOLERATED_EXTRA, PAYLOADS, WEB_FILES, request, Server,
                     ServerCase)


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

    def assert_item(self, item, record, fields=ITEM_FIELDS):
        self.assertEqual(set(item) - TOLERATED_EXTRA, fields, record["id"])
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
        # A number written without its zeros is read with them: 25-000210.
        for unknown in ["99-999999", "25-002104", "25-00210"]:
            self.assert_error(self.get("/api/sag/" + unknown), 404)
        for bad in ["abc", "25-", "25-0021033", "25-002103KK", "2025-002103", "25_002103",
                    "25-002103%20x", "%FF", "25-00210%C3%B8", "-", "25-002103-", "%0B25-002103"]:
            self.assert_error(self.get("/api/sag/" + bad), 400)

    def test_api_item(self):
        for record in self.records:
            r = self.get("/api/item/" + record["id"])
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.content_type, "application/json;charset=utf-8")
            self.assert_item(r.json(), record, ITEM_FIELDS | ITEM_PAGE_FIELDS)

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
        for nr in ["25-002103", "21-046835K", "23-004790"]:
            r = self.get("/sag/" + nr)
            self.assert_html(r, 200)
            self.assert_page(r, "sag.html")
        # Any other way of writing a case's number is sent to its page.
        r = self.get("/sag/21-046835k")
        self.assertEqual((r.status, r.header("location")), (301, "/sag/21-046835K"))
        self.assert_html(self.get("/sag/99-999999"), 404)
        self.assert_html(self.get("/sag/25-00210"), 404)
        for bad in ["abc", "25-", "25-002103KK", "2025-002103", "%FF"]:
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
            self.assert_page(r, "item.html")
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
                # The server fills in the statement's contact and date
                # (test_server_site.py, Statement).
                if name == "tilgaengelighed.html":
                    continue
                r = request(server.port, "GET", "/" + urllib.parse.quote(name))
                self.assertEqual(r.status, 200, name)
                with open(os.path.join(WEB, name), "rb") as f:
                    self.assertEqual(r.body, f.read(), name)
        finally:
            server.stop_and_check()


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_WEB")
