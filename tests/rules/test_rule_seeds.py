"""The built-in rules on the five seed reports and the real development reports.

Seeds (issue 3, "done when"): the error/warning codes each seed must raise, exactly.
Real reports (``../shared/real``): every ``expected_findings`` code is raised, no
``must_not_fire`` / ``should_not_fire`` code is.  Skipped when ``../shared`` is absent.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

import auditor_rules
from auditor.testing import run_rule

from tests.conftest import SHARED  # noqa: E402

SEEDS = SHARED / "seeds"
REAL = SHARED / "real"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared is not available")

SEED_EXPECTED = {
    "000": {"D401"},
    "001": set(),
    "002": {"S101", "F301", "D401", "S107", "N502"},
    "003": {"F301", "D401"},
    "004": {"D401", "S107"},
}


@lru_cache(maxsize=None)
def audit(path: Path):
    from auditor.parse import parse_file
    doc = parse_file(path)
    return doc, [f for r in auditor_rules.all_rules() for f in run_rule(r, doc)]


def _seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*"))
    if not found:
        pytest.skip(f"seed {prefix} not found")
    return found[0]


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_findings(prefix):
    _, findings = audit(_seed(prefix))
    raised = {f.code for f in findings if f.severity in ("error", "warning")}
    assert raised == SEED_EXPECTED[prefix], [(f.code, f.message_zh) for f in findings]
    assert not [f for f in findings if f.code.startswith("A2")]


def test_seed_002_details():
    _, findings = audit(_seed("002"))
    by_code = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    assert [f.location.section for f in by_code["S101"]] == ["other"]
    shape = by_code["S107"]
    assert len(shape) == 1 and shape[0].location.table == "review_litigation"
    assert shape[0].data["found"] == 16 and shape[0].location.line
    assert {f.data["topic"] for f in by_code["N502"]} >= {"依申请公开", "政府信息管理"}


def test_seed_003_bare_wu_is_no_fee_statement():
    _, findings = audit(_seed("003"))
    fee = [f for f in findings if f.code == "F301"]
    assert len(fee) == 1 and fee[0].location.section == "other" and "“无”" in fee[0].message_zh


def test_seed_004_damaged_rows_grouped_per_table():
    _, findings = audit(_seed("004"))
    shape = {f.location.table: f for f in findings if f.code == "S107"}
    assert set(shape) == {"requests", "review_litigation"}
    assert len(shape["requests"].data["rows"]) == 22        # 20 rows of 8 numbers, 2 of 9
    assert shape["requests"].data["found"] == [8, 9] and shape["review_litigation"].data["found"] == 16


def _truth_files():
    return sorted((REAL / "truth").glob("*.truth.json")) if REAL.is_dir() else []


@pytest.mark.parametrize("truth_path", _truth_files(), ids=lambda p: p.name.replace(".truth.json", ""))
def test_real_report_truth(truth_path):
    from auditor.errors import InputError
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    report = REAL / "files" / truth_path.name.replace(".truth.json", "")
    try:
        _, findings = audit(report)
    except InputError as e:
        pytest.skip(f"{report.name} does not parse: {e}")
    raised = {f.code for f in findings}
    implemented = {r.code for r in auditor_rules.all_rules()}
    expected = {e["code"] for e in truth.get("expected_findings", ())} & implemented
    assert expected <= raised, f"missing {expected - raised}"
    forbidden = {e["code"] for e in truth.get("must_not_fire", ()) + truth.get("should_not_fire", ())}
    wrong = [(f.code, f.message_zh) for f in findings if f.code in forbidden]
    assert not wrong
