#!/usr/bin/env python3
"""Case numbers as people write them, over the real kommunesoeg-server: without
the zeros ("25-2452"), with a slash or a blank after them, the letter in lower
case, and without the letter of a lettered case ("21-046835" for
"21-046835K"); in the box, the sag filter, /api/sag/ and the case page
/sag/ (docs/api.rst).

The group indexes corpus/ and one more meeting whose item has the case
21-046835L, so that 21-046835 has two lettered cases.  Usage:
test_case_numbers.py [GROUP...] (one meson test per group).
"""

import os
import re
import shutil
import urllib.parse

from harness import CORPUS, PAYLOADS, WEB_FILES, ServerCase, main, raw_request

# A second lettered case of 21-046835, in a meeting of its own.
EXTRA_MEETING = """# REFERAT Direktionen d. 01-12-2025

**Mødedato** Mandag d. 1. december 2025 kl. 12:30

**Mødested** Mødelokale 8

## **Punkt 1: Opfølgning på forsikringsaftalen**

21-046835L

### **Beslutning**

Taget til efterretning.

### **Sagsfremstilling**

### **Resume og sagens baggrund**

Forsikringsaftalen blev forlænget i august; her følger opfølgningen.
"""

# The items of the cases the group asks for.
ITEM_25_002452 = "direktionen-2025-10-06-1"
ITEM_K = "direktionen-2025-08-18-7"
ITEM_L = "direktionen-2025-12-01-1"

# A redirect's Location is a case's address and nothing else.
CASE_URL = re.compile(r"^/sag/\d\d-\d{6}[A-Z]?$")


class CaseNumbers(ServerCase):
    """Case numbers in the box, the filter, the API and the case page."""

    @classmethod
    def prepare_corpus(cls):
        corpus = os.path.join(cls.tmp, "corpus")
        shutil.copytree(CORPUS, corpus)
        with open(os.path.join(corpus, "direktionen-2025-12-01.md"), "w",
                  encoding="utf-8") as f:
            f.write(EXTRA_MEETING)
        return corpus

    def assert_redirect(self, path, status, location):
        r = self.get(path)
        self.assertEqual(r.status, status, f"{path}: {r}")
        self.assertEqual(r.header("location"), location, path)
        self.assertTrue(r.content_type.startswith("text/html"), r)
        return r

    def test_box_without_zeros(self):
        want = self.ids("25-002452")
        self.assertEqual(want[0], ITEM_25_002452)
        for q in ["25-2452", "sag 25-2452", "sagsnr. 25-2452", "25 - 2452"]:
            self.assertEqual(self.ids(q), want, q)
        for q in ["sag:25-2452", "sag:25-002452"]:
            self.assertEqual(self.ids(q), [ITEM_25_002452], q)
        self.assertEqual(self.ids("", sag="25-2452"), [ITEM_25_002452])
        self.assertIsNone(self.search(q="25-2452")["notice"])

    def test_box_without_letter(self):
        for q in ["sag:21-046835", "21-046835", "sag:21-46835"]:
            body = self.search(q=q)
            self.assertEqual(sorted(x["id"] for x in body["results"]), [ITEM_K, ITEM_L], q)
            self.assertEqual(body["notice"],
                             "Sag 21-046835 findes ikke; viser 21-046835K og 21-046835L.", q)
        body = self.search(sag="21-046835")
        self.assertEqual(body["total"], 2)
        self.assertIsNotNone(body["notice"])
        # A lettered case asked for by its letter is itself.
        body = self.search(q="sag:21-046835k")
        self.assertEqual(([x["id"] for x in body["results"]], body["notice"]), ([ITEM_K], None))

    def test_api(self):
        for nr in ["25-2452", "25-002452", "25-002452/", "25-2452%20", "%2025-002452"]:
            r = self.get("/api/sag/" + nr)
            self.assertEqual(r.status, 200, f"{nr}: {r}")
            body = r.json()
            self.assertEqual(body["sagsnummer"], "25-002452", nr)
            self.assertEqual([i["id"] for i in body["items"]], [ITEM_25_002452], nr)
            self.assertNotIn("cases", body)
        # One lettered case is answered as itself (corpus/ alone: test-routes.c);
        # two are listed, with all their items, oldest first.
        for nr in ["21-046835", "21-46835/"]:
            body = self.get("/api/sag/" + nr).json()
            self.assertEqual((body["sagsnummer"], body["cases"], [i["id"] for i in body["items"]]),
                             ("21-046835", ["21-046835K", "21-046835L"], [ITEM_K, ITEM_L]), nr)
        body = self.get("/api/sag/21-046835l").json()
        self.assertEqual((body["sagsnummer"], [i["id"] for i in body["items"]]),
                         ("21-046835L", [ITEM_L]))
        self.assertNotIn("cases", body)
        self.assert_error(self.get("/api/sag/25-000210"), 404)
        for bad in ["25-0024521", "25-002452KK", "25-2452%3Cb%3E", "25-", "25-2452//x"]:
            self.assert_error(self.get("/api/sag/" + bad), 400)

    def test_page_redirects(self):
        # What an intranet page may link to, as people paste it.
        for path in ["/sag/25-2452", "/sag/25-002452/", "/sag/25-002452%20", "/sag/25-2452/",
                     "/sag/25-2452?fra=intranet", "/sag/25-002452/?x=1", "/sag/%2025-002452",
                     "/sag/25-002452//"]:
            self.assert_redirect(path, 301, "/sag/25-002452")
        self.assert_redirect("/sag/21-046835k", 301, "/sag/21-046835K")
        r = self.get("/sag/25-002452")
        self.assert_html(r, 200)
        self.assert_page(r, "sag.html")
        self.assertIsNone(r.header("location"))
        # Two lettered cases: the case page lists them (sag.js, from the API).
        for path in ["/sag/21-046835"]:
            r = self.get(path)
            self.assert_html(r, 200)
            self.assert_page(r, "sag.html")
        self.assert_redirect("/sag/21-46835", 301, "/sag/21-046835")
        self.assert_html(self.get("/sag/25-000210"), 404)
        self.assert_html(self.get("/sag/25-2452x1"), 400)

    def test_hostile_never_in_location(self):
        # Whatever follows the number, the answer is a 4xx or a redirect to
        # a case's address made from the number read.
        paths = ["/sag/25-2452" + urllib.parse.quote(p, safe="") for p in PAYLOADS]
        paths += ["/sag/" + urllib.parse.quote(p, safe="") for p in PAYLOADS]
        paths += ["/sag/25-2452%0D%0ALocation:%20http://evil.example/",
                  "/sag/25-2452/%2F%2Fevil.example", "/sag//evil.example/25-2452",
                  "/sag/25-2452%2F..%2F..%2Fsecret.txt", "/sag/%FF25-2452",
                  "/sag/25-2452%09%0B", "/sag/25-2452%2Fx"]
        for path in paths:
            r = raw_request(self.port, "GET", path)
            self.assertTrue(400 <= r.status < 500 or r.status in (301, 302), f"{path}: {r}")
            location = r.headers.get("location")
            if r.status in (301, 302):
                self.assertRegex(location, CASE_URL, path)
            else:
                self.assertIsNone(location, path)
            self.assert_not_reflected(r, path)
            self.assertNotIn(b"evil", r.body, path)


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_WEB")
