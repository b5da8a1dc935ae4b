"""Scores, grades and verdicts (docs/architecture.md, "Scoring") — the one place of the formula.

score = 100 − Σ deductions, floored at 0.  A rule's deduction is its
**weight** (the most points it can take), or — for rules that can fail many
times (one finding per column, per row) and have a ``per_failure`` — that
many *points* per finding, capped at the weight.  Findings spend the rule's
budget in order: with weight 10 and per_failure 4, three findings deduct
4, 4 and 2; without per_failure the first finding carries the whole weight
and the rest 0.  A crashed rule (``data.crashed``) always costs its weight.

A report **fails** when its score is below ``scoring.fail_under`` (when set)
or when it has a finding at ``scoring.fail_on`` severity or worse (default
``error``; ``never`` turns that off).  A file that could not be audited
counts as an error, not a score.
"""
from __future__ import annotations

SEVERITY_ORDER = {"error": 3, "warning": 2, "info": 1}


def rule_deductions(count: int, weight: float, per_failure: float | None,
                    crashed: bool = False) -> list[float]:
    """Deductions of ``count`` findings of one rule, in order; their sum is capped at ``weight``."""
    if count <= 0:
        return []
    if crashed or per_failure is None:
        return [float(weight)] + [0.0] * (count - 1)
    out, left = [], float(weight)
    for _ in range(count):
        d = min(float(per_failure), left)
        out.append(d)
        left -= d
    return out


def deduct(findings: list, rule_settings: dict[str, dict]) -> None:
    """Set each finding's ``deduction`` from its rule's weight and per_failure."""
    by_code: dict[str, list] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    for code, group in by_code.items():
        settings = rule_settings.get(code) or {"weight": 0.0, "per_failure": None}
        crashed = any(f.data.get("crashed") for f in group)
        for f, d in zip(group, rule_deductions(len(group), settings["weight"],
                                               settings["per_failure"], crashed)):
            f.deduction = d


def score_of(deductions) -> float:
    """100 minus the deductions, floored at 0, to two decimals."""
    return round(max(0.0, 100.0 - sum(deductions)), 2)


def grade(score: float, grades: dict[str, float]) -> str:
    """The first band (highest minimum first) whose minimum ``score`` reaches."""
    for name, minimum in sorted(grades.items(), key=lambda kv: -kv[1]):
        if score >= minimum:
            return name
    return "-"


def failed(score: float, severities, scoring: dict) -> bool:
    """Whether a report with this score and these finding severities fails under ``scoring``."""
    fail_under = scoring.get("fail_under")
    if fail_under is not None and score < fail_under:
        return True
    level = SEVERITY_ORDER.get(scoring.get("fail_on") or "error")
    if level is None:     # "never"
        return False
    return any(SEVERITY_ORDER.get(s, 0) >= level for s in severities)


def rescore(result: dict, scoring: dict) -> dict:
    """A report result with score, grade and verdict worked out again from its findings'
    deductions (after the cross-year pass replaced some of them)."""
    findings = result.get("findings") or []
    score = score_of(f.get("deduction") or 0 for f in findings)
    return dict(result, score=score, grade=grade(score, scoring.get("grades") or {}),
                failed=failed(score, (f.get("severity") for f in findings), scoring))


def exit_status(summary: dict) -> int:
    """0 when every report was audited and none failed, else 1."""
    return 1 if summary["failed"] or summary["errors"] else 0
