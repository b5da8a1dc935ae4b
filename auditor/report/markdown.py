"""Markdown: a heading per report with its findings table, then the summary."""
from __future__ import annotations

from tabulate import tabulate

from auditor.i18n import word
from auditor.report.words import (inventory_line, location_text, marks_text, severity_text, summary_line,
                                  verdict_why)
from auditor.report.table import summary_table


def _cell(text) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _report(report: dict, lang: str) -> str:
    out = [f"## {_cell(report.get('path'))}", ""]
    if report.get("error"):
        out.append(f"**{word('error', lang)}**: {_cell(report['error'])}")
        return "\n".join(out)
    out.append(" · ".join([
        f"{word('agency', lang)}: {_cell(report.get('agency') or '-')}",
        f"{word('year', lang)}: {report.get('year') or '-'}",
        f"{word('template', lang)}: {report.get('template') or '-'}",
        f"{word('score', lang)}: **{report.get('score'):g}**",
        f"{word('grade', lang)}: **{report.get('grade')}**",
        f"{word('result', lang)}: {verdict_why(report, lang)}"]))
    out.append("")
    findings = report.get("findings") or []
    if not findings:
        out.append(word("no_findings", lang))
    else:
        rows = [[f"`{f.get('code')}`", severity_text(f.get("severity", ""), lang),
                 f"{f.get('deduction', 0):g}", _cell(f"{f.get('message')}{marks_text(f, lang)}"),
                 _cell(location_text(f.get("location"), lang))] for f in findings]
        headers = [word(k, lang) for k in ("code", "severity", "deduction", "message", "location")]
        out.append(tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True))
    return "\n".join(out)


def render_markdown(run: dict, lang: str = "zh") -> str:
    parts = [f"# {word('title', lang)}"]
    parts += [_report(r, lang) for r in run.get("reports", [])]
    parts.append(f"## {word('summary', lang)}\n\n"
                 + summary_table({"reports": [{**r, "path": _cell(r.get("path"))}
                                              for r in run.get("reports", [])]}, lang, "github")
                 + "\n\n" + summary_line(run.get("summary") or {}, lang)
                 + (f"\n\n{inventory_line(run['inventory'], lang)}" if run.get("inventory") else ""))
    return "\n\n".join(parts) + "\n"
