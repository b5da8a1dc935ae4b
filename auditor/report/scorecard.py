"""Scorecard formats: table (tabulate), CSV (UTF-8 with BOM), Markdown, JSON; HTML in :mod:`.html`.

Formats never compute: every figure is already in the scorecard dict of
:func:`auditor.sweep.scorecard.build`.
"""
from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from auditor.i18n import word as header
from auditor.report.words import level_text
from auditor.results import localize_report

COLUMNS = ("agency", "year", "level", "score", "grade", "errors", "warnings", "infos", "failing", "change")


def localize_card(card: dict, lang: str) -> dict:
    """The scorecard with its rows' errors and finding messages in ``lang``."""
    return dict(card, rows=[localize_report(r, lang) for r in card["rows"]])


def change_text(change) -> str:
    if change is None:
        return "-"
    return f"{change:+g}" if change else "0"


def cell_text(row: dict, key: str, lang: str) -> str:
    """A row's value for column ``key`` as text."""
    value = row.get(key)
    if key == "score":
        return row["error"] and header("error", lang) or ("-" if value is None else f"{value:g}")
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
    w.writerow([header(k, lang) for k in COLUMNS + ("path",)])
    for r in card["rows"]:
        w.writerow([r.get("agency"), r.get("year"), level_text(r.get("level") or "", lang),
                    "" if r.get("score") is None else r["score"],
                    r.get("grade"), r["errors"], r["warnings"], r["infos"], " ".join(r["failing"]),
                    "" if r.get("change") is None else r["change"], r.get("path")])
    return "\ufeff" + buf.getvalue()


def render_json(card: dict, lang: str = "zh") -> str:
    return json.dumps(localize_card(card, lang), ensure_ascii=False, indent=2) + "\n"
