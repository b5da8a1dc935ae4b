"""The rule API: what a rule is, what it returns, and what it can see.

Built-in rules (``rules/``) and third-party plugins are written against this
module only.  A rule is a plain function decorated with :func:`rule`::

    from auditor.rules.api import rule

    @rule(code="L901", name="work-plan-missing",
          title_zh="未报告政务公开工作要点落实情况", title_en="Work-plan implementation not reported",
          severity="warning", weight=5)
    def work_plan_missing(doc, ctx):
        \"\"\"What it checks, why (cite the regulation), a passing and a failing example.\"\"\"
        text = (doc["sections"].get("other") or {}).get("text", "")
        if "工作要点" not in text:
            yield ctx.finding("六未报告政务公开工作要点落实情况",
                              "Section 6 does not report the work plan's implementation",
                              section="other")

The function receives the report document (``docs/document-model.md``) and a
:class:`Context`; it yields :class:`Finding` s made with ``ctx.finding``.  The
engine fills in severity, deduction and the rule's identity, isolates crashes
and applies the configuration.
"""
from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass, field, asdict
from typing import Any, Callable, Iterable

from auditor import templates as T
from auditor.normalize import compact as _compact, fold

SEVERITIES = ("error", "warning", "info")
CODE_RE = re.compile(r"^[A-Z]{1,4}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Location:
    """Where the evidence is: any subset of these may be known."""
    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    page: int | None = None
    line: int | None = None

    def to_dict(self) -> dict:
        values = (self.section, self.table, self.row, self.column, self.page, self.line)
        if all(v is None or type(v) in (str, int, float) for v in values):
            # the usual case, without asdict()'s recursive deep copy (a hot path: every finding)
            return {k: v for k, v in zip(_LOCATION_FIELDS, values) if v is not None}
        return {k: v for k, v in asdict(self).items() if v is not None}


_LOCATION_FIELDS = ("section", "table", "row", "column", "page", "line")


@dataclass
class Finding:
    code: str
    message_zh: str
    message_en: str
    location: Location = field(default_factory=Location)
    severity: str = "warning"
    name: str = ""
    deduction: float = 0.0
    data: dict = field(default_factory=dict)   # numbers behind the message, for machines

    def to_dict(self) -> dict:
        """The finding as result data: the message in both languages (reporters pick one)."""
        out = {"code": self.code, "name": self.name, "severity": self.severity,
               "message": {"zh": self.message_zh, "en": self.message_en},
               "deduction": round(self.deduction, 2), "location": self.location.to_dict()}
        if self.data:
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class Option:
    """A rule option: its default, JSON-Schema type and help text."""
    default: Any
    type: str = "number"          # a JSON Schema type name
    help: str = ""
    schema: dict | None = None    # full JSON Schema, overrides `type`

    def json_schema(self) -> dict:
        return self.schema or {"type": self.type}


@dataclass
class Rule:
    code: str
    name: str
    title_zh: str
    title_en: str
    severity: str
    weight: float
    check: Callable[[dict, "Context"], Iterable[Finding]]
    doc: str = ""
    per_failure: float | None = None      # part of the weight taken per failure (None: the whole weight)
    templates: tuple[str, ...] = ()       # templates it applies to; () = all
    min_year: int | None = None
    max_year: int | None = None
    options: dict[str, Option] = field(default_factory=dict)
    needs_history: bool = False           # cross-year rule: needs the previous year's report
    plugin: str = ""                      # filled in by the plugin host

    @property
    def title(self) -> dict:
        """The title in both languages (``{"zh", "en"}``)."""
        return {"zh": self.title_zh, "en": self.title_en}

    def applies_to(self, template: str | None, year: int | None) -> bool:
        if self.templates and template not in self.templates:
            return False
        if year is not None:
            if self.min_year is not None and year < self.min_year:
                return False
            if self.max_year is not None and year > self.max_year:
                return False
        return True


def rule(*, code: str, name: str, title_zh: str, title_en: str, severity: str, weight: float,
         per_failure: float | None = None, templates: Iterable[str] = (),
         min_year: int | None = None, max_year: int | None = None,
         options: dict[str, Option] | None = None, needs_history: bool = False,
         doc: str | None = None) -> Callable[[Callable], Rule]:
    """Decorate a check function into a :class:`Rule`.  The docstring is its documentation."""
    if not CODE_RE.match(code):
        raise ValueError(f"rule code {code!r} must look like A201 (1-4 capitals, 3 digits)")
    if not NAME_RE.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"severity {severity!r} must be one of {SEVERITIES}")

    def wrap(func: Callable) -> Rule:
        return Rule(code=code, name=name, title_zh=title_zh, title_en=title_en, severity=severity,
                    weight=float(weight), check=func, doc=inspect.cleandoc(doc or func.__doc__ or ""),
                    per_failure=per_failure, templates=tuple(templates), min_year=min_year,
                    max_year=max_year, options=dict(options or {}), needs_history=needs_history)
    return wrap


@dataclass
class Context:
    """What a rule sees besides the document."""
    rule: Rule
    options: dict = field(default_factory=dict)       # the rule's options, defaults filled in
    template: str | None = None
    year: int | None = None
    schema_errors: list = field(default_factory=list)  # JSON Schema validation errors (dicts)
    history: Callable[[int], dict | None] | None = None  # year -> the same agency's document, if known
    metadata: dict = field(default_factory=dict)      # sweep metadata: publish_date, level, deadlines…
    config: dict = field(default_factory=dict)        # the effective configuration (read-only)

    def finding(self, message_zh: str, message_en: str, *, data: dict | None = None,
                section: str | None = None, table: str | None = None, row: str | None = None,
                column: str | None = None, page: int | None = None,
                line: int | None = None) -> Finding:
        return Finding(code=self.rule.code, name=self.rule.name, severity=self.rule.severity,
                       message_zh=message_zh, message_en=message_en, data=dict(data or {}),
                       location=Location(section, table, row, column, page, line))

    def previous_year(self, doc: dict) -> dict | None:
        """The same agency's report of the year before, when the sweep or store has it."""
        if self.history is None or not doc.get("year"):
            return None
        return self.history(doc["year"] - 1)


# -- helpers rules share -----------------------------------------------------

_INDEX: list = [None, 0, {}]     # the last ``cells`` list seen, its length, its index


def cell_entry(doc: dict, table: str, row: str, column: str) -> dict:
    """The ``cells[]`` provenance entry of a cell ({} when there is none or it is malformed).

    The index of ``cells[]`` is built once per document, so rules may ask for every cell."""
    cells = doc.get("cells")
    if not isinstance(cells, list):
        return {}
    if _INDEX[0] is not cells or _INDEX[1] != len(cells):
        index: dict = {}
        for c in cells:
            if isinstance(c, dict):
                try:
                    index.setdefault((c.get("table"), c.get("row"), c.get("column")), c)
                except TypeError:         # an unhashable key in a damaged document
                    continue
        _INDEX[:] = [cells, len(cells), index]
    return _INDEX[2].get((table, row, column), {})


def cell_location(doc: dict, table: str, row: str, column: str) -> dict:
    """page/line of a table cell, from the document's ``cells[]`` provenance."""
    c = cell_entry(doc, table, row, column)
    return {"page": c.get("page"), "line": c.get("line")}


def cell_raw(doc: dict, table: str, row: str, column: str) -> str | None:
    """The text the report printed in a cell (``""`` for a blank), or None when unknown."""
    raw = cell_entry(doc, table, row, column).get("raw")
    return raw if isinstance(raw, str) else None


# -- reading the document (defensively: a missing section, table, row or cell gives None,
#    never an exception, because a rule must not raise on a strange document) ----------

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




def expected_template(doc: dict, ctx) -> str | None:
    """The template the report year requires: ``ctx.template`` (the engine sets it from the
    configuration), else the configuration's mapping, else the default 2019–2020 → 2019, 2021 → 2021."""
    if getattr(ctx, "template", None):
        return ctx.template
    config = getattr(ctx, "config", None)
    mapping = config.get("templates") if isinstance(config, dict) else None
    return T.template_for_year(mapping, report_year(doc, ctx))


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
