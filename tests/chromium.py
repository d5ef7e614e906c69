"""Real headless Chromium for the tests that look at pages as a reader does: one launcher and a
minimal DevTools protocol client, shared by the HTML report and review desk tests."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(n)), None)
# No network of its own, no first-run pages, a fixed window: screenshots and texts repeat.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0")


class DevTools:
    """A minimal Chrome DevTools protocol client over one websocket (a page or the browser)."""

    def __init__(self, url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not any(e.get("method") == method for e in self.events):
            assert time.monotonic() < deadline, f"no {method}"
            self.events.append(json.loads(self.ws.recv()))


@dataclass
class Browser:
    """A running Chromium: its first page and the browser-wide endpoint."""

    page: DevTools
    browser: DevTools


@contextlib.contextmanager
def launched(profile: Path, window: str = "1200,1000") -> Iterator[Browser]:
    """Start Chromium with a fresh ``profile`` (no cookies, no cache); skip where it is
    missing. The process is stopped on exit, killed if it does not stop."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed; .ci/run installs Debian's chromium")
    process = subprocess.Popen([CHROMIUM, *FLAGS, f"--window-size={window}",
                                f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None and time.monotonic() < deadline, "no Chromium"
            time.sleep(0.1)
        port, browser_path = port_file.read_text().split()[:2]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
            pages = [t for t in json.load(r) if t["type"] == "page"]
        running = Browser(DevTools(pages[0]["webSocketDebuggerUrl"]),
                          DevTools(f"ws://127.0.0.1:{port}{browser_path}"))
        try:
            yield running
        finally:
            running.page.ws.close()
            running.browser.ws.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
