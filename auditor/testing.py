"""Test helpers for rule authors — the built-in rules and third-party plugins use the same ones.

A rule is tested with small YAML case files, one per rule, each case a patch on
a clean document::

    # tests/rules/cases/A201.yaml
    rule: A201
    cases:
      - name: balanced
        patch: {tables: {requests: {new_received: {natural_person: 3, total: 3},
                                    total_processed: {natural_person: 3, total: 3}}}}
        expect: pass
      - name: one-column-off
        patch: {tables: {requests: {new_received: {natural_person: 3, total: 3}}}}
        expect:
          - {code: A201, table: requests, column: natural_person, message_contains: "相差3"}
          - {code: A201, column: total}

and a test module of a few lines::

    import pytest
    from auditor.testing import check_case, parametrize_cases

    ids, cases = parametrize_cases("tests/rules/cases/*.yaml")

    @pytest.mark.parametrize("case", cases, ids=ids)
    def test_rule_case(case):
        check_case(case)

Case keys:

``name``
    unique within the file.
``patch``
    deep-merged onto :func:`make_document` (dicts merge, anything else replaces; ``null``
    sets a value to ``None`` — a blank cell).
``delete``
    dotted paths to remove after patching, e.g. ``[sections.other, tables.requests.granted]``.
``document``
    a complete document to use instead of :func:`make_document` (``patch``/``delete`` still apply).
``text``
    a report's text, parsed by the real parser into the case's document (``patch``/``delete``
    still apply).
``template`` / ``year``
    the document's template (default ``"2021"``) and report year (default 2023).
``options``
    the rule's options (defaults filled in, unknown names are an error).
``context``
    ``{template, config, metadata}`` for the :class:`~auditor.rules.api.Context`; ``template`` is the
    template the report year *requires* (default: from the year, 2019–2020 → 2019, 2021 on → 2021).
``previous``
    a patch on a clean document of the year before (same template unless the patch gives
    ``template``): the case's rule gets it as last year's report through ``ctx.history``
    (cross-year rules, e.g. X601). Without ``previous`` there is no history.
``expect``
    ``pass`` (no finding), ``fail`` (at least one), or a list of expected findings. Each entry
    matches one finding on the keys it gives: ``code``, ``severity``, ``name``, location keys
    (``section``, ``table``, ``row``, ``column``, ``page``, ``line``), ``message_contains``
    (a string or list, searched in the Chinese and English messages), ``data`` (a subset) and
    ``count`` (that many findings match the entry, default 1). Every finding must be matched.

File-level ``template``, ``year`` and ``options`` are defaults for every case of the file.
"""
from __future__ import annotations

import copy
import glob as globmod
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from auditor import templates as T
from auditor.errors import ConfigError
from auditor.hookspecs import hookimpl
from auditor.pipeline import document_of, schema_errors as pipeline_schema_errors
from auditor.rules.api import Context, Finding, Rule
from auditor.rules.host import build_host
from auditor.rules.run import rule_template, run_rules
from auditor.settings import build_settings, resolve

LOCATION_KEYS = ("section", "table", "row", "column", "page", "line")
CN = T.CHINESE_NUMERALS


# --------------------------------------------------------------------------
# A clean document
# --------------------------------------------------------------------------

def _section_texts(template: str, year: int) -> dict[str, str]:
    fee = ("本年度未发出信息处理费收费通知，未收取信息处理费。" if template != "2019"
           else "无其他需要报告的事项。")
    return {
        "overall": (f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。\n"
                    "（一）主动公开。通过门户网站及时发布政府信息。\n"
                    "（二）依申请公开。规范依申请公开的受理、办理和答复流程。\n"
                    "（三）政府信息管理。落实信息发布审核和保密审查制度。\n"
                    "（四）政府信息公开平台建设。维护政府网站信息公开专栏。\n"
                    "（五）监督保障。将政务公开纳入年度考核，组织业务培训。"),
        "proactive": "",
        "requests": "",
        "review_litigation": "",
        "problems": ("（一）存在的主要问题：政策解读形式较为单一。\n"
                     "（二）改进情况：针对上一年度报告指出的信息更新不及时问题，已建立定期更新机制，整改到位；"
                     "下一步将丰富政策解读形式。"),
        "other": fee,
    }


def _zero_tables(template: str) -> dict:
    return {
        "proactive": {r.key: {c: (0.0 if c in r.money else 0) for c in r.columns}
                      for r in T.proactive_rows(template)},
        "requests": {r.key: {c: 0 for c in T.REQUEST_COLUMNS} for r in T.request_rows(template)},
        "review_litigation": {g: {c: 0 for c in T.REVIEW_COLUMNS} for g in T.REVIEW_GROUPS},
    }


def _raw_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cells(tables: dict, first_line: dict[str, int]) -> list[dict]:
    """``cells[]`` provenance for every cell of the tables, one line per row."""
    out = []
    for name in ("proactive", "requests", "review_litigation"):
        tab = tables.get(name)
        if not isinstance(tab, dict):
            continue
        line = first_line.get(name, 1)
        for row, cols in tab.items():
            line += 1
            if not isinstance(cols, dict):
                continue
            for col, value in cols.items():
                out.append({"table": name, "row": row, "column": col, "raw": _raw_text(value),
                            "value": value, "page": 1 + line // 40, "line": line})
    return out


def deep_merge(base: Any, patch: Any) -> Any:
    """A copy of ``base`` with ``patch`` merged in: dicts merge key by key, anything else replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            out[k] = deep_merge(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(patch)


def delete_path(doc: dict, path: str | Iterable[str]) -> None:
    """Remove ``a.b.c`` from ``doc`` (no error when it is not there)."""
    keys = path.split(".") if isinstance(path, str) else list(path)
    node = doc
    for k in keys[:-1]:
        node = node.get(k) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(keys[-1], None)


def make_document(template: str = "2021", year: int = 2023, **overrides) -> dict:
    """A complete, clean report document that passes every built-in rule.

    All six sections (一 covering its five topics, 五 with last year's rectification, 六 with a
    nil 信息处理费 statement on the 2021 template), tables 二/三/四 of ``template`` all zero, a
    statistics period of the whole ``year``, and ``cells[]`` with page/line provenance.

    ``overrides`` are deep-merged onto the result (``tables={"requests": {"granted": {"total": 2}}}``).
    ``cells`` and ``template_fingerprints`` are derived from the final tables and template unless
    given explicitly.
    """
    if template not in T.TEMPLATES:
        raise ValueError(f"unknown template {template!r}; one of {T.TEMPLATES}")
    texts = _section_texts(template, year)
    sections, line, first_line = {}, 5, {}
    for sec in T.SECTIONS:
        sections[sec.key] = {"number": sec.number, "heading": f"{CN[sec.number - 1]}、{sec.heading}",
                             "text": texts[sec.key], "line": line, "page": 1 + line // 40}
        first_line[sec.key] = line
        line += 40 if sec.key == "requests" else 12
    title = f"示例市示例局{year}年政府信息公开工作年度报告"
    doc = {
        "schema_version": 1,
        "source": {"path": f"example-{year}.txt", "format": "text",
                   "sha256": hashlib.sha256(title.encode()).hexdigest(), "pages": None},
        "agency": "示例市示例局",
        "year": year,
        "template": template,
        "title": title,
        "statistics_period": {"start": f"{year}-01-01", "end": f"{year}-12-31",
                              "text": f"本报告所列数据统计期限为{year}年1月1日至12月31日。", "line": 3, "page": 1},
        "sections": sections,
        "tables": _zero_tables(template),
        "cells": [],
        "notes": [],
        "template_fingerprints": {t: (list(T.FINGERPRINTS[t]) if t == template else []) for t in T.TEMPLATES},
    }
    explicit_cells = "cells" in overrides
    doc = deep_merge(doc, overrides)
    if not explicit_cells:
        doc["cells"] = _cells(doc.get("tables") or {}, first_line)
    return doc


# --------------------------------------------------------------------------
# Schema errors, as the engine hands them to rules
# --------------------------------------------------------------------------

def schema_errors(doc: dict) -> list[dict]:
    """JSON Schema errors of ``doc``, as the engine hands them to rules in ``ctx.schema_errors``:
    dicts ``{path, message, validator, table?, row?, column?, missing?}``."""
    return pipeline_schema_errors(doc, installed_host())


def document_from_text(text: str, name: str = "report.txt") -> dict:
    """The document the parser makes of a report's text (a case's ``text:``), as the rules see it."""
    host = installed_host()
    settings = build_settings(resolve({}, host), host)
    return document_of(name, settings, host, data=text.encode("utf-8"))


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

@dataclass
class Case:
    rule: str
    name: str
    expect: Any = "pass"
    patch: dict = field(default_factory=dict)
    delete: list = field(default_factory=list)
    document: dict | None = None
    template: str = "2021"
    year: int = 2023
    options: dict = field(default_factory=dict)
    context: dict = field(default_factory=dict)
    file: str = ""
    previous: dict | None = None
    text: str | None = None

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.name}"

    @property
    def expects_pass(self) -> bool:
        return self.expect == "pass" or self.expect == []

    def document_for(self) -> dict:
        if self.text is not None:
            base = document_from_text(self.text)
        else:
            base = copy.deepcopy(self.document) if self.document is not None else \
                make_document(self.template, self.year)
        explicit_cells = "cells" in (self.patch or {})
        doc = deep_merge(base, self.patch or {})
        for path in self.delete or ():
            delete_path(doc, path)
        if self.document is None and self.text is None and not explicit_cells:
            first = {k: (v.get("line") or 1) for k, v in (doc.get("sections") or {}).items()
                     if isinstance(v, dict)}
            doc["cells"] = _cells(doc.get("tables") or {}, first)
        return doc

    def previous_document(self) -> dict | None:
        """Last year's report, for cross-year rules (``previous:``), or None."""
        if self.previous is None:
            return None
        patch = dict(self.previous)
        return make_document(str(patch.pop("template", self.template)), self.year - 1, **patch)


CASE_KEYS = {"name", "expect", "patch", "delete", "document", "text", "template", "year", "options",
             "context", "previous"}


def _load_file(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or "rule" not in data or not isinstance(data.get("cases"), list):
        raise ValueError(f"{path}: a case file needs `rule:` and a list of `cases:`")
    defaults = {k: data[k] for k in ("template", "year", "options", "context") if k in data}
    cases, seen = [], set()
    for i, raw in enumerate(data["cases"]):
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: case {i} is not a mapping")
        unknown = set(raw) - CASE_KEYS
        if unknown:
            raise ValueError(f"{path}: case {raw.get('name', i)!r} has unknown keys {sorted(unknown)}")
        name = str(raw.get("name") or f"case{i}")
        if name in seen:
            raise ValueError(f"{path}: duplicate case name {name!r}")
        seen.add(name)
        merged = {**defaults, **raw}
        if "options" in defaults and "options" in raw:
            merged["options"] = {**defaults["options"], **raw["options"]}
        cases.append(Case(rule=str(data["rule"]), name=name, expect=merged.get("expect", "pass"),
                          patch=merged.get("patch") or {}, delete=list(merged.get("delete") or ()),
                          document=merged.get("document"), template=str(merged.get("template", "2021")),
                          year=int(merged.get("year", 2023)), options=merged.get("options") or {},
                          context=merged.get("context") or {}, file=str(path),
                          previous=merged.get("previous"), text=merged.get("text")))
    return cases


def load_cases(path_or_glob: str | os.PathLike) -> list[Case]:
    """Cases from a YAML file, a directory of ``*.yaml``/``*.yml`` files, or a glob."""
    p = Path(path_or_glob)
    if p.is_dir():
        files = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
    elif p.is_file():
        files = [p]
    else:
        files = [Path(f) for f in sorted(globmod.glob(str(path_or_glob)))]
    return [case for f in files for case in _load_file(f)]


def parametrize_cases(path_or_glob: str | os.PathLike) -> tuple[list[str], list[Case]]:
    """``(ids, cases)`` for ``pytest.mark.parametrize("case", cases, ids=ids)``."""
    cases = load_cases(path_or_glob)
    return [c.id for c in cases], cases


# --------------------------------------------------------------------------
# Running cases: through the real engine (settings, plugin host, rule runner)
# --------------------------------------------------------------------------

_HOST: list = []


def installed_host():
    """The plugin host every ``auditor`` run builds: the built-in pack and installed plugins."""
    if not _HOST:
        _HOST.append(build_host())
    return _HOST[0]


def installed_rules() -> dict[str, Rule]:
    """Every rule of the built-in pack and of every installed ``auditor`` plugin, by code."""
    return installed_host().rules


def find_rule(code: str) -> Rule:
    try:
        return installed_rules()[code]
    except KeyError:
        raise LookupError(f"no installed rule {code!r}; pass the rule to run_case()") from None


class _RulePlugin:
    """A rule under test that is not installed, registered on its own like a plugin."""

    def __init__(self, rule: Rule):
        self.rule = rule

    @hookimpl
    def auditor_register_rules(self) -> list[Rule]:
        return [self.rule]


def host_for_rule(rule: Rule):
    """The installed host when ``rule`` is one of its rules, else a host with ``rule`` alone."""
    host = installed_host()
    if host.rules.get(rule.code) is rule:
        return host
    return build_host(extra=[(f"rule-under-test:{rule.code}", _RulePlugin(rule))], autoload=False)


def settings_for(rule: Rule, host, *, options: dict | None = None, template: str | None = None,
                 year: int | None = None, config: dict | None = None):
    """The frozen settings a run with ``config`` (plus the rule's ``options``, plus ``template``
    as the template ``year`` requires) would have; bad options raise ValueError."""
    user = copy.deepcopy(config or {})
    if options:
        user.setdefault("rules", {})[rule.code] = dict(options)
    if template and year is not None:
        user["templates"] = {**(user.get("templates") or {}), str(year): template}
    try:
        return build_settings(resolve(user, host), host)
    except ConfigError as e:
        raise ValueError(e.en) from None


def rule_options(rule: Rule, options: dict | None) -> dict:
    """The rule's option defaults with ``options`` on top; unknown or ill-typed options raise ValueError."""
    return settings_for(rule, host_for_rule(rule), options=options).rules[rule.code]["options"]


def make_context(rule: Rule, doc: dict, *, options: dict | None = None, template: str | None = None,
                 config: dict | None = None, metadata: dict | None = None, history=None,
                 schema_errors: list | None = None) -> Context:
    """The :class:`Context` the engine gives ``rule`` for ``doc``: options validated and
    defaulted, the template the report year requires, the document's JSON Schema errors."""
    host = host_for_rule(rule)
    year = doc.get("year") if isinstance(doc.get("year"), int) else None
    settings = settings_for(rule, host, options=options, template=template, year=year, config=config)
    return Context(rule=rule, options=settings.rules[rule.code]["options"],
                   template=rule_template(doc, settings), year=year,
                   schema_errors=pipeline_schema_errors(doc, host) if schema_errors is None else schema_errors,
                   config=settings.config, metadata=dict(metadata or {}), history=history)


def run_rule(rule: Rule, doc: dict, *, options: dict | None = None, template: str | None = None,
             config: dict | None = None, metadata: dict | None = None, history=None,
             schema_errors: list | None = None) -> list[Finding]:
    """One rule's findings on one document, exactly as the engine runs it
    (:func:`auditor.rules.run.run_rules`): skipped where it does not apply to the report year's
    template and year, options defaulted and validated, findings stamped, a crash turned into
    the crash finding (whose message names the exception and where it was raised)."""
    host = host_for_rule(rule)
    year = doc.get("year") if isinstance(doc.get("year"), int) else None
    settings = settings_for(rule, host, options=options, template=template, year=year, config=config)
    return run_rules(doc, settings, host, rules=[host.rules[rule.code]], history=history,
                     metadata=metadata, schema_errors=pipeline_schema_errors(doc, host)
                     if schema_errors is None else schema_errors)


def run_case(case: Case, rule: Rule | None = None) -> list[Finding]:
    """The findings of ``case``'s rule (or ``rule``) on the case's document."""
    rule = rule or find_rule(case.rule)
    ctx_args = {k: case.context[k] for k in ("template", "config", "metadata") if k in case.context}
    previous = case.previous_document()
    if previous is not None:
        ctx_args["history"] = lambda year: previous if year == previous.get("year") else None
    return run_rule(rule, case.document_for(), options=case.options, **ctx_args)


def _matches(spec: dict, f: Finding) -> bool:
    for key, want in spec.items():
        if key == "count":
            continue
        if key == "message_contains":
            for part in [want] if isinstance(want, str) else list(want):
                if str(part) not in f.message_zh and str(part) not in f.message_en:
                    return False
        elif key in LOCATION_KEYS:
            if getattr(f.location, key) != want:
                return False
        elif key == "data":
            if any(f.data.get(k) != v for k, v in (want or {}).items()):
                return False
        elif key in ("code", "severity", "name"):
            if getattr(f, key) != want:
                return False
        else:
            raise ValueError(f"unknown expectation key {key!r}")
    return True


def _assign(specs: list[dict], findings: list[Finding]) -> bool:
    """True when each spec can be given its own finding (small backtracking search)."""
    if not specs:
        return not findings
    spec, rest = specs[0], specs[1:]
    for i, f in enumerate(findings):
        if _matches(spec, f) and _assign(rest, findings[:i] + findings[i + 1:]):
            return True
    return False


def _describe(f: Finding) -> str:
    return f"  {f.code} {f.severity} {f.location.to_dict()} — {f.message_zh} | {f.message_en}"


def check_case(case: Case, rule: Rule | None = None) -> list[Finding]:
    """Run ``case`` and assert its expectation; the AssertionError shows expected vs actual."""
    findings = run_case(case, rule)
    expect = case.expect
    if expect == "pass" or expect == []:
        ok = not findings
    elif expect == "fail":
        ok = bool(findings)
    elif isinstance(expect, list):
        specs = [s for s in expect for _ in range(int(s.get("count", 1)))]
        ok = _assign(specs, findings)
    else:
        raise ValueError(f"{case.id}: expect must be pass, fail or a list, not {expect!r}")
    if not ok:
        want = expect if isinstance(expect, str) else "\n".join(f"  {s}" for s in expect)
        got = "\n".join(_describe(f) for f in findings) or "  (no findings)"
        raise AssertionError(f"{case.id} ({case.file})\nexpected:\n  {want}\ngot:\n{got}"
                             if isinstance(expect, str) else
                             f"{case.id} ({case.file})\nexpected:\n{want}\ngot:\n{got}")
    return findings


__all__ = ["Case", "make_document", "document_from_text", "deep_merge", "delete_path", "schema_errors",
           "load_cases", "parametrize_cases", "installed_rules", "find_rule", "rule_options",
           "make_context", "run_rule", "run_case", "check_case"]
