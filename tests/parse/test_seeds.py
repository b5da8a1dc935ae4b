"""Golden documents for the five seed reports, written by reading the seeds.

Every seed is on the 2021 template; every table cell is 0 except 002's
行政许可 = 3.  Line numbers were read off the seed files.
"""
from __future__ import annotations

import pytest

from auditor.parse import parse_file
from auditor.check import validate
from auditor.templates import PROACTIVE_ROWS, REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, request_rows
from tests.conftest import SEEDS, need

ALL_SECTIONS = ["overall", "proactive", "requests", "review_litigation", "problems", "other"]


def zero_tables(**overrides) -> dict:
    tables = {
        "proactive": {r.key: {c: 0 for c in r.columns} for r in PROACTIVE_ROWS["2021"]},
        "requests": {r.key: {c: 0 for c in REQUEST_COLUMNS} for r in request_rows("2021")},
        "review_litigation": {g: {c: 0 for c in REVIEW_COLUMNS} for g in REVIEW_GROUPS},
    }
    for path, value in overrides.items():
        table, row, col = path.split("__")
        tables[table][row][col] = value
    return tables


GOLDEN = {
    "000_71f4947c220341f0.txt": dict(agency="卫滨区商务局", year=2023, period=None,
                                     sections=ALL_SECTIONS, tables=zero_tables()),
    "001_c54325003f6269d3.txt": dict(agency="渠县商务局", year=2023,
                                     period=("2023-01-01", "2023-12-31"),
                                     sections=ALL_SECTIONS, tables=zero_tables()),
    "002_c578ef021bbe04ee.txt": dict(agency="海东市商务局", year=2023, period=None,
                                     sections=ALL_SECTIONS[:5],
                                     tables=zero_tables(proactive__licensing__decisions=3)),
    "003_3e6b419f71541a1e.txt": dict(agency="孟津区商务局", year=2023, period=None,
                                     sections=ALL_SECTIONS, tables=zero_tables()),
    "004_247cf08f496e631f.txt": dict(agency="卫辉市商务局", year=2022, period=None,
                                     sections=ALL_SECTIONS, tables=zero_tables()),
}


@pytest.fixture(scope="module")
def docs():
    need(SEEDS)
    return {name: parse_file(SEEDS / name) for name in GOLDEN}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_seed_matches_golden(docs, name):
    doc, want = docs[name], GOLDEN[name]
    assert doc["agency"] == want["agency"]
    assert doc["year"] == want["year"]
    assert doc["template"] == "2021"
    if want["period"] is None:
        assert doc["statistics_period"] is None
    else:
        assert (doc["statistics_period"]["start"], doc["statistics_period"]["end"]) == want["period"]
    assert list(doc["sections"]) == want["sections"]
    assert doc["tables"] == want["tables"]
    counts = {t: sum(len(r) for r in rows.values()) for t, rows in doc["tables"].items()}
    assert counts == {"proactive": 10, "requests": 175, "review_litigation": 15}
    assert len(doc["cells"]) == 200 and all(c["line"] for c in doc["cells"])
    assert validate(doc) == []


def cell(doc, table, row, column):
    return next(c for c in doc["cells"] if (c["table"], c["row"], c["column"]) == (table, row, column))


def test_seed_provenance_points_at_source_lines(docs):
    d000 = docs["000_71f4947c220341f0.txt"]
    assert cell(d000, "requests", "granted", "total")["line"] == 93
    # the row's last number wrapped onto the next line of the seed
    assert cell(d000, "requests", "partially_granted", "other")["line"] == 98
    assert cell(d000, "requests", "partially_granted", "total")["line"] == 99
    assert d000["sections"]["review_litigation"]["line"] == 170   # right after the 四、结转 row (166)
    assert cell(d000, "review_litigation", "litigation_after_review", "total")["line"] == 216
    d002 = docs["002_c578ef021bbe04ee.txt"]
    assert cell(d002, "proactive", "licensing", "decisions") == {
        "table": "proactive", "row": "licensing", "column": "decisions", "raw": "3", "value": 3,
        "page": None, "line": 27}


def test_seed_headings_and_period_text(docs):
    d001 = docs["001_c54325003f6269d3.txt"]
    assert d001["sections"]["problems"]["heading"] == "五、存在的主要问题及改进措施"
    assert "统计期限为2023年1月1日至12月31日" in d001["statistics_period"]["text"]
    assert d001["statistics_period"]["line"] == 7
    assert docs["003_3e6b419f71541a1e.txt"]["sections"]["other"]["text"] == "无"


def test_seed_damage_is_noted(docs):
    notes002 = docs["002_c578ef021bbe04ee.txt"]["notes"]
    extra = [n for n in notes002 if n["code"] == "extra-values"]
    assert len(extra) == 1 and extra[0]["table"] == "review_litigation"
    assert extra[0]["found"] == 16 and extra[0]["expected"] == 15
    notes004 = docs["004_247cf08f496e631f.txt"]["notes"]
    rows_with_extra = {n["row"] for n in notes004 if n["code"] == "extra-values" and n["table"] == "requests"}
    assert {"partially_granted", "denied_state_secret", "total_processed", "carried_forward"} <= rows_with_extra
    nine = next(n for n in notes004 if n.get("row") == "total_processed")
    assert nine["found"] == 9 and len(nine["dropped"]) == 2
    wrapped = {n["row"] for n in docs["000_71f4947c220341f0.txt"]["notes"] if n["code"] == "wrapped-values"}
    assert {"partially_granted", "other_no_correction", "other_fee_unpaid"} <= wrapped
