"""Scorecard formats: table (tabulate), CSV (UTF-8 with BOM), Markdown, JSON; HTML in :mod:`.html`.

Formats never compute: every figure is already in the scorecard dict of
:func:`auditor.sweep.scorecard.build`.
"""
from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate

from auditor.i18n import pick, word as header
from auditor.report.grid import grid
from auditor.report.words import level_text
from auditor.results import localize_report

COLUMNS = ("agency", "year", "level", "verdict", "score", "grade", "errors", "warnings", "infos",
           "failing", "change")
CSV_COLUMNS = COLUMNS + ("waived.count", "path", "copies", "url")
FAILING_WIDTH = {"zh": 40, "en": 60}      # display cells before the failing-rules column wraps


def localize_card(card: dict, lang: str) -> dict:
    """The scorecard with its rows' errors and finding messages, and its rule titles, in ``lang``."""
    return dict(card, rows=[localize_report(r, lang) for r in card["rows"]],
                rules={c: pick(t, lang) for c, t in (card.get("rules") or {}).items()})


def change_text(change) -> str:
    if change is None:
        return "-"
    return f"{change:+g}" if change else "0"


def verdict_text(row: dict, lang: str) -> str:
    """通过 / 未通过 / 无法审核 / 未发布."""
    return header(row.get("verdict") or ("error" if row.get("error") else "passed"), lang)


def reason_text(code: str, rules: dict | None, lang: str) -> str:
    """One verdict reason: a rule code with its title, or why a report fails without a rule."""
    if code in ("score", "missing"):
        return header(f"reason.{code}", lang)
    title = pick((rules or {}).get(code), lang)
    return f"{code} {title}" if title else code


def reasons_text(row: dict, rules: dict | None, lang: str) -> str:
    """The failing-rules cell: what made the report fail, most severe first."""
    return ("; " if lang == "en" else "；").join(reason_text(c, rules, lang) for c in row.get("failing") or ())


def cell_text(row: dict, key: str, lang: str, rules: dict | None = None) -> str:
    """A row's value for column ``key`` as text (``rules``: the scorecard's code → title)."""
    value = row.get(key)
    if key == "verdict":
        return verdict_text(row, lang)
    if key == "score":
        return row["error"] and header("error", lang) or ("-" if value is None else f"{value:g}")
    if key == "failing":
        return reasons_text(row, rules, lang) or "-"
    if key == "copies":
        return " ".join(value or ()) or "-"
    if key == "waived.count":
        return str(row.get("waived") or 0)
    if key == "change":
        return change_text(value)
    if key == "level":
        return level_text(value or "", lang) or "-"
    return "-" if value in (None, "") else str(value)


def _matrix(card: dict, lang: str) -> tuple[list[str], list[list[str]]]:
    rules = card.get("rules")
    return ([header(k, lang) for k in COLUMNS],
            [[cell_text(r, k, lang, rules) for k in COLUMNS] for r in card["rows"]])


def summary_text(card: dict, lang: str) -> str:
    """"共 N 个机关、M 份报告：通过 a，未通过 b，无法审核 c，未发布 d；通过率 …；平均分 …"."""
    s = card.get("summary") or {}
    n, years = card["agencies"], ", ".join(str(y) for y in card["years"]) or "-"
    mean = "-" if s.get("mean_score") is None else f"{s['mean_score']:g}"
    rate = "-" if s.get("pass_rate") is None else f"{s['pass_rate']:g}%"
    waived, new = s.get("waived") or 0, s.get("new") or 0
    if lang == "en":
        return (f"{len(card['rows'])} report(s) of {n} agenc{'y' if n == 1 else 'ies'}; years: {years}; "
                f"{s.get('passed', 0)} passed, {s.get('failed', 0)} failed, {s.get('error', 0)} not audited, "
                f"{s.get('missing', 0)} not published; pass rate {rate}; mean score {mean}"
                + (f"; {waived} finding(s) waived" if waived else "")
                + (f"; {new} new finding(s)" if new else ""))
    return (f"共 {n} 个机关、{len(card['rows'])} 份报告；年度：{years}；通过 {s.get('passed', 0)}，"
            f"未通过 {s.get('failed', 0)}，无法审核 {s.get('error', 0)}，未发布 {s.get('missing', 0)}；"
            f"通过率 {rate}；平均分 {mean}"
            + (f"；已豁免问题 {waived} 个" if waived else "") + (f"；新增问题 {new} 个" if new else ""))


def _footer(card: dict, lang: str) -> str:
    return summary_text(card, lang)


def render_table(card: dict, lang: str = "zh") -> str:
    """The terminal table; the failing-rules column wraps (titles are long)."""
    headers, rows = _matrix(card, lang)
    at = COLUMNS.index("failing")
    for shown, row in zip(rows, card["rows"]):        # one failing rule a line
        if row.get("failing"):
            shown[at] = "\n".join(reason_text(c, card.get("rules"), lang) for c in row["failing"])
    widths = [FAILING_WIDTH.get(lang, 40) if k == "failing" else None for k in COLUMNS]
    return grid(rows, headers, widths) + "\n\n" + _footer(card, lang) + "\n"


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
    w.writerow([header(k, lang) for k in CSV_COLUMNS])
    for r in card["rows"]:
        w.writerow([csv_value(r, k, card, lang) for k in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


def csv_value(row: dict, key: str, card: dict, lang: str):
    """A machine-friendly cell: numbers stay numbers, an empty value is empty."""
    if key in ("score", "change", "year", "errors", "warnings", "infos"):
        return "" if row.get(key) is None else row[key]
    if key == "waived.count":
        return row.get("waived") or 0
    if key in ("path", "url", "agency", "grade"):
        return row.get(key) or ""
    if key == "copies":
        return " ".join(row.get("copies") or ())
    text = cell_text(row, key, lang, card.get("rules"))
    return "" if text == "-" else text


def render_json(card: dict, lang: str = "zh") -> str:
    return json.dumps(localize_card(card, lang), ensure_ascii=False, indent=2) + "\n"
