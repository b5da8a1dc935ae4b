"""The human format: one block per report (its findings), then a summary table."""
from __future__ import annotations

from auditor.i18n import word
from auditor.report.words import (inventory_line, location_text, marks_text, severity_text, summary_line,
                                  verdict, verdict_why)
from auditor.report.grid import grid

# Characters per line before a message wraps (a Chinese character takes two columns).
MESSAGE_WIDTH = {"zh": 40, "en": 72}


def _header(report: dict, lang: str) -> str:
    if report.get("error"):
        return f"{word('result', lang)}: {word('error', lang)} — {report['error']}"
    fields = [(word("agency", lang), report.get("agency") or "-"),
              (word("year", lang), report.get("year") or "-"),
              (word("template", lang), report.get("template") or "-"),
              (word("score", lang), f"{report.get('score'):g}"),
              (word("grade", lang), report.get("grade")),
              (word("result", lang), verdict_why(report, lang))]
    return "  ".join(f"{k}: {v}" for k, v in fields)


def _findings_table(report: dict, lang: str) -> str:
    rows = [[f.get("code"), severity_text(f.get("severity", ""), lang),
             f"{f.get('deduction', 0):g}", f"{f.get('message')}{marks_text(f, lang)}",
             location_text(f.get("location"), lang)]
            for f in report.get("findings") or []]
    if not rows:
        return word("no_findings", lang)
    headers = [word(k, lang) for k in ("code", "severity", "deduction", "message", "location")]
    return grid(rows, headers, [None, None, None, MESSAGE_WIDTH.get(lang, 40), None])


def summary_table(run: dict, lang: str, tablefmt: str = "simple") -> str:
    """One row per report: as plain text (``simple``), or in another tabulate format."""
    rows = []
    for r in run.get("reports", []):
        rows.append([r.get("path"), r.get("agency") or "-", r.get("year") or "-",
                     "-" if r.get("error") else f"{r.get('score'):g}",
                     r.get("grade") or "-", len(r.get("findings") or []), verdict(r, lang)])
    headers = [word(k, lang) for k in ("path", "agency", "year", "score", "grade", "findings",
                                       "result")]
    if tablefmt == "simple":
        return grid(rows, headers)
    from tabulate import tabulate
    return tabulate(rows, headers=headers, tablefmt=tablefmt, disable_numparse=True)


def render_table(run: dict, lang: str = "zh") -> str:
    blocks = []
    for report in run.get("reports", []):
        lines = [f"== {report.get('path')} ==", _header(report, lang)]
        if not report.get("error"):
            lines.append(_findings_table(report, lang))
        blocks.append("\n".join(lines))
    blocks.append(f"== {word('summary', lang)} ==\n" + summary_table(run, lang, "simple")
                  + "\n" + summary_line(run.get("summary") or {}, lang)
                  + (f"\n{inventory_line(run['inventory'], lang)}" if run.get("inventory") else ""))
    return "\n\n".join(blocks) + "\n"
