"""The xlsx scorecard, read back with openpyxl: four sheets, numbers as numbers, rows as the CSV's."""
from __future__ import annotations

import csv
import io

import pytest

from auditor.report import SCORECARD
from auditor.report.builtin import render
from auditor.sweep.scorecard import build

openpyxl = pytest.importorskip("openpyxl")

TITLES = {"A201": {"zh": "表三收支不平衡", "en": "Table 3 does not balance"}}


def _records():
    def rec(agency, year, score, findings=(), failed=False, path=None):
        return {"entry": {"path": path or f"/r/{agency}-{year}.pdf", "agency": agency, "year": year,
                          "score": score, "grade": "C" if failed else "A", "failed": failed,
                          "verdict": {"failed": failed, "reasons": ["A201"] if failed else []},
                          "findings": list(findings)}, "metadata": {}}
    a201 = {"code": "A201", "severity": "error", "deduction": 10, "message": {"zh": "不平衡", "en": "off"},
            "location": {"table": "requests", "row": "granted", "column": "total", "page": 3, "line": 57}}
    waived = {"code": "D404", "severity": "warning", "deduction": 0, "message": {"zh": "晚", "en": "late"},
              "location": {}, "waived": {"reason": "网站迁移", "expires": None, "deduction": 3}}
    return [rec("临江县商务局", 2022, 90.0, [a201], failed=True), rec("临江县商务局", 2023, 97.0, [waived]),
            rec("白水县教育局", 2023, 100.0)]


def norm(value) -> str:
    """A cell as text, numbers written alike (95.0 and "95" both "95")."""
    if value is None or value == "":
        return ""
    try:
        return f"{float(value):g}"
    except ValueError:
        return str(value)


def _book(card, lang):
    return openpyxl.load_workbook(io.BytesIO(render(card, "xlsx", lang, SCORECARD)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_has_four_sheets_and_rows_equal_to_the_csv(lang):
    card = build(_records(), titles=TITLES, expected=[{"agency": "白水县财政局", "year": 2023}])
    book = _book(card, lang)
    assert len(book.sheetnames) == 4
    summary, rows, findings, rules = (book[n] for n in book.sheetnames)
    table = [list(r) for r in rows.iter_rows(values_only=True)]
    text = render(card, "csv", lang, SCORECARD)
    expected = list(csv.reader(io.StringIO(text[1:])))
    assert [[norm(v) for v in r] for r in table] == [[norm(c) for c in r] for r in expected]
    assert rows.freeze_panes == "A2" and rows.auto_filter.ref
    header = table[0]
    score = header.index("得分" if lang == "zh" else "score")
    assert all(isinstance(r[score], (int, float)) for r in table[1:] if r[score] is not None)
    assert rows.conditional_formatting                     # verdict and score colours
    verdicts = [r[header.index("结论" if lang == "zh" else "verdict")] for r in table[1:]]
    if lang == "zh":
        assert sorted(verdicts) == ["未发布", "未通过", "通过", "通过"]
    f_rows = list(findings.iter_rows(values_only=True))
    assert len(f_rows) == 3                                # header + one row per finding
    a201 = next(r for r in f_rows[1:] if r[3] == "A201")
    assert (a201[9], a201[10]) == (3, 57) and a201[6] == 10
    d404 = next(r for r in f_rows[1:] if r[3] == "D404")
    assert d404[7] == "网站迁移" and d404[6] == 0
    codes = [r[0] for r in rules.iter_rows(min_row=2, values_only=True)]
    assert "A201" in codes
    first = [r for r in summary.iter_rows(values_only=True)]
    assert first[1][1] == 4                                # four agency-year rows
    # Chinese text is measured two units a character
    agency_col = rows.column_dimensions["A"].width
    assert agency_col >= 2 * len("临江县商务局")
