"""What makes a report unusable costs what a leader expects (docs/scoring.md, worked examples)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from auditor import pipeline as P

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from helpers import tables_chain, write_report  # noqa: E402


@pytest.fixture(scope="module")
def tables():
    return tables_chain([2023], seed=9)[2023]


def _audit(tmp_path, tables, loaded, name="r.txt"):
    settings, host = loaded
    path = write_report(tmp_path, name, "临江县商务局", 2023, tables)
    return P.audit_source(path, settings, host)["result"]


def _cost(result, code):
    return sum(f["deduction"] for f in result["findings"] if f["code"] == code)


def test_a_clean_report_passes_with_the_top_grade(tmp_path, tables, loaded):
    result = _audit(tmp_path, tables, loaded)
    assert not result["failed"] and result["grade"] == "A", result["findings"]


def test_a_table_that_does_not_balance_fails_and_loses_its_grade(tmp_path, tables, loaded):
    import copy
    broken = copy.deepcopy(tables)
    for col in ("natural_person", "commercial", "research"):
        broken["requests"]["new_received"][col] += 2          # three columns off, totals untouched
    result = _audit(tmp_path, broken, loaded)
    assert result["failed"] and result["verdict"]["reasons"][0].startswith("A2")
    assert _cost(result, "A201") == 15                         # 3 × 5 points
    assert _cost(result, "A203") == 2                          # the row's total is off too
    assert result["score"] == 83 and result["grade"] == "C"    # B by score, capped: it fails


def test_a_blank_table_costs_the_whole_weight_of_blank_cells(tmp_path, tables, loaded):
    import copy
    blank = copy.deepcopy(tables)
    for row in blank["requests"].values():
        for col in row:
            row[col] = None
    result = _audit(tmp_path, blank, loaded)
    assert _cost(result, "A206") == 20                         # capped at the weight
    assert result["score"] <= 80 and result["grade"] != "A"

