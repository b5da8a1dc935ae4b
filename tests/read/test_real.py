"""The real reports of ../shared/real: every labelled cell equals its truth file (skipped when absent)."""
from __future__ import annotations

import json

import pytest

from auditor.parse import parse_file
from auditor.read import read
from tests.conftest import REAL, need
from tests.read.helpers import table_diff

FILES = ["huaian-2024.pdf", "pingtan-2019.html", "pingtan-2021.html", "pingtan-2022.html"]


def _truth(name: str) -> dict:
    return json.loads((need(REAL) / "truth" / f"{name}.truth.json").read_text(encoding="utf-8"))


def _labelled(truth: dict) -> dict:
    skip = set(truth.get("unlabeled_cells", []))
    return {t: {r: {c: v for c, v in cells.items() if f"{t}.{r}.{c}" not in skip}
                for r, cells in rows.items()} for t, rows in truth["tables"].items()}


@pytest.mark.parametrize("name", FILES)
def test_every_labelled_cell(name):
    truth = _truth(name)
    doc = parse_file(REAL / "files" / name)
    assert table_diff(_labelled(truth), doc) == []
    assert (doc["agency"], doc["year"], doc["template"]) == (truth["agency"], truth["year"], truth["template"])
    assert sorted(s["number"] for s in doc["sections"].values()) == truth["sections_present"]
    period = doc["statistics_period"]
    assert (period["start"], period["end"]) == (truth["statistics_period"]["start"],
                                                truth["statistics_period"]["end"])


@pytest.mark.parametrize("name", FILES)
def test_findings(name):
    truth = _truth(name)
    from auditor.pipeline import audit_source
    from auditor.settings import build_settings, resolve
    from auditor.testing import installed_host
    host = installed_host()
    entry = audit_source(REAL / "files" / name, build_settings(resolve({}, host), host), host)["result"]
    codes = {f["code"] for f in entry.get("findings", [])}
    assert {f["code"] for f in truth["expected_findings"]} <= codes
    assert not codes & {f["code"] for f in truth["must_not_fire"]}
    assert not codes & {f["code"] for f in truth.get("should_not_fire", [])}


def test_huaian_pdf_layout():
    need(REAL)
    layout = read(REAL / "files" / "huaian-2024.pdf")
    assert layout.pages == 6 and layout.sha256 == _truth("huaian-2024.pdf")["sha256"]
    assert not any(l.text in ("- 3 -", "- 4 -") for l in layout.lines)
    big = next(l for l in layout.lines if l.cells and l.cells[0] == "行政处罚")
    assert big.cells == ["行政处罚", "3985758"] and big.page == 4 and big.exact_cells
    # table 三 goes on from page 4 to page 5 as the same table
    t3 = [l for l in layout.lines if l.cells and any("结转下年度" in c for c in l.cells)][0].table
    assert {l.page for l in layout.lines if l.table == t3} == {4, 5}
    review = [l for l in layout.lines if l.table == t3 + 1]
    assert review[-1].cells == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]


@pytest.mark.parametrize("name,date", [("pingtan-2019.html", "2020-01-20"), ("pingtan-2021.html", "2022-02-08"),
                                       ("pingtan-2022.html", "2023-02-20")])
def test_pingtan_publication_date(name, date):
    need(REAL)
    assert read(REAL / "files" / name).published == date
