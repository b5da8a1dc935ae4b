"""The HTML scorecard in a real headless Chromium: it loads offline, shows every agency, sorts on a click."""
from __future__ import annotations

from pathlib import Path

import pytest

from auditor.report import SCORECARD
from auditor.report.builtin import render
from auditor.sweep.scorecard import build

from webdriver import browser_session, find_browser

pytestmark = pytest.mark.skipif(find_browser() is None, reason="chromium and chromedriver not installed")

ROWS = "Array.from(document.querySelectorAll('#scorecard tbody tr'))"


def _record(agency, year, score, findings=()):
    return {"entry": {"path": f"{agency}-{year}.txt", "agency": agency, "year": year, "score": score,
                      "grade": "A" if score >= 90 else "C", "findings": list(findings)}, "metadata": {}}


def test_scorecard_in_headless_chromium(tmp_path: Path):
    evil = "恶意<script>window.PWNED=1</script>局"
    finding = {"code": "A201", "severity": "error", "deduction": 2, "message": "相差<b>1</b>",
               "location": {"table": "requests", "row": "granted", "column": "total", "page": 3, "line": 57}}
    records = [_record("乙县商务局", 2022, 80.0), _record("乙县商务局", 2023, 95.0),
               _record("甲县教育局", 2023, 70.0, [finding]), _record(evil, 2023, 88.5),
               _record("丙县财政局", 2023, 99.0)]
    card = build(records)
    page = tmp_path / "card.html"
    page.write_text(render(card, "html", "zh", SCORECARD), encoding="utf-8")
    with browser_session() as s:
        s.open(page.as_uri())
        assert s.js("return document.readyState") == "complete"
        assert s.js("return window.PWNED === undefined") is True
        assert s.js("return performance.getEntriesByType('resource').length") == 0
        agencies = s.js(f"return {ROWS}.map(r => r.dataset.agency)")
        assert sorted(set(agencies)) == sorted({r["entry"]["agency"] for r in records})
        assert len(agencies) == 5
        text = s.js("return document.body.innerText")
        assert evil in text and "相差<b>1</b>" in text
        # drill-down: the agency links to its findings with page, line and the cell
        href = s.js(f"return {ROWS}.find(r => r.dataset.agency === '甲县教育局').querySelector('a').hash")
        section = s.js("return document.querySelector(arguments[0]).innerText", href)
        assert "A201" in section and "57" in section and "第三部分" not in section and "总计" in section

        def column(key):
            idx = s.js("return Array.from(document.querySelectorAll('#scorecard th'))"
                       ".findIndex(th => th.dataset.key === arguments[0])", key)
            return s.js(f"return {ROWS}.map(r => r.cells[arguments[0]].dataset.v)", idx)

        before = column("agency")
        s.click('#scorecard th[data-key="score"]')
        scores = [float(v) for v in column("score")]
        assert scores == sorted(scores) and column("agency") != before
        s.click('#scorecard th[data-key="score"]')
        assert [float(v) for v in column("score")] == sorted(scores, reverse=True)
        assert s.js("return document.querySelector('#scorecard th[data-key=\"score\"]')"
                    ".getAttribute('aria-sort')") == "descending"
        s.click('#scorecard th[data-key="agency"]')
        assert len(column("agency")) == 5


def _page_count(pdf: bytes) -> int:
    import io
    from pdfminer.pdfpage import PDFPage
    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(pdf)))


def test_summary_charts_filters_and_print(tmp_path: Path):
    import base64
    finding = {"code": "A201", "severity": "error", "deduction": 5, "message": "不平衡",
               "location": {"table": "requests", "row": "granted", "column": "total", "page": 3, "line": 57}}
    warning = {"code": "D404", "severity": "warning", "deduction": 3, "message": "晚", "location": {}}
    records = []
    for i, name in enumerate(("甲县商务局", "乙县教育局", "丙县财政局", "丁县人民政府", "戊县水利局", "己县卫生健康委员会")):
        for year in (2022, 2023):
            bad = (i + year) % 3 == 0
            entry = _record(name, year, 80.0 + i + (year - 2022) * 3, [finding] * 8 + [warning] if bad else [warning])
            entry["entry"]["failed"] = bad
            records.append(entry)
    card = build(records, titles={"A201": {"zh": "表三收支不平衡", "en": "Table 3 does not balance"}},
                 expected=[{"agency": "庚县交通运输局", "year": 2023}])
    page = tmp_path / "card.html"
    page.write_text(render(card, "html", "zh", SCORECARD), encoding="utf-8")
    with browser_session() as s:
        s.open(page.as_uri())
        band = s.js("return document.getElementById('summary').innerText")
        assert "通过率" in band and "平均分" in band and "A201 表三收支不平衡" in band
        assert s.js("return document.querySelectorAll('.charts svg rect').length") >= 3
        assert s.js("return document.querySelectorAll('.charts svg').length") == 3
        total = len(s.js(f"return {ROWS}"))
        s.js("var v=document.getElementById('f-verdict'); v.value='failed';"
             "v.dispatchEvent(new Event('change'))")
        shown = s.js(f"return {ROWS}.filter(r => !r.hidden).map(r => r.dataset.verdict)")
        assert shown and set(shown) == {"failed"} and len(shown) < total
        assert s.js("return document.getElementById('f-count').textContent") == str(len(shown))
        s.js("var v=document.getElementById('f-verdict'); v.value='missing'; v.dispatchEvent(new Event('change'))")
        assert s.js(f"return {ROWS}.filter(r => !r.hidden).map(r => r.dataset.agency)") == ["庚县交通运输局"]
        # headers never wrap one character a line
        heights = s.js("return Array.from(document.querySelectorAll('#scorecard th'))"
                       ".map(th => th.getBoundingClientRect().height / parseFloat(getComputedStyle(th).fontSize))")
        assert max(heights) < 3
        pdf = base64.b64decode(s.call("POST", "/print", {"orientation": "portrait",
                                                         "page": {"width": 21.0, "height": 29.7}}))
    agencies = card["agencies"]
    pages = _page_count(pdf)
    assert 2 <= pages <= agencies + 2, pages          # a page per agency plus the summary
