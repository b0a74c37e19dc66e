#!/usr/bin/env python3
"""Puts a page of the front end together from the frame every page shares.

    assemble.py FRAME PAGE LIMITS OUT
    assemble.py --c-array NAME FRAME PAGE LIMITS OUT

FRAME (web/frame.html) is the whole of a page but what is the page's own:
the document's head, the site's header with its skip link, the <main>
landmark the skip link leads to, and the footer.  A line of it that is
only @HEAD@, @SCRIPTS@, @BEFORE_MAIN@ or @MAIN@ is replaced by the page's
lines of that name (none: the line goes), and @CLASS@ by the class of the
page's <main>.

PAGE (web/index.html, …) is the page's head lines (its <title> first, then
<meta> and <link> lines: @HEAD@; its <script> lines: @SCRIPTS@), a blank
line, then its body: what stands before its <main> (@BEFORE_MAIN@, such as
the breadcrumb trail), a line <main class="…"> (@CLASS@), the main content
(@MAIN@) and a last line </main>.

A comment that opens FRAME or PAGE is its note to the reader, left out.
@KS_NAME@ in PAGE is the value of `#define KS_NAME value` in LIMITS
(server/ks-limits.h), so that the page knows the server's limits.

OUT receives the page; with --c-array, a C header that defines the array
of char NAME as the page (the server's error page).
"""
import os
import re
import sys

SLOTS = ("@HEAD@", "@SCRIPTS@", "@BEFORE_MAIN@", "@MAIN@")


def fail(path, message):
    sys.exit(f"{path}: {message}")


def read(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.endswith("\n"):
        fail(path, "no line end at the end")
    return re.sub(r"\A<!--.*?-->\n", "", text, flags=re.S)


def limits(path):
    with open(path, encoding="utf-8") as f:
        return dict(re.findall(r"^#define (KS_[A-Z0-9_]+)\s+(\S.*?)\s*$", f.read(), re.M))


def page_slots(path, text, values):
    def value(m):
        if m.group(1) not in values:
            fail(path, f"{m.group(0)}: no such #define in the limits")
        return values[m.group(1)]
    text = re.sub(r"@(KS_[A-Z0-9_]+)@", value, text)
    head, sep, body = text.partition("\n\n")
    if not sep:
        fail(path, "no blank line after the head lines")
    slots = {"@HEAD@": [], "@SCRIPTS@": []}
    for line in head.split("\n"):
        if line.startswith("<script"):
            slots["@SCRIPTS@"].append(line)
        elif line.startswith(("<title>", "<meta ", "<link ")):
            slots["@HEAD@"].append(line)
        else:
            fail(path, f"not a head line: {line}")
    if not slots["@HEAD@"] or not slots["@HEAD@"][0].startswith("<title>"):
        fail(path, "the head lines do not begin with the <title>")
    m = re.search(r'^<main class="([^"]*)">\n(.*)^</main>\n\Z', body, re.M | re.S)
    if not m:
        fail(path, 'no <main class="…"> … </main> at the end of the body')
    slots["@BEFORE_MAIN@"] = body[:m.start()].split("\n")[:-1]
    slots["@MAIN@"] = m.group(2).split("\n")[:-1]
    slots["@CLASS@"] = m.group(1)
    return slots


def assemble(frame_path, page_path, limits_path):
    slots = page_slots(page_path, read(page_path), limits(limits_path))
    lines = []
    for line in read(frame_path).split("\n"):
        if line in SLOTS:
            lines += slots[line]
        else:
            lines.append(line.replace("@CLASS@", slots["@CLASS@"]))
    return "\n".join(lines)


def c_literal(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return "\n".join(f'\t"{line}\\n"' for line in escaped.split("\n")[:-1])


def main(argv):
    array = None
    if argv[:1] == ["--c-array"] and len(argv) > 1:
        array, argv = argv[1], argv[2:]
    if len(argv) != 4:
        sys.exit(__doc__)
    frame, page, limits_h, out = argv
    text = assemble(frame, page, limits_h)
    if array:
        names = " and ".join("web/" + os.path.basename(p) for p in (frame, page))
        text = (f"/* Made by web/assemble.py from {names}: do not edit. */\n"
                f"static const char {array}[] =\n{c_literal(text)};\n")
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
