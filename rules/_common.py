"""Small helpers the built-in rule families share.

Everything here reads the report document defensively: a missing section,
table, row or cell gives ``None`` — never an exception — because a rule must
not raise on a strange document.
"""
from __future__ import annotations

import functools
import re

from auditor import templates as T
from auditor.normalize import compact as _compact, fold
from auditor.rules.api import cell_entry, cell_raw

CN_SECTION_NUMBERS = {s.key: T.CHINESE_NUMERALS[s.number - 1] for s in T.SECTIONS}


# -- sections and text --------------------------------------------------------

def section(doc: dict, key: str) -> dict | None:
    sections = doc.get("sections")
    if not isinstance(sections, dict):
        return None
    sec = sections.get(key)
    return sec if isinstance(sec, dict) else None


def section_text(doc: dict, key: str) -> str:
    sec = section(doc, key)
    text = sec.get("text") if sec else None
    return text if isinstance(text, str) else ""


def compact(text: str | None) -> str:
    """The parser's folding (width, traditional characters) with every space dropped."""
    if not text or not isinstance(text, str):
        return ""
    return _compact_folded(text)


@functools.lru_cache(maxsize=256)
def _compact_folded(text: str) -> str:
    # Several rules read the same section texts of the same report: fold each once.
    return _compact(fold(text))


def section_name(key: str) -> tuple[str, str]:
    """("六、其他需要报告的事项", "section 6 (…)") for messages."""
    sec = T.SECTION_BY_KEY[key]
    return (f"{CN_SECTION_NUMBERS[key]}、{sec.heading}",
            f"section {sec.number} ({key.replace('_', ' ')})")


def section_location(doc: dict, key: str) -> dict:
    sec = section(doc, key) or {}
    return {"section": key, "line": _int_or_none(sec.get("line")), "page": _int_or_none(sec.get("page"))}


def _int_or_none(v):
    return v if isinstance(v, int) and not isinstance(v, bool) else None


# -- tables ---------------------------------------------------------------------

def table(doc: dict, name: str) -> dict | None:
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        return None
    tab = tables.get(name)
    return tab if isinstance(tab, dict) else None


def number(value) -> float | int | None:
    """A usable number, or None (null, a string, a bool)."""
    if isinstance(value, bool):
        return None
    return value if isinstance(value, (int, float)) else None


def num(doc: dict, table_name: str, row: str, column: str):
    """The number in a cell; None when the cell is blank, not a number, or absent.  (Rules ask
    for several hundred cells a report: written out, without helpers.)"""
    tables = doc.get("tables")
    tab = tables.get(table_name) if isinstance(tables, dict) else None
    r = tab.get(row) if isinstance(tab, dict) else None
    value = r.get(column) if isinstance(r, dict) else None
    return value if type(value) in (int, float) else None      # not bool, not a string


def cell_loc(doc: dict, table_name: str, row: str, column: str) -> dict:
    """Location keyword arguments for ``ctx.finding`` pointing at one cell."""
    where = cell_entry(doc, table_name, row, column)
    return {"table": table_name, "row": row, "column": column,
            "page": _int_or_none(where.get("page")), "line": _int_or_none(where.get("line"))}


def raw(doc: dict, table_name: str, row: str, column: str) -> str | None:
    return cell_raw(doc, table_name, row, column)


def fmt(n) -> str:
    """A number for a message: ints as ints, floats without trailing zeros."""
    if isinstance(n, float):
        return f"{n:.4f}".rstrip("0").rstrip(".") if not n.is_integer() else str(int(n))
    return str(n)


def plus(values, sep: str = "+") -> str:
    return sep.join(fmt(v) for v in values)


# -- templates --------------------------------------------------------------------

def doc_template(doc: dict) -> str | None:
    """The template the document is laid out on: its own ``template``, else inferred."""
    tpl = doc.get("template")
    if tpl in T.TEMPLATES:
        return tpl
    requests = table(doc, "requests") or {}
    if "other_fee_unpaid" in requests or "other_no_correction" in requests:
        return "2021"
    if "other" in requests:
        return "2019"
    return None


def report_year(doc: dict, ctx=None) -> int | None:
    year = doc.get("year")
    if isinstance(year, int) and not isinstance(year, bool):
        return year
    year = getattr(ctx, "year", None)
    return year if isinstance(year, int) else None


YEAR_RANGE = re.compile(r"^(\d{4})(?:-(\d{4})?)?$")


def template_for_year(mapping, year: int | None) -> str | None:
    """The template a year→template mapping assigns to ``year``.

    ``mapping`` is the configuration's form — ``{"2019-2020": "2019", "2021-": "2021"}``, the
    range with the latest start winning — or a list of ``{"template", "from", "to"}``.
    """
    if year is None:
        return None
    if isinstance(mapping, list):
        mapping = {f"{e.get('from') or 1900}-{e.get('to') or ''}": e.get("template")
                   for e in mapping if isinstance(e, dict)}
    best = None
    for key, template in (mapping or {}).items():
        m = YEAR_RANGE.match(str(key))
        if not m:
            continue
        start = int(m.group(1))
        end = start if "-" not in str(key) else (int(m.group(2)) if m.group(2) else None)
        if start <= year and (end is None or year <= end) and (best is None or start >= best[0]):
            best = (start, str(template))
    return best[1] if best else None


DEFAULT_MAPPING = {f"{e['from']}-{e['to'] or ''}": e["template"] for e in T.DEFAULT_YEAR_TEMPLATES}


def expected_template(doc: dict, ctx) -> str | None:
    """The template the report year requires: ``ctx.template`` (the engine sets it from the
    configuration), else the configuration's mapping, else the default 2019–2020 → 2019, 2021 → 2021."""
    if getattr(ctx, "template", None):
        return ctx.template
    config = getattr(ctx, "config", None)
    mapping = config.get("templates") if isinstance(config, dict) else None
    return template_for_year(mapping or DEFAULT_MAPPING, report_year(doc, ctx))


def request_rows(doc: dict) -> tuple:
    """Table 三's row definitions for the document's template (2021 when unknown)."""
    return T.request_rows(doc_template(doc) or "2021")


def request_row_keys(doc: dict) -> list[str]:
    """Rows of table 三 to check: the template's rows plus any others the table holds."""
    keys = [r.key for r in request_rows(doc)]
    known = set(keys)
    return keys + [k for k in (table(doc, "requests") or {}) if k not in known]


def proactive_row_def(doc: dict, key: str):
    """The :class:`auditor.templates.ProactiveRow` for ``key``, preferring the document's template."""
    order = [doc_template(doc) or "2021"] + [t for t in T.TEMPLATES if t != doc_template(doc)]
    for tpl in order:
        for r in T.proactive_rows(tpl):
            if r.key == key:
                return r
    return None


def label(table_name: str, row: str, doc: dict) -> str:
    return T.row_label(table_name, row, doc_template(doc) or "2021")


def col_label(table_name: str, column: str) -> str:
    return T.column_label(table_name, column)
