"""``auditor audit --format html``: a page per report, for the agency that receives it.

For each report: its verdict (and why), score and grade; its tables 二, 三 and 四 drawn row by
row with the template's labels, every cell a finding points at highlighted and linked to the
finding; the findings beside them (message, severity, points, page, line, cell; waived and new
findings marked); the narrative quotes the findings rely on; and the parser's notes.  One
self-contained file (no network).  Every piece of report text — agency, title, file name,
cells, finding messages, quotes, notes — is HTML-escaped.

The tables come from the report documents the run carries as ``run["documents"]`` (path →
document, which :func:`auditor.sweep.run.sweep` returns with ``documents=True``); a report
without its document gets its findings only.
"""
from __future__ import annotations

from html import escape

from auditor.i18n import word
from auditor.report.words import location_text, severity_text, summary_line, verdict
from auditor.templates import column_label, row_label

TABLES = ("proactive", "requests", "review_litigation")

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #ccc;padding:.2em .45em;text-align:left;vertical-align:top}
th{background:#f3f3f3;word-break:keep-all}
td.num{text-align:right}
td.cited{background:#ffcdd2;font-weight:bold;outline:2px solid #c62828}
td.cited a{color:inherit}
.sev-error{color:#b00020}.sev-warning{color:#a05a00}.sev-info{color:#555}
.passed{color:#176f2c}.failed{color:#b00020;font-weight:bold}
.mark{font-size:.85em;padding:0 .3em;border-radius:3px;background:#eee}
.mark.new{background:#fff3cd}.mark.waived{background:#e0e0e0}
tr.waived td{color:#777}
blockquote{border-left:3px solid #ccc;margin:.3em 0;padding:.1em .8em;color:#444}
article.report{border-top:2px solid #ddd;margin-top:2em}
.muted{color:#777}
@media print{@page{size:A4;margin:12mm} body{margin:0;font-size:9pt} article.report{break-before:page}
  tr{break-inside:avoid}}
"""


def _cited(findings: list[dict]) -> dict:
    """(table, row, column) → (index, code) of the findings that point at that cell."""
    out: dict = {}
    for i, f in enumerate(findings):
        loc = f.get("location") or {}
        if loc.get("table") and loc.get("row") and loc.get("column"):
            out.setdefault((loc["table"], loc["row"], loc["column"]), []).append((i, f.get("code") or ""))
    return out


def _table(doc: dict, name: str, cited: dict, rid: str, lang: str) -> str:
    tab = (doc.get("tables") or {}).get(name)
    if not isinstance(tab, dict) or not tab:
        return ""
    template = doc.get("template") if doc.get("template") in ("2019", "2021") else "2021"
    columns: list = []
    for cols in tab.values():
        for c in (cols or {}) if isinstance(cols, dict) else ():
            if c not in columns:
                columns.append(c)
    head = "".join(f"<th>{escape(column_label(name, c))}</th>" for c in columns)
    body = []
    for row, cols in tab.items():
        cells = []
        for c in columns:
            value = cols.get(c) if isinstance(cols, dict) else None
            text = "" if value is None else escape(str(value))
            hits = cited.get((name, row, c))
            if hits:
                codes = " ".join(sorted({code for _, code in hits}))
                text = f'<a href="#{rid}-f{hits[0][0]}" title="{escape(codes)}">{text or "∅"}</a>'
                cells.append(f'<td class="num cited" id="{rid}-{escape(name)}-{escape(row)}-{escape(c)}">'
                             f"{text}</td>")
            else:
                cells.append(f'<td class="num">{text}</td>')
        body.append(f"<tr><th>{escape(row_label(name, row, template))}</th>{''.join(cells)}</tr>")
    title = word(f"table.{name}", lang)
    return (f"<h3>{escape(title)}</h3><table class=\"doc-table\"><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _marks(f: dict, lang: str) -> str:
    out = ""
    if f.get("new"):
        out += f' <span class="mark new">{escape(word("new", lang))}</span>'
    if f.get("waived"):
        reason = str(f["waived"].get("reason") or "")
        out += f' <span class="mark waived">{escape(word("waived", lang))}: {escape(reason)}</span>'
    return out


def _findings(report: dict, rid: str, lang: str) -> str:
    findings = report.get("findings") or []
    if not findings:
        return f'<p class="muted">{escape(word("no_findings", lang))}</p>'
    heads = "".join(f"<th>{escape(word(k, lang))}</th>"
                    for k in ("code", "severity", "deduction", "message", "location"))
    rows = []
    for i, f in enumerate(findings):
        sev = str(f.get("severity") or "")
        loc = f.get("location") or {}
        where = escape(location_text(loc, lang))
        if loc.get("table") and loc.get("row") and loc.get("column"):
            where = (f'<a href="#{rid}-{escape(loc["table"])}-{escape(loc["row"])}-{escape(loc["column"])}">'
                     f"{where}</a>")
        quote = (f.get("data") or {}).get("text")
        quote = f"<blockquote>{escape(str(quote))}</blockquote>" if isinstance(quote, str) and quote else ""
        points = (f.get("waived") or {}).get("deduction", f.get("deduction")) or 0
        rows.append(f'<tr id="{rid}-f{i}"{" class=waived" if f.get("waived") else ""}>'
                    f'<td>{escape(str(f.get("code") or ""))}</td>'
                    f'<td class="sev-{escape(sev)}">{escape(severity_text(sev, lang))}</td>'
                    f'<td class="num">{escape(format(points, "g"))}</td>'
                    f'<td>{escape(str(f.get("message") or ""))}{_marks(f, lang)}{quote}</td>'
                    f"<td>{where}</td></tr>")
    return f'<table class="findings"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _notes(doc: dict, lang: str) -> str:
    notes = [n for n in doc.get("notes") or () if isinstance(n, dict)]
    if not notes:
        return ""
    items = "".join(f"<li>{escape(str(n.get('message_en') if lang == 'en' and n.get('message_en') else n.get('message') or ''))}"
                    f' <span class="muted">{escape(str(n.get("code") or ""))}'
                    f'{"" if n.get("line") is None else " · " + escape(location_text(n, lang))}</span></li>'
                    for n in notes)
    return f"<h3>{escape(word('notes.parser', lang))}</h3><ul class=\"notes\">{items}</ul>"


def _report(report: dict, doc: dict | None, n: int, lang: str) -> str:
    rid = f"r{n}"
    path = escape(str(report.get("path") or ""))
    if report.get("error"):
        return (f'<article class="report" id="{rid}"><h2>{path}</h2>'
                f'<p class="failed">{escape(word("error", lang))}: {escape(str(report["error"]))}</p></article>')
    reasons = (report.get("verdict") or {}).get("reasons") or []
    title = (doc or {}).get("title") or report.get("agency") or report.get("path")
    facts = [(word("agency", lang), report.get("agency") or "-"), (word("year", lang), report.get("year") or "-"),
             (word("template", lang), report.get("template") or "-"),
             (word("score", lang), f"{report.get('score'):g}"), (word("grade", lang), report.get("grade") or "-")]
    status = "failed" if report.get("failed") else "passed"
    head = (f'<article class="report" id="{rid}"><h2>{escape(str(title))}</h2>'
            f'<p class="muted">{escape(word("file", lang))}: {path}</p>'
            f'<p><span class="{status}">{escape(verdict(report, lang))}</span>'
            + (f" — {escape(' '.join(reasons))}" if reasons else "")
            + " · " + " · ".join(f"{escape(k)}: {escape(str(v))}" for k, v in facts) + "</p>")
    tables = ""
    if doc:
        cited = _cited(report.get("findings") or [])
        tables = "".join(_table(doc, name, cited, rid, lang) for name in TABLES)
    return (head + f'<h3>{escape(word("findings.detail", lang))}</h3>' + _findings(report, rid, lang)
            + tables + (_notes(doc, lang) if doc else "") + "</article>")


def render_pages(run: dict, lang: str = "zh") -> str:
    """The run (messages already in ``lang``) as one HTML page with a section per report."""
    documents = run.get("documents") or {}
    title = word("title", lang)
    reports = run.get("reports") or []
    index = "".join(f'<li><a href="#r{i}">{escape(str(r.get("agency") or r.get("path") or ""))} '
                    f'{escape(str(r.get("year") or ""))}</a> — {escape(verdict(r, lang))}</li>'
                    for i, r in enumerate(reports)) if len(reports) > 1 else ""
    body = "".join(_report(r, documents.get(r.get("path")), i, lang) for i, r in enumerate(reports))
    return ("<!DOCTYPE html>\n"
            f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{escape(title)}</h1><p>{escape(summary_line(run.get('summary') or {}, lang))}</p>"
            + (f"<ol>{index}</ol>" if index else "") + body + "</body></html>\n")


def scorecard_pages(card: dict, documents: dict, lang: str = "zh") -> list[tuple[dict, str, str]]:
    """``(row, file name, page)`` for every audited row of a scorecard: the row's report as its
    own page (its tables from ``documents``, path → document, when known)."""
    from auditor.results import localize_report
    out = []
    for n, row in enumerate(r for r in card["rows"] if r.get("verdict") in ("passed", "failed")):
        report = {"path": row["path"], "agency": row["agency"], "year": row["year"],
                  "template": (documents.get(row["path"]) or {}).get("template"),
                  "score": row["score"], "grade": row["grade"], "failed": row["verdict"] == "failed",
                  "verdict": {"failed": row["verdict"] == "failed", "reasons": row["failing"]},
                  "findings": row["findings"]}
        run = {"reports": [localize_report(report, lang)],
               "summary": {"reports": 1, "failed": int(report["failed"]), "errors": 0,
                           "mean_score": row["score"]},
               "documents": {row["path"]: documents.get(row["path"])} if documents.get(row["path"]) else {}}
        out.append((row, f"report-{n + 1:04d}.html", render_pages(run, lang)))
    return out
