#!/usr/bin/env python3
"""A screenshot of the listing page once its data is shown: waits for <html data-ready>, which the page sets after
its first data has loaded (a plain `chromium --headless --screenshot` shoots before that, and its virtual-time
budget never ends while the page's live event stream is open).

usage: scripts/screenshot.py [URL] [OUT.png] [WIDTHxHEIGHT]
       defaults: http://localhost:8080/ page.png 1280x2000

Drives headless Chromium through chromedriver's WebDriver HTTP interface with Python's standard library only.
Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver; elsewhere CHROMIUM_BIN and
CHROMEDRIVER_BIN).
"""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}").get("value")


def main(argv):
    url = argv[0] if len(argv) > 0 else "http://localhost:8080/"
    out = argv[1] if len(argv) > 1 else "page.png"
    width, height = (argv[2] if len(argv) > 2 else "1280x2000").split("x")
    chromium = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    driver_bin = os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")
    port = free_port()
    driver = subprocess.Popen([driver_bin, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                call(base, "GET", "/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("chromedriver did not start")
                time.sleep(0.1)
        profile = tempfile.mkdtemp(prefix="screenshot-chromium-")
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                f"--window-size={width},{height}"]
        session = call(base, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {"binary": chromium, "args": args}}}})["sessionId"]
        try:
            call(base, "POST", f"/session/{session}/url", {"url": url})
            deadline = time.monotonic() + 30
            script = "return document.documentElement.hasAttribute('data-ready')"
            while not call(base, "POST", f"/session/{session}/execute/sync", {"script": script, "args": []}):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{url} did not set data-ready within 30 s")
                time.sleep(0.1)
            png = call(base, "GET", f"/session/{session}/screenshot")
            with open(out, "wb") as f:
                f.write(base64.b64decode(png))
            print(f"{out}: {url} once its data was shown")
        finally:
            call(base, "DELETE", f"/session/{session}")
    finally:
        driver.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
