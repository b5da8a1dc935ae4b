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

A failing report's grade is capped at ``scoring.failed_grade_cap`` (default ``C``): it can
never carry a better grade than that, whatever its score.  The **verdict** says why a report
failed: the codes of the findings at ``fail_on`` severity or worse (errors first), and
``score`` when it is below ``fail_under``.  A **waived** finding (``waivers:`` in the
configuration, see :func:`apply_waivers`) is kept and shown, but costs nothing and never
makes a report fail.  docs/scoring.md explains all of it with worked examples.
"""
from __future__ import annotations

import datetime as _dt

from auditor.agencies import agency_key

SEVERITY_ORDER = {"error": 3, "warning": 2, "info": 1}
BELOW_FAIL_UNDER = "score"          # the verdict reason of a score below scoring.fail_under


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


def capped_grade(score: float, is_failed: bool, scoring: dict) -> str:
    """The grade of ``score``; for a failing report no better than ``scoring.failed_grade_cap``
    (default C; null: no cap)."""
    grades = scoring.get("grades") or {}
    name = grade(score, grades)
    cap = scoring.get("failed_grade_cap", "C")
    if is_failed and cap in grades and grades.get(name, 0) > grades[cap]:
        return cap
    return name


def failing(severity: str | None, scoring: dict) -> bool:
    """Whether a finding of ``severity`` makes a report fail under ``scoring.fail_on``."""
    level = SEVERITY_ORDER.get(scoring.get("fail_on") or "error")
    return level is not None and SEVERITY_ORDER.get(severity or "", 0) >= level


def failed(score: float, severities, scoring: dict) -> bool:
    """Whether a report with this score and these finding severities fails under ``scoring``."""
    fail_under = scoring.get("fail_under")
    if fail_under is not None and score < fail_under:
        return True
    return any(failing(s, scoring) for s in severities)


def verdict_reasons(score: float, findings: list[dict], scoring: dict) -> list[str]:
    """Why a report fails: the codes of its unwaived findings at ``fail_on`` severity or worse,
    most severe first (then by code), each once; ``"score"`` first when the score is below
    ``fail_under``.  Empty for a passing report."""
    worst: dict[str, int] = {}
    for f in findings:
        if f.get("waived") or not failing(f.get("severity"), scoring):
            continue
        code = f.get("code") or "?"
        worst[code] = max(worst.get(code, 0), SEVERITY_ORDER.get(f.get("severity"), 0))
    reasons = sorted(worst, key=lambda c: (-worst[c], c))
    fail_under = scoring.get("fail_under")
    if fail_under is not None and score < fail_under:
        reasons.insert(0, BELOW_FAIL_UNDER)
    return reasons


def rescore(result: dict, scoring: dict, waivers=None, today: _dt.date | None = None) -> dict:
    """A report result with its waivers applied and score, grade and verdict worked out again
    from its findings' deductions (after the pipeline scored it, or the cross-year pass replaced
    some findings)."""
    findings = apply_waivers(result, waivers, today)
    score = score_of(f.get("deduction") or 0 for f in findings)
    reasons = verdict_reasons(score, findings, scoring)
    return dict(result, findings=findings, score=score,
                grade=capped_grade(score, bool(reasons), scoring), failed=bool(reasons),
                verdict={"failed": bool(reasons), "reasons": reasons})


# -- waivers -----------------------------------------------------------------------------

def waiver_applies(waiver: dict, akey: str | None, year, code: str | None,
                   today: _dt.date) -> bool:
    """Whether ``waiver`` (``{"agency", "year"?, "rule", "expires"?}``; agencies match by
    :func:`auditor.agencies.agency_key`) covers a finding of ``code`` in this agency-year on
    ``today``: an expired waiver (``expires`` before today) covers nothing."""
    if not code or waiver.get("rule") != code or _agency(waiver.get("agency")) != akey:
        return False
    if waiver.get("year") is not None and waiver.get("year") != year:
        return False
    expires = waiver.get("expires")
    return not expires or _dt.date.fromisoformat(str(expires)) >= today


def _agency(name) -> str | None:
    return agency_key(name) if name else None


def apply_waivers(result: dict, waivers, today: _dt.date | None = None) -> list[dict]:
    """The result's findings with those a waiver covers marked ``waived`` (reason, expiry and
    the deduction they would have cost) and deducting nothing.  A finding waived before and no
    longer covered (the waiver expired or was removed) gets its deduction back."""
    findings = result.get("findings") or []
    if not waivers and not any(f.get("waived") for f in findings):
        return list(findings)                      # nothing to apply or undo: no copies
    today = today or _dt.date.today()
    akey = _agency(result.get("agency")) if waivers else None
    out = []
    for f in findings:
        f = dict(f)
        old = f.pop("waived", None)
        if old:
            f["deduction"] = old.get("deduction", 0)
        for w in waivers or ():
            if waiver_applies(w, akey, result.get("year"), f.get("code"), today):
                f["waived"] = {"reason": w.get("reason") or "", "expires": w.get("expires"),
                               "deduction": f.get("deduction") or 0}
                f["deduction"] = 0
                break
        out.append(f)
    return out


def exit_status(summary: dict) -> int:
    """0 when every report was audited and none failed, else 1."""
    return 1 if summary["failed"] or summary["errors"] else 0
