"""The review desk in real headless Chromium, driven over its DevTools protocol: a reviewer
uploads a flawed workbook through the inbox, reads its findings, accepts one with a reason,
downloads the annotated copy and the remarks letter, uploads the fixed version and sees what
was fixed. ``PLANCHECK_UPDATE_SCREENSHOTS=1`` writes the pages' screenshots to docs/images/
(docs/review-desk.md shows them)."""

from __future__ import annotations

import base64
import io
import os
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from chromium import DevTools, launched  # noqa: E402
from conftest import ROOT  # noqa: E402
from desk_plans import workbooks  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import serve as desk_bench  # noqa: E402

SHOTS = ROOT / "docs" / "images"


@pytest.fixture
def chromium(tmp_path):
    with launched(tmp_path / "profile") as running:  # a fresh profile: no cookies, no cache
        yield running.page, running.browser


class Reviewer:
    """What a reviewer does in the page, as DevTools calls."""

    def __init__(self, page: DevTools, base: str) -> None:
        self.page, self.base = page, base
        for domain in ("Page", "Runtime", "DOM"):
            page.call(f"{domain}.enable")

    def open(self, path: str) -> None:
        self.page.events.clear()
        self.page.call("Page.navigate", url=self.base + path)
        self.page.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> object:
        found = self.page.call("Runtime.evaluate", expression=expression, returnByValue=True,
                               awaitPromise=True)
        assert "exceptionDetails" not in found, found
        return found["result"].get("value")

    def until(self, expression: str, seconds: float = 60) -> object:
        deadline = time.monotonic() + seconds
        while True:
            try:
                value = self.js(expression)
            except AssertionError:  # the page is between two loads
                value = None
            if value:
                return value
            assert time.monotonic() < deadline, f"never true: {expression}"
            time.sleep(0.25)

    def text(self) -> str:
        return str(self.js("document.body.innerText"))

    def choose_file(self, selector: str, path: Path) -> None:
        root = self.page.call("DOM.getDocument")["root"]["nodeId"]
        node = self.page.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        self.page.call("DOM.setFileInputFiles", nodeId=node, files=[str(path)])

    def upload(self, path: Path) -> str:
        """Upload through the inbox's form; the submission page's path once checked."""
        self.open("/")
        self.choose_file("#file", path)
        self.js("document.getElementById('send').click()")
        return str(self.until("(() => { const li = document.querySelector("
                              "'#batch-list li.state-done a'); return li && "
                              "li.getAttribute('href'); })()"))

    def shot(self, name: str) -> bytes:
        data = base64.b64decode(self.page.call("Page.captureScreenshot", format="png")["data"])
        if os.environ.get("PLANCHECK_UPDATE_SCREENSHOTS"):
            from PIL import Image

            image = Image.open(io.BytesIO(data)).convert("RGB")
            image = image.resize((900, image.height * 900 // image.width))
            SHOTS.mkdir(parents=True, exist_ok=True)
            image.quantize(64).save(SHOTS / f"desk-{name}.png", optimize=True)
        return data


def test_a_season_in_the_browser(tmp_path, chromium):
    from docx import Document
    from openpyxl import load_workbook
    from PIL import Image

    page, browser = chromium
    flawed, fixed = workbooks(tmp_path)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.call("Browser.setDownloadBehavior", behavior="allow",
                 downloadPath=str(downloads))
    server = desk_bench.Server(tmp_path / "desk", workers=1)
    try:
        me = Reviewer(page, server.url)
        me.open("/")
        assert "Hộp thư đến" in me.text()  # Vietnamese by default
        first = me.upload(flawed)
        me.until("document.getElementById('submissions').innerText.includes('flawed.xlsx')")
        me.shot("inbox")
        me.open(first)
        text = me.text()
        assert "PH-04" in text and "DIR-01" in text and "phiên bản 1" in text
        shot = Image.open(io.BytesIO(me.shot("submission")))
        assert len(shot.getcolors(1 << 20) or []) > 50  # a page drawn, not a blank

        # filter: only warnings (there are none), then all again
        hidden = me.js("(() => { const s = document.getElementById('filter-severity');"
                       "s.value = 'warning'; s.dispatchEvent(new Event('change'));"
                       "return document.querySelectorAll('#findings tr.finding[hidden]')"
                       ".length; })()")
        assert hidden == 2

        # accept DIR-01 with a reason
        me.js("(() => { const row = [...document.querySelectorAll('#findings tr.finding')]"
              ".find(r => r.textContent.includes('DIR-01'));"
              "row.querySelector('input[name=reason]').value = 'Tỷ lệ nghèo tăng do sáp "
              "nhập xã'; row.querySelector('button').click(); })()")
        me.until("document.querySelector('#waived') !== null && "
                 "document.body.innerText.includes('Tỷ lệ nghèo tăng do sáp nhập xã')")
        findings = me.js("[...document.querySelectorAll('#findings tr.finding')]"
                         ".map(r => r.children[1].textContent)")
        assert findings == ["PH-04"]

        # download the annotated workbook and the remarks letter
        for link in ("dl-annotated", "dl-letter"):  # one at a time, as a reviewer clicks
            me.js(f"document.getElementById('{link}').click()")
            deadline = time.monotonic() + 60
            while len([p for p in downloads.iterdir()
                       if not p.name.endswith(".crdownload")]) < (1 if "annotated" in link
                                                                   else 2):
                assert time.monotonic() < deadline, list(downloads.iterdir())
                time.sleep(0.2)
        book = next(downloads.glob("*.xlsx"))
        assert "PH-04" in load_workbook(book)["Chỉ tiêu"]["D12"].comment.text
        letter = "\n".join(p.text for p in Document(next(downloads.glob("*.docx"))).paragraphs)
        assert "Ý kiến thẩm định kế hoạch" in letter and "PH-04" in letter
        assert "Tỷ lệ nghèo tăng do sáp nhập xã" in letter  # the accepted exception

        # version 2, fixed
        second = me.upload(fixed)
        me.open(second)
        me.until("document.getElementById('changes') !== null")
        changes = str(me.js("document.getElementById('changes').innerText"))
        assert "So với phiên bản 1" in changes and "đã sửa: PH-04 O1.T2" in changes
        assert "phiên bản 2" in me.text()
        me.shot("version-2")
        me.open("/lang/en?next=" + second)
        assert "fixed: PH-04 O1.T2" in me.text()
        me.open("/plans/cb-sedp-2026-2030")
        me.shot("versions")
        rows = me.js("[...document.querySelectorAll('#versions tr')].length")
        assert rows == 3  # the header and two versions
    finally:
        server.stop()
