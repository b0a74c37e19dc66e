#!/usr/bin/env python3
"""./run.sh's own part: the address and port it serves on (HOST, PORT) and
the accessibility statement's contact and date (CONTACT, STATEMENT_DATE).

run.sh is run as it is, from a copy of the checkout's layout in which the
set-up and the build have been done (tools/setup-debian.sh, meson and ninja
are stubs that do nothing: the build is this build's), with this build's
programs and web files and the real corpus; it indexes and serves as it does
on a new machine.  HOST is 127.0.0.2, a loopback address (all of 127/8 is)
other than run.sh's default, so that where the server listens is seen: there,
and not on 127.0.0.1.
"""
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import main, free_port, CORPUS, INDEX, SERVER, WEB

RUN_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "run.sh")
STUB = "#!/bin/sh\nexit 0\n"


def get(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def listening(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


class RunSh(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ks-run-sh-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        root = os.path.join(self.tmp, "checkout")
        for d in ["tools", "build/meson-private", "build/indexer", "build/server", "bin"]:
            os.makedirs(os.path.join(root, d))
        shutil.copy(RUN_SH, root)
        for stub in ["tools/setup-debian.sh", "bin/meson", "bin/ninja"]:
            path = os.path.join(root, stub)
            with open(path, "w") as f:
                f.write(STUB)
            os.chmod(path, 0o755)
        os.symlink(INDEX, os.path.join(root, "build/indexer/kommunesoeg-index"))
        os.symlink(SERVER, os.path.join(root, "build/server/kommunesoeg-server"))
        os.symlink(WEB, os.path.join(root, "build/web"))
        os.symlink(CORPUS, os.path.join(root, "corpus"))
        self.root = root

    def run_sh(self, **env):
        """Starts run.sh with ENV; returns it once it serves (or has exited)."""
        full = dict(os.environ, PATH=os.path.join(self.root, "bin") + ":" + os.environ["PATH"], **env)
        log = open(os.path.join(self.tmp, "run.log"), "w+")
        self.addCleanup(log.close)
        proc = subprocess.Popen([os.path.join(self.root, "run.sh")], cwd=self.tmp, env=full,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(self.stop, proc)
        host, port = env.get("HOST", "127.0.0.1"), int(env["PORT"])
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and not listening(host, port):
            time.sleep(0.1)
        log.seek(0)
        self.log = log.read()
        self.assertIsNone(proc.poll(), f"run.sh exited: {self.log}")
        return proc

    def stop(self, proc):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def test_host_and_port(self):
        port = free_port()
        self.run_sh(HOST="127.0.0.2", PORT=str(port))
        status, body = get("127.0.0.2", port, "/api/search?q=hjeml%C3%B8se")
        self.assertEqual(status, 200, body)
        self.assertIn('"total":', body)
        self.assertFalse(listening("127.0.0.1", port), "run.sh listens on 127.0.0.1 too")
        self.assertIn(f"serving on http://127.0.0.2:{port}", self.log)

    def test_default_is_loopback(self):
        port = free_port()
        self.run_sh(PORT=str(port))
        self.assertEqual(get("127.0.0.1", port, "/healthz")[0], 200)
        self.assertFalse(listening("127.0.0.2", port), "run.sh listens beyond 127.0.0.1")

    def test_statement(self):
        port = free_port()
        self.run_sh(PORT=str(port), CONTACT="it@kommune.example", STATEMENT_DATE="2026-12-04")
        status, page = get("127.0.0.1", port, "/tilgaengelighed.html")
        self.assertEqual(status, 200)
        self.assertIn('href="mailto:it@kommune.example"', page)
        self.assertIn("den 4. december 2026.", page)


if __name__ == "__main__":
    main("KS_SERVER", "KS_INDEX", "KS_CORPUS", "KS_WEB")
