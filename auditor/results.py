"""Results: the language-neutral data every reporter renders.

A **report result** is a plain dict (JSON data, so workers can send it and the
store can keep it)::

    {"path", "agency", "year", "template", "score", "grade", "failed",
     "findings": [{"code", "name", "severity", "message": {"zh", "en"}, "deduction",
                   "location": {...}, "data": {...}}]}

or, for a file that could not be audited, ``{"path", "error": {"zh", "en"},
"error_kind", "failed": true}``.  A **run** is ``{"tool", "config_digest",
"reports", "summary", "inventory"}``.  Messages carry both languages; a
reporter calls :func:`localize` to get the shape of ``--format json`` in one
language.  Nothing here computes a score: :mod:`auditor.score` does.
"""
from __future__ import annotations

from auditor.i18n import pick, text


def error_result(path: str, zh: str, en: str, kind: str = "unreadable") -> dict:
    """The result of a file that could not be audited."""
    return {"path": path, "error": text(zh, en), "error_kind": kind, "failed": True}


def report_result(doc: dict, path: str | None, findings: list[dict], score: float, grade: str,
                  failed: bool) -> dict:
    """The result of an audited report (``findings``: language-neutral finding dicts)."""
    return {
        "path": path if path is not None else (doc.get("source") or {}).get("path"),
        "agency": doc.get("agency"),
        "year": doc.get("year"),
        "template": doc.get("template"),
        "score": score,
        "grade": grade,
        "findings": findings,
        "failed": failed,
    }


def summarize(results: list[dict]) -> dict:
    """``{"reports", "failed", "errors", "mean_score"}`` over report results: ``failed`` counts
    audited reports that failed, ``errors`` files that could not be audited."""
    scored = [r for r in results if not r.get("error")]
    scores = [r["score"] for r in scored if isinstance(r.get("score"), (int, float))]
    return {
        "reports": len(results),
        "failed": sum(1 for r in scored if r.get("failed")),
        "errors": len(results) - len(scored),
        "mean_score": round(sum(scores) / len(scores), 2) if scores else None,
    }


def run_result(results: list[dict], *, tool: dict, config_digest: str,
               inventory: list[dict] | None = None) -> dict:
    """Everything a run's reporters render."""
    run = {"tool": tool, "config_digest": config_digest, "reports": results,
           "summary": summarize(results)}
    if inventory is not None:
        run["inventory"] = inventory
    return run


# -- one language, for people ---------------------------------------------------------

def localize_finding(finding: dict, lang: str) -> dict:
    return dict(finding, message=pick(finding.get("message"), lang))


def localize_report(report: dict, lang: str) -> dict:
    """A report result with its error and finding messages in ``lang`` (``--format json``'s shape)."""
    out = dict(report)
    if "error" in out:
        out["error"] = pick(out["error"], lang)
    if "findings" in out:
        out["findings"] = [localize_finding(f, lang) for f in out["findings"] or ()]
    return out


def localize(run: dict, lang: str) -> dict:
    """A run with every message in ``lang``."""
    out = dict(run, reports=[localize_report(r, lang) for r in run.get("reports", [])])
    if "inventory" in run:
        out["inventory"] = [dict(i, reason=pick(i.get("reason"), lang)) if i.get("reason") else i
                            for i in run["inventory"]]
    return out
