"""Results: the language-neutral data every reporter renders.

A **report result** is a plain dict (JSON data, so workers can send it and the
store can keep it)::

    {"path", "agency", "year", "template", "score", "grade", "failed",
     "findings": [{"code", "name", "severity", "message": {"zh", "en"}, "deduction",
                   "location": {...}, "data": {...},
                   "waived"?: {"reason", "expires", "deduction"}, "new"?: bool}]}

(``verdict.reasons``: what made the report fail, see :mod:`auditor.score`; ``waived``: a
waiver covers the finding; ``new``: not in the ``--baseline`` run, see :func:`mark_new`)

or, for a file that could not be audited, ``{"path", "error": {"zh", "en"},
"error_kind", "failed": true}``.  A **run** is ``{"tool", "config_digest",
"reports", "summary", "inventory"}``.  Messages carry both languages; a
reporter calls :func:`localize` to get the shape of ``--format json`` in one
language.  Nothing here computes a score: :mod:`auditor.score` does.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from auditor.agencies import agency_key
from auditor.errors import ConfigError
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


# -- baselines -----------------------------------------------------------------------------

def read_baseline(path: str | Path) -> list[dict]:
    """The report results of an earlier ``audit --format json`` output (a ConfigError in one line
    when the file is not one)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise ConfigError(f"无法读取基线文件 {path}：{e.strerror}", f"cannot read baseline {path}: {e.strerror}"
                          ) from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"基线文件 {path} 不是有效的 JSON（第 {e.lineno} 行）",
                          f"baseline {path} is not valid JSON (line {e.lineno})") from None
    reports = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(reports, list):
        raise ConfigError(f"基线文件 {path} 不是 auditor audit --format json 的输出（缺少 reports）",
                          f"baseline {path} is not output of auditor audit --format json (no reports)")
    return [r for r in reports if isinstance(r, dict)]


def finding_key(finding: dict) -> tuple:
    """What identifies a finding across runs: its code and the place it points at (not the page
    or line, which move when a report is re-typeset, nor the message, which has a language)."""
    loc = finding.get("location") or {}
    return (finding.get("code"),) + tuple(loc.get(k) for k in ("section", "table", "row", "column"))


def _report_keys(report: dict) -> list:
    keys = [("path", report.get("path"))] if report.get("path") else []
    if agency_key(report.get("agency")) and report.get("year"):
        keys.append(("agency-year", agency_key(report.get("agency")), report.get("year")))
    return keys


def mark_new(results: list[dict], baseline: list[dict]) -> list[dict]:
    """``results`` with every finding marked ``new`` (True when the baseline's same report — the
    same path, else the same agency and year — did not have it, counting repeats) and each
    report's ``new_findings`` count.  A report the baseline does not know has only new findings."""
    known: dict = {}
    for report in baseline:
        counts = Counter(finding_key(f) for f in report.get("findings") or () if isinstance(f, dict))
        for key in _report_keys(report):
            known.setdefault(key, counts)
    out = []
    for report in results:
        if report.get("error"):
            out.append(report)
            continue
        before = next((known[k] for k in _report_keys(report) if k in known), Counter())
        left = Counter(before)
        findings = []
        for f in report.get("findings") or ():
            key = finding_key(f)
            findings.append(dict(f, new=left[key] <= 0))
            left[key] -= 1
        out.append(dict(report, findings=findings, new_findings=sum(1 for f in findings if f["new"])))
    return out


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
