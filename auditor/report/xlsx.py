"""The scorecard as an Excel workbook (``--format xlsx``), written with openpyxl.

Four sheets: a **summary** (the scorecard's figures), **agencies × years** (one row per
agency-year: verdict, score, grade, counts, failing rules with titles, change, files — the rows
of the CSV scorecard), **findings** (one finding per row with its evidence: page, line, table,
row, column) and **rules** (every code the scorecard mentions, its title and how often it
failed a report).  Headers are frozen and filtered, columns sized for Chinese text (two
units a character), verdicts and scores coloured by conditional formatting, and numbers are
numbers.

openpyxl (MIT) rather than xlsxwriter: it is one pure-Python package that both writes the
workbook and reads it back, which is how the tests check it; it is the optional extra
``xlsx`` (``pip install 'disclosure-auditor[xlsx]'``).
"""
from __future__ import annotations

import io

from auditor.errors import ConfigError
from auditor.i18n import word
from auditor.report.grid import display_width
from auditor.report.card import CSV_COLUMNS, csv_value, header, localize_card, reason_text
from auditor.report.words import location_text, severity_text

FINDING_COLUMNS = ("agency", "year", "path", "code", "rule.title", "severity", "deduction", "waived",
                   "message", "page", "line", "section", "table", "row", "column", "location")
MAX_WIDTH = 60


def sheet_name(key: str, lang: str) -> str:
    return word(f"sheet.{key}", lang)


def _openpyxl():
    try:
        import openpyxl        # optional extra; imported when an xlsx is rendered
    except ImportError:
        raise ConfigError("输出 xlsx 需要 openpyxl：pip install 'disclosure-auditor[xlsx]'",
                          "--format xlsx needs openpyxl: pip install 'disclosure-auditor[xlsx]'") from None
    return openpyxl


def _table(ws, headers: list[str], rows: list[list]) -> None:
    """Rows under a bold, frozen, filtered header; column widths from the longest cell."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, h in enumerate(headers, 1):
        longest = max([display_width(str(h))] + [display_width("" if r[i - 1] is None else str(r[i - 1]))
                                                 for r in rows])
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, longest + 2)


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _summary_sheet(ws, card: dict, lang: str) -> None:
    s = card.get("summary") or {}
    rows = [[word("rows", lang), s.get("rows", 0)], [word("passed", lang), s.get("passed", 0)],
            [word("failed", lang), s.get("failed", 0)], [word("error", lang), s.get("error", 0)],
            [word("missing", lang), s.get("missing", 0)],
            [word("pass_rate", lang) + " (%)", _number(s.get("pass_rate"))],
            [word("mean_score", lang), _number(s.get("mean_score"))],
            [word("mean_change", lang), _number(s.get("mean_change"))],
            [word("waived", lang), s.get("waived", 0)], [word("new", lang), s.get("new", 0)]]
    rows += [[f"{word('grade', lang)} {g}", n] for g, n in (s.get("grades") or {}).items()]
    rows += [[f"{word('top_failing', lang)}: {reason_text(c, card.get('rules'), lang)}", n]
             for c, n in s.get("top_failing") or ()]
    _table(ws, [word("summary", lang), word("count", lang)], rows)


def _rows_sheet(ws, card: dict, lang: str) -> None:
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    rows = [[csv_value(r, k, card, lang) for k in CSV_COLUMNS] for r in card["rows"]]
    rows = [[None if v == "" else v for v in r] for r in rows]
    _table(ws, [header(k, lang) for k in CSV_COLUMNS], rows)
    last = len(rows) + 1
    if len(rows) == 0:
        return
    v = get_column_letter(CSV_COLUMNS.index("verdict") + 1)
    colours = {"passed": "C8E6C9", "failed": "FFCDD2", "error": "FFE0B2", "missing": "E1BEE7"}
    for verdict, colour in colours.items():
        ws.conditional_formatting.add(
            f"{v}2:{v}{last}",
            CellIsRule(operator="equal", formula=[f'"{word(verdict, lang)}"'],
                       fill=PatternFill(start_color=colour, end_color=colour, fill_type="solid"),
                       font=Font(bold=verdict != "passed")))
    s = get_column_letter(CSV_COLUMNS.index("score") + 1)
    ws.conditional_formatting.add(f"{s}2:{s}{last}", ColorScaleRule(
        start_type="num", start_value=0, start_color="F8696B", mid_type="num", mid_value=75,
        mid_color="FFEB84", end_type="num", end_value=100, end_color="63BE7B"))


def _findings_sheet(ws, card: dict, lang: str) -> None:
    rows = []
    for r in card["rows"]:
        for f in r["findings"]:
            loc = f.get("location") or {}
            waived = f.get("waived")
            rows.append([r["agency"], _number(r.get("year")), r.get("path") or None, f.get("code"),
                         (card.get("rules") or {}).get(f.get("code")) or None,
                         severity_text(f.get("severity") or "", lang),
                         _number(f.get("deduction")), waived.get("reason") or word("yes", lang) if waived else None,
                         f.get("message"), _number(loc.get("page")), _number(loc.get("line")),
                         loc.get("section"), loc.get("table"), loc.get("row"), loc.get("column"),
                         location_text(loc, lang) or None])
    _table(ws, [word(k, lang) for k in FINDING_COLUMNS], rows)


def _rules_sheet(ws, card: dict, lang: str) -> None:
    failing: dict = {}
    found: dict = {}
    for r in card["rows"]:
        for c in r["failing"]:
            failing[c] = failing.get(c, 0) + 1
        for f in r["findings"]:
            found[f.get("code")] = found.get(f.get("code"), 0) + 1
    rows = [[code, reason_text(code, card.get("rules"), lang).removeprefix(code).strip() or None,
             failing.get(code, 0), found.get(code, 0)] for code in sorted(card.get("rules") or {})]
    heads = [word("code", lang), word("rule.title", lang), word("failed", lang), word("findings", lang)]
    _table(ws, heads, rows)


def render_xlsx(card: dict, lang: str = "zh") -> bytes:
    """The workbook's bytes."""
    openpyxl = _openpyxl()
    card = localize_card(card, lang)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name("summary", lang)
    _summary_sheet(ws, card, lang)
    _rows_sheet(wb.create_sheet(sheet_name("rows", lang)), card, lang)
    _findings_sheet(wb.create_sheet(sheet_name("findings", lang)), card, lang)
    _rules_sheet(wb.create_sheet(sheet_name("rules", lang)), card, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
