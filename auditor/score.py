"""Scores and grades (``../shared/spec/rules.md``, "Scoring").

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

from auditor.settings import SEVERITY_ORDER


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


def score_findings(findings: list, settings_by_code: dict[str, dict], scoring: dict
                   ) -> tuple[float, str]:
    """Set each finding's ``deduction``; return (score, grade)."""
    by_code: dict[str, list] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    total = 0.0
    for code, group in by_code.items():
        settings = settings_by_code.get(code) or {"weight": 0.0, "per_failure": None}
        crashed = any(f.data.get("crashed") for f in group)
        for f, d in zip(group, rule_deductions(len(group), settings["weight"],
                                               settings["per_failure"], crashed)):
            f.deduction = d
            total += d
    score = round(max(0.0, 100.0 - total), 2)
    return score, grade(score, scoring.get("grades") or {})


def grade(score: float, grades: dict[str, float]) -> str:
    """The first band (highest minimum first) whose minimum ``score`` reaches."""
    for name, minimum in sorted(grades.items(), key=lambda kv: -kv[1]):
        if score >= minimum:
            return name
    return "-"


def report_failed(entry: dict, scoring: dict) -> bool:
    """Whether a result entry fails under ``scoring`` (fail_under, fail_on)."""
    if entry.get("error"):
        return True
    fail_under = scoring.get("fail_under")
    if fail_under is not None and (entry.get("score") or 0) < fail_under:
        return True
    level = SEVERITY_ORDER.get(scoring.get("fail_on") or "error")
    if level is None:     # "never"
        return False
    return any(SEVERITY_ORDER.get(f.get("severity"), 0) >= level for f in entry.get("findings", ()))


def summarize(results: list[dict]) -> dict:
    """``{"reports", "failed", "errors", "mean_score"}`` over result entries.

    ``failed`` counts audited reports that failed; ``errors`` counts files that
    could not be audited.
    """
    scored = [r for r in results if not r.get("error")]
    scores = [r["score"] for r in scored if isinstance(r.get("score"), (int, float))]
    return {
        "reports": len(results),
        "failed": sum(1 for r in scored if r.get("failed")),
        "errors": len(results) - len(scored),
        "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
    }


def exit_status(summary: dict) -> int:
    """0 when every report was audited and none failed, else 1."""
    return 1 if summary["failed"] or summary["errors"] else 0
