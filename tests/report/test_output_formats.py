"""Output formats render a run; they never compute."""
from __future__ import annotations

import csv
import io
import json

import pytest

from auditor.report.builtin import render
from auditor.report.words import location_text

FORMATS = ("table", "json", "csv", "markdown")

RUN = {
    "tool": {"name": "disclosure-auditor", "version": "0.1.0",
             "plugins": [{"name": "builtin", "entry_point": "builtin",
                          "distribution": "disclosure-auditor", "version": "0.1.0"}]},
    "config_digest": "sha256:" + "ab" * 32,
    "reports": [
        {"path": "r/a.txt", "agency": "某县商务局", "year": 2023, "template": "2021",
         "score": 87.5, "grade": "B", "failed": True,
         "findings": [
             {"code": "A201", "name": "arithmetic-balance", "severity": "error",
              "message": "表三“总计”列不平衡：1 + 0 ≠ 0 + 0", "deduction": 2.5,
              "location": {"table": "requests", "row": "total_processed", "column": "total",
                           "page": 2, "line": 57}},
             {"code": "D401", "name": "period-missing", "severity": "warning",
              "message": "未说明统计期限 | 管道", "deduction": 10.0, "location": {}}]},
        {"path": "r/b.txt", "agency": "某县民政局", "year": 2022, "template": "2021",
         "score": 100.0, "grade": "A", "failed": False, "findings": []},
        {"path": "r/c.pdf", "error": "扫描版 PDF，没有文字层", "error_kind": "scanned", "failed": True},
    ],
    # deliberately not the real mean: formats must print what they are given
    "summary": {"reports": 3, "failed": 1, "errors": 1, "mean_score": 12.34},
}


def test_json_is_the_cli_contract():
    data = json.loads(render(RUN, "json"))
    assert set(data) == {"tool", "config_digest", "reports", "summary"}
    assert data["reports"] == RUN["reports"] and data["summary"] == RUN["summary"]
    assert data["tool"]["plugins"][0]["name"] == "builtin"
    assert "某县商务局" in render(RUN, "json")        # not \u-escaped


def test_csv_one_row_per_finding_with_bom():
    text = render(RUN, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["path"], r["code"]) for r in rows] == [
        ("r/a.txt", "A201"), ("r/a.txt", "D401"), ("r/b.txt", ""), ("r/c.pdf", "")]
    assert rows[0]["page"] == "2" and rows[0]["line"] == "57" and rows[0]["deduction"] == "2.5"
    assert rows[0]["message"].startswith("表三") and rows[3]["error"] == "扫描版 PDF，没有文字层"
    assert rows[2]["failed"] == "no"


def test_table_has_a_block_per_report_and_the_summary():
    text = render(RUN, "table")
    assert text.index("== r/a.txt ==") < text.index("== r/b.txt ==") < text.index("== 汇总 ==")
    assert "A201" in text and "错误" in text and "表三 · （七）总计 · 总计 · 第2页 · 第57行" in text
    assert "未发现问题" in text and "扫描版 PDF" in text
    assert "平均分 12.34" in text                    # rendered, not recomputed
    en = render(RUN, "table", "en")
    assert "Summary" in en and "table requests, row total_processed" in en and "error" in en


def test_markdown():
    text = render(RUN, "markdown")
    assert text.startswith("# ") and "## r/a.txt" in text and "| `A201`" in text
    assert "未说明统计期限 \\| 管道" in text         # pipes escaped inside cells
    assert "**无法审核**" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_an_empty_run(fmt):
    out = render({"reports": [], "summary": {"reports": 0, "failed": 0, "errors": 0,
                                             "mean_score": None}}, fmt, "en")
    assert out.endswith("\n")


def test_unknown_format():
    with pytest.raises(ValueError):
        render(RUN, "xml")


def test_location_text():
    assert location_text({"section": "other", "line": 3}, "zh") == "第六部分 · 第3行"
    assert location_text({"table": "review_litigation", "row": "review", "column": "pending"},
                         "zh") == "表四 · 行政复议 · 尚未审结"
    assert location_text({}, "en") == ""
