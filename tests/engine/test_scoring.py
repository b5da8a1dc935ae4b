"""Scoring: per-failure deductions capped at the weight, floor at 0, grades, failure."""
from __future__ import annotations

import pytest

from auditor.rules.api import Finding
from auditor.results import error_result, summarize
from auditor.score import deduct, exit_status, failed, grade, rescore, rule_deductions, score_of

GRADES = {"A": 90, "B": 75, "C": 60, "D": 0}


def findings(code, n, crashed=False):
    return [Finding(code=code, message_zh="x", message_en="x",
                    data={"crashed": True} if crashed else {}) for _ in range(n)]


def test_rule_deductions():
    assert rule_deductions(0, 10, 4) == []
    assert rule_deductions(1, 10, 4) == [4]
    assert rule_deductions(3, 10, 4) == [4, 4, 2]
    assert rule_deductions(5, 10, 4) == [4, 4, 2, 0, 0]
    assert rule_deductions(3, 10, None) == [10, 0, 0]
    assert rule_deductions(2, 10, 1, crashed=True) == [10, 0]
    assert rule_deductions(4, 3, 0.5) == [0.5] * 4


def test_score_sets_each_deduction_and_caps_per_rule():
    fs = findings("A201", 7) + findings("S101", 1)
    settings = {"A201": {"weight": 10, "per_failure": 2}, "S101": {"weight": 15, "per_failure": None}}
    deduct(fs, settings)
    assert [f.deduction for f in fs] == [2, 2, 2, 2, 2, 0, 0, 15]
    score = score_of(f.deduction for f in fs)
    assert (score, grade(score, GRADES)) == (75.0, "B")


def test_score_floors_at_zero():
    fs = findings("A", 1) + findings("B", 1)
    settings = {"A": {"weight": 80, "per_failure": None}, "B": {"weight": 70, "per_failure": None}}
    deduct(fs, settings)
    assert score_of(f.deduction for f in fs) == 0.0


def test_grades():
    assert [grade(s, GRADES) for s in (100, 90, 89.99, 75, 60, 59.5, 0)] == \
        ["A", "A", "B", "B", "C", "D", "D"]
    assert grade(10, {"pass": 50, "fail": 0}) == "fail"


@pytest.mark.parametrize("entry,scoring,expected", [
    ({"score": 95, "findings": [{"severity": "warning"}]}, {"fail_on": "error"}, False),
    ({"score": 95, "findings": [{"severity": "error"}]}, {"fail_on": "error"}, True),
    ({"score": 95, "findings": [{"severity": "warning"}]}, {"fail_on": "warning"}, True),
    ({"score": 95, "findings": [{"severity": "error"}]}, {"fail_on": "never"}, False),
    ({"score": 70, "findings": []}, {"fail_on": "never", "fail_under": 75}, True),
    ({"score": 75, "findings": []}, {"fail_on": "never", "fail_under": 75}, False),
])
def test_report_failed(entry, scoring, expected):
    assert failed(entry["score"], [f["severity"] for f in entry["findings"]], scoring) is expected


def test_an_unreadable_file_fails():
    assert error_result("x.pdf", "扫描件", "scanned PDF", "scanned")["failed"] is True


def test_rescore_works_score_grade_and_verdict_out_again_from_the_deductions():
    result = {"findings": [{"severity": "warning", "deduction": 12.5}, {"severity": "info", "deduction": 3}]}
    out = rescore(result, {"grades": GRADES, "fail_on": "warning", "failed_grade_cap": None})
    assert (out["score"], out["grade"], out["failed"]) == (84.5, "B", True)


def test_a_failing_report_never_carries_a_grade_above_the_cap():
    result = {"findings": [{"code": "A201", "severity": "error", "deduction": 2}]}
    out = rescore(result, {"grades": GRADES, "fail_on": "error"})            # default cap C
    assert (out["score"], out["grade"], out["failed"]) == (98.0, "C", True)
    assert rescore(result, {"grades": GRADES, "fail_on": "error", "failed_grade_cap": "B"})["grade"] == "B"
    low = {"findings": [{"code": "S101", "severity": "error", "deduction": 45}]}
    assert rescore(low, {"grades": GRADES, "fail_on": "error"})["grade"] == "D"   # a cap never raises
    passing = {"findings": [{"code": "A206", "severity": "warning", "deduction": 2}]}
    assert rescore(passing, {"grades": GRADES, "fail_on": "error"})["grade"] == "A"


def test_verdict_reasons_list_only_what_made_the_report_fail_errors_first():
    result = {"findings": [{"code": "N501", "severity": "warning", "deduction": 1},
                           {"code": "S101", "severity": "warning", "deduction": 1},
                           {"code": "A201", "severity": "error", "deduction": 2},
                           {"code": "A201", "severity": "error", "deduction": 2},
                           {"code": "N503", "severity": "info", "deduction": 1}]}
    assert rescore(result, {"grades": GRADES})["verdict"] == {"failed": True, "reasons": ["A201"]}
    warn = rescore(result, {"grades": GRADES, "fail_on": "warning", "fail_under": 99})["verdict"]
    assert warn["reasons"] == ["score", "A201", "N501", "S101"]
    quiet = rescore(result, {"grades": GRADES, "fail_on": "never"})
    assert quiet["verdict"] == {"failed": False, "reasons": []} and quiet["grade"] == "A"


def test_summary_and_exit_status():
    results = [{"score": 90, "failed": False}, {"score": 70, "failed": True},
               {"error": "x", "failed": True}]
    s = summarize(results)
    assert s == {"reports": 3, "failed": 1, "errors": 1, "mean_score": 80.0}
    assert exit_status(s) == 1
    assert exit_status(summarize([{"score": 90, "failed": False}])) == 0
    assert exit_status(summarize([{"error": "x", "failed": True}])) == 1
    assert summarize([])["mean_score"] is None


def test_a_waiver_removes_its_rules_deduction_for_that_agency_until_it_expires():
    import datetime as dt
    result = {"agency": "临江县 商务局", "year": 2023,
              "findings": [{"code": "A201", "severity": "error", "deduction": 4},
                           {"code": "A201", "severity": "error", "deduction": 4},
                           {"code": "D404", "severity": "warning", "deduction": 3}]}
    scoring = {"grades": GRADES, "fail_on": "error"}
    waiver = {"agency": "临江县商务局", "rule": "A201", "reason": "已更正", "expires": "2025-06-30"}
    before = dt.date(2025, 6, 30)
    out = rescore(result, scoring, [waiver], today=before)
    assert out["score"] == 97.0 and out["failed"] is False and out["grade"] == "A"
    assert [f.get("waived", {}).get("reason") for f in out["findings"]] == ["已更正", "已更正", None]
    assert out["findings"][0]["waived"]["deduction"] == 4
    expired = rescore(out, scoring, [waiver], today=dt.date(2025, 7, 1))     # rescoring a waived result
    assert expired["score"] == 89.0 and expired["failed"] is True and "waived" not in expired["findings"][0]
    other_year = rescore(result, scoring, [dict(waiver, year=2022)], today=before)
    assert other_year["failed"] is True
    other_agency = rescore(result, scoring, [dict(waiver, agency="白水县商务局")], today=before)
    assert other_agency["score"] == 89.0
