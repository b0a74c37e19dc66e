#!/usr/bin/env python3
"""Inputs that cost the indexer far more than their size suggests (issue 15,
point 2), for the e2e tests of tests/e2e/ and bench/costly.py.

  mkbomb.py pdf OUT OPERATORS SPOTS   a one-page PDF whose content stream
                                      (zlib, a few kB) draws a word
                                      OPERATORS times, in turn at SPOTS
                                      places a point apart
  mkbomb.py line OUT BYTES            minutes with one agenda item whose
                                      Sagsfremstilling is one line of
                                      about BYTES bytes of words

The PDF is written here byte by byte (header, objects, a cross-reference
table with the true offsets, trailer), so that it is a valid PDF that any
reader opens, and only its one page is costly.  Poppler keeps every
character drawn: at one spot (SPOTS 1) 200,000 operators take about 300 MB;
at two overlapping spots it also compares each word with those before it,
and the time grows with the square of OPERATORS (60,000: seconds).
Standard library only.
"""

import sys
import zlib


def bomb_pdf(operators, spots):
    """The bytes of a one-page PDF that draws a word OPERATORS times, in turn
    at SPOTS places a point apart (overlapping), in one compressed content
    stream."""
    words = [b"Kommune", b"Budget", b"Borger", b"Skole"]
    cycle = b"".join(b"1 0 0 1 %d %d Tm (%s) Tj\n" % (72 + k, 700 + k, words[k % len(words)])
                     for k in range(spots))
    ops = b"BT /F1 12 Tf\n" + cycle * (operators // spots) + b"ET\n"
    stream = zlib.compress(ops, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


# Words of the council documents, for a line that searches hit.
WORDS = ("kommunen budget borgerne skole daginstitution beslutning indstilling "
         "økonomiudvalget anlæg service udvikling plan område børn ældre bolig "
         "trafik klima erhverv kultur sundhed beskæftigelse administration").split()


def long_line_minutes(size):
    """Minutes of one meeting whose one item's Sagsfremstilling is one line
    of about SIZE bytes of words (UTF-8)."""
    head = ("REFERAT Direktionen d. 01-12-2025\n\n"
            "Mødedato Mandag d. 01. december 2025 kl. 11:30\n\n"
            "Punkt 1: En meget lang linje\n\n25-000001\n\nSagsfremstilling\n\n")
    # The words in turn, a full stop after every twelve.
    words = [w + (". " if (i + 1) % 12 == 0 else " ")
             for i, w in enumerate(WORDS * 12)]
    line = "".join(words)
    n = (size - len(head.encode())) // len(line.encode()) + 1
    body = (line * n)[: size - len(head.encode())].rsplit(" ", 1)[0]
    return (head + body + ".\n\nBeslutning\n\nGodkendt.\n").encode()


def main(argv):
    if len(argv) < 4 or (argv[1], len(argv)) not in (("pdf", 5), ("line", 4)):
        sys.exit(__doc__)
    data = (bomb_pdf(int(argv[3]), int(argv[4])) if argv[1] == "pdf"
            else long_line_minutes(int(argv[3])))
    with open(argv[2], "wb") as f:
        f.write(data)
    print(len(data))


if __name__ == "__main__":
    main(sys.argv)
