"""Scorecard formats: table (tabulate), CSV (UTF-8 with BOM), Markdown, JSON; HTML in scorecard_html.

Formats never compute: every figure is already in the scorecard dict of
:func:`auditor.sweep.scorecard.build`.
"""
from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

LEVEL_ZH = {"department": "部门", "government": "政府", "township": "乡镇"}
COLUMNS = ("agency", "year", "level", "score", "grade", "errors", "warnings", "infos", "failing", "change")
HEADERS = {
    "agency": ("机关", "agency"), "year": ("年度", "year"), "level": ("层级", "level"),
    "score": ("得分", "score"), "grade": ("等级", "grade"), "errors": ("错误", "errors"),
    "warnings": ("警告", "warnings"), "infos": ("提示", "infos"), "failing": ("未通过的规则", "failing rules"),
    "change": ("较上年", "vs last year"), "path": ("文件", "file"),
}


def header(key: str, lang: str) -> str:
    zh, en = HEADERS[key]
    return en if lang == "en" else zh


def level_text(level: str, lang: str) -> str:
    return level if lang == "en" else LEVEL_ZH.get(level, level)


def change_text(change) -> str:
    if change is None:
        return "-"
    return f"{change:+g}" if change else "0"


def cell_text(row: dict, key: str, lang: str) -> str:
    """A row's value for column ``key`` as text."""
    value = row.get(key)
    if key == "score":
        return row["error"] and ("not audited" if lang == "en" else "无法审核") or \
            ("-" if value is None else f"{value:g}")
    if key == "failing":
        return " ".join(value or ()) or "-"
    if key == "change":
        return change_text(value)
    if key == "level":
        return level_text(value or "", lang) or "-"
    return "-" if value in (None, "") else str(value)


def _matrix(card: dict, lang: str) -> tuple[list[str], list[list[str]]]:
    return ([header(k, lang) for k in COLUMNS],
            [[cell_text(r, k, lang) for k in COLUMNS] for r in card["rows"]])


def _footer(card: dict, lang: str) -> str:
    n, years = card["agencies"], ", ".join(str(y) for y in card["years"]) or "-"
    if lang == "en":
        return f"{len(card['rows'])} report(s) of {n} agenc{'y' if n == 1 else 'ies'}; years: {years}"
    return f"共 {n} 个机关、{len(card['rows'])} 份报告；年度：{years}"


def render_table(card: dict, lang: str = "zh") -> str:
    headers, rows = _matrix(card, lang)
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True) + \
        "\n\n" + _footer(card, lang) + "\n"


def render_markdown(card: dict, lang: str = "zh") -> str:
    headers, rows = _matrix(card, lang)
    title = "Scorecard" if lang == "en" else "政府信息公开工作年度报告评分表"
    esc = [[c.replace("|", "\\|") for c in r] for r in rows]
    return f"# {title}\n\n" + tabulate(esc, headers=headers, tablefmt="github", disable_numparse=True) + \
        "\n\n" + _footer(card, lang) + "\n"


def render_csv(card: dict, lang: str = "zh") -> str:
    """UTF-8 with BOM (the caller writes it as UTF-8), so Excel and WPS show the Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    keys = COLUMNS + ("path",)
    w.writerow(keys)
    for r in card["rows"]:
        w.writerow([r.get("agency"), r.get("year"), r.get("level"), "" if r.get("score") is None else r["score"],
                    r.get("grade"), r["errors"], r["warnings"], r["infos"], " ".join(r["failing"]),
                    "" if r.get("change") is None else r["change"], r.get("path")])
    return "\ufeff" + buf.getvalue()


def render_json(card: dict, lang: str = "zh") -> str:
    return json.dumps(card, ensure_ascii=False, indent=2) + "\n"


def render_scorecard(card: dict, fmt: str = "table", lang: str = "zh") -> str:
    if fmt == "html":
        from auditor.report.html import render_html
        return render_html(card, lang)
    fn = {"table": render_table, "markdown": render_markdown, "csv": render_csv, "json": render_json}[fmt]
    return fn(card, lang)
