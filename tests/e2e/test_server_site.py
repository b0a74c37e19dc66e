#!/usr/bin/env python3
"""The site as a browser sees it, beside the API (docs/api.rst, "Errors";
docs/front-end.rst):

  Errors     every error that a browser is answered is a Danish page in the
             site's frame with the error's status; a JSON client (a path
             under /api/, or Accept: application/json) keeps the API's JSON
             error, with the same status.
  Statement  the accessibility statement shows the contact and the date that
             the server was given (--contact, --statement-date), and says
             which are missing without them.
"""
import re
import subprocess
import unittest

from harness import main, SERVER, WEB, WRAP, request, Server, ServerCase

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSON = "application/json"

# Words that only an English error has.
ENGLISH = re.compile(r"\b(no such|must be|not found|is not|error)\b", re.I)


@unittest.skipUnless(WEB, "KS_WEB is not set")
class Errors(ServerCase):
    @classmethod
    def server_args(cls):
        return ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The real front end: the error pages are in its frame.
        cls.real = Server([cls.db], WEB)
        cls.addClassCleanup(cls.real.kill)

    @classmethod
    def tearDownClass(cls):
        cls.real.stop_and_check()
        super().tearDownClass()

    def fetch(self, path, accept=None):
        return request(self.real.port, "GET", path, headers={"Accept": accept} if accept else {})

    def assert_danish_page(self, r, status, what):
        self.assertEqual(r.status, status, f"{what}: {r}")
        self.assertTrue(r.content_type.startswith("text/html"), f"{what}: {r}")
        page = r.body.decode("utf-8")
        # The site's frame: the header, the skip link, the landmark, the footer.
        for part in ['<html lang="da">', 'class="skip" href="#indhold"', '<main id="indhold"',
                     'href="/tilgaengelighed.html"', 'href="/style.css"']:
            self.assertIn(part, page, what)
        main = page.split('<main id="indhold"')[1].split(">", 1)[1].split("</main>")[0]
        main_text = re.sub(r"<[^>]+>", " ", main)
        self.assertNotRegex(main_text, ENGLISH, what)
        self.assertIn(str(status), main_text, f"{what}: the page names the status")
        self.assertNotIn("{", page.split("<body>")[1], f"{what}: no JSON in the page")
        self.assert_security_headers(r, what)
        return main_text

    def assert_json(self, r, status, what):
        self.assertEqual(r.status, status, f"{what}: {r}")
        self.assertEqual(r.content_type, "application/json;charset=utf-8", f"{what}: {r}")
        body = r.json()
        self.assertEqual(body["error"]["status"], status, what)
        return body

    def test_unknown_paths_are_pages(self):
        # Any path not under /api/, with a browser's Accept or none.
        for path in ["/foo", "/sag", "/item", "/foo/bar.html", "/nope.css", "/moede"]:
            for accept in [BROWSER, None, "*/*"]:
                text = self.assert_danish_page(self.fetch(path, accept), 404, f"{path} {accept}")
                self.assertIn("Siden findes ikke", text, path)

    def test_pages_echo_nothing(self):
        for path in ["/%3Cb%3Ex.css", "/sag/%3Cb%3E", "/item/%3Cb%3E", "/feed?from=%3Cb%3E"]:
            r = self.fetch(path, BROWSER)
            self.assertTrue(r.content_type.startswith("text/html"), f"{path}: {r}")
            self.assertNotIn(b"<b>", r.body, path)
            self.assertNotIn(b"&lt;b&gt;", r.body, path)

    def test_page_routes_are_pages(self):
        for path, status in [("/sag/25-999999", 404), ("/sag/xyz", 400), ("/item/nope", 404),
                             ("/item/" + "a" * 300, 404)]:
            self.assert_danish_page(self.fetch(path, BROWSER), status, path)

    def test_browser_on_a_machine_route_gets_a_page(self):
        # A feed with a bad filter opened in the browser's address bar.
        r = self.fetch("/feed?q=budget&from=2025-13-01", BROWSER)
        text = self.assert_danish_page(r, 400, "/feed from=2025-13-01")
        self.assertIn("dato", text.lower(), "the page says what was wrong: the date")

    def test_api_paths_keep_json(self):
        for path, status in [("/api/nope", 404), ("/api/sag/nope", 400), ("/api/item/nope", 404),
                             ("/api/search?from=x", 400), ("/api/search?page=0", 400)]:
            for accept in [BROWSER, None, JSON]:
                self.assert_json(self.fetch(path, accept), status, f"{path} {accept}")

    def test_json_accept_keeps_json(self):
        for path, status in [("/foo", 404), ("/sag", 404), ("/item", 404), ("/sag/xyz", 400),
                             ("/item/nope", 404), ("/feed?from=x", 400)]:
            self.assert_json(self.fetch(path, JSON), status, path)
            self.assert_json(self.fetch(path, "application/json, text/plain, */*"), status, path)

    def test_machine_routes_keep_json_without_html_accept(self):
        # A feed reader or a monitor sends no Accept that asks for HTML.
        for accept in [None, "application/atom+xml", "*/*"]:
            self.assert_json(self.fetch("/feed?from=x", accept), 400, f"/feed {accept}")

    def test_head_of_a_page_error(self):
        r = request(self.real.port, "HEAD", "/foo", headers={"Accept": BROWSER})
        self.assertEqual(r.status, 404, r)
        self.assertTrue(r.content_type.startswith("text/html"), r)


@unittest.skipUnless(WEB, "KS_WEB is not set")
class Statement(ServerCase):
    def statement(self, *args):
        server = Server([self.db], WEB, *args)
        try:
            r = request(server.port, "GET", "/tilgaengelighed.html")
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.content_type.startswith("text/html"), r)
            return r.body.decode("utf-8")
        finally:
            server.stop_and_check()

    def test_configured_contact_and_date(self):
        page = self.statement("--contact", "webredaktion@kommune.example",
                              "--statement-date", "2026-12-04")
        self.assertIn('<a href="mailto:webredaktion@kommune.example">'
                      'webredaktion@kommune.example</a>', page)
        self.assertIn("senest gennemgået den 4. december 2026.", page)
        self.assertNotIn("@CONTACT@", page)
        self.assertNotIn("@STATEMENT_DATE@", page)

    def test_web_page_contact(self):
        page = self.statement("--contact", "https://kommune.example/kontakt?emne=tilg&x=1",
                              "--statement-date", "2025-01-31")
        self.assertIn('<a href="https://kommune.example/kontakt?emne=tilg&amp;x=1">', page)
        self.assertIn("den 31. januar 2025.", page)

    def test_without_options_says_what_is_missing(self):
        page = self.statement()
        self.assertIn("kontakt kommunens webredaktion eller IT-afdeling", page)
        self.assertIn("ikke angivet", page)
        self.assertNotIn("@", page.split("<main")[1].split("</main>")[0])

    def test_bad_options_are_refused(self):
        for args in [["--contact", "x y@z.dk"], ["--contact", "nobody"],
                     ["--contact", '"><script>@x.dk'], ["--contact", "a@b.dk" + "x" * 300],
                     ["--statement-date", "2026-02-30"], ["--statement-date", "4/12/2026"]]:
            p = subprocess.run([*WRAP, SERVER, "--db", self.db, "--port", "0", *args],
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 2, f"{args}: {p.stderr!r}")
            self.assertRegex(p.stderr.decode(), r"--(contact|statement-date) must be", args)


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_WEB")
