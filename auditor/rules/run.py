"""Running rules on a report document: select, build each rule's context, isolate crashes.

For one document, :func:`run_rules`:

1. takes the document's JSON Schema errors (``ctx.schema_errors``; S104 reports them);
2. for each selected rule (code order) that ``applies_to`` the report's template and year,
   builds a :class:`~auditor.rules.api.Context` — options are the rule's defaults overlaid
   with the configuration (already validated), ``ctx.template`` is the template the
   configuration assigns to the report year (what the report *should* use; the document's own
   ``template`` is what it *does* use) — and calls ``rule.check``;
3. stamps each finding with the rule's code and name, and the configured severity when the
   configuration overrides it.

**A rule that raises** becomes one finding carrying *its own code* (so ``--ignore CODE``
silences a broken plugin rule), severity ``error``, the rule's full weight as deduction (a
broken rule must not raise a score), and ``data.crashed = true`` with the exception; findings
it yielded before raising are dropped.  The run goes on.  The same happens when a rule yields
something that is not a :class:`~auditor.rules.api.Finding`.

``settings`` is an :class:`auditor.settings.Settings` (``rules``, ``selected``,
``template_for``, ``config``); ``host`` the plugin host with the rules.
"""
from __future__ import annotations

import os
import traceback
from typing import Callable, Iterable

from auditor.rules.api import Context, Finding, Rule


def doc_year(doc: dict) -> int | None:
    y = doc.get("year")
    return y if isinstance(y, int) and not isinstance(y, bool) else None


def rule_template(doc: dict, settings) -> str | None:
    """The template rules judge the document by: the one its year requires, else its own."""
    return settings.template_for(doc_year(doc)) or doc.get("template")


def selected_rules(settings, host) -> list[Rule]:
    """The rules the configuration selects, in code order."""
    return [host.rules[code] for code in settings.selected if code in host.rules]


def crash_finding(rule: Rule, exc: BaseException) -> Finding:
    """The finding that stands for a rule that raised (or yielded garbage)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{os.path.basename(frames[-1].filename)}:{frames[-1].lineno} in {frames[-1].name}" \
        if frames else ""
    what = f"{type(exc).__name__}: {exc}"
    plugin = rule.plugin or "?"
    return Finding(
        code=rule.code, name=rule.name, severity="error",
        message_zh=f"规则 {rule.code}（{rule.name}）运行出错，未能完成检查：{what}。"
                   f"这是规则的缺陷，不一定是报告的问题；请向插件“{plugin}”的作者报告，"
                   f"或用 --ignore {rule.code} 暂时停用该规则。",
        message_en=f"rule {rule.code} ({rule.name}) crashed and could not finish its check: {what}. "
                   f"This is a defect of the rule, not necessarily of the report; report it to the "
                   f"author of plugin {plugin!r}, or use --ignore {rule.code} for now.",
        data={"crashed": True, "exception": what, "where": where, "plugin": plugin})


def run_rule(rule: Rule, doc: dict, ctx: Context, rule_settings: dict) -> list[Finding]:
    """One rule's findings, stamped; a crash becomes a single crash finding."""
    try:
        produced = rule.check(doc, ctx)
        findings = list(produced) if produced is not None else []
        for f in findings:
            if not isinstance(f, Finding):
                raise TypeError(f"the rule yielded {type(f).__name__}, not a Finding")
    except Exception as e:  # noqa: BLE001 - isolating rule crashes is the point
        return [crash_finding(rule, e)]
    for f in findings:
        f.code, f.name = rule.code, rule.name
        if rule_settings["severity_overridden"] or not f.severity:
            f.severity = rule_settings["severity"]
    return findings


def run_rules(doc: dict, settings, host, *, schema_errors: list | None = None,
              history: Callable | None = None, metadata: dict | None = None,
              rules: Iterable[Rule] | None = None) -> list[Finding]:
    """The findings of ``rules`` (default: every selected rule) that apply to ``doc``, in
    rule-code order."""
    template, year = rule_template(doc, settings), doc_year(doc)
    findings: list[Finding] = []
    for rule in selected_rules(settings, host) if rules is None else rules:
        if not rule.applies_to(template, year):
            continue
        rs = settings.rules[rule.code]
        ctx = Context(rule=rule, options=rs["options"], template=template, year=year,
                      schema_errors=schema_errors or [], history=history,
                      metadata=dict(metadata or {}), config=settings.config)
        findings.extend(run_rule(rule, doc, ctx, rs))
    return findings


def notify_parsed(doc: dict, host) -> None:
    """Call ``auditor_document_parsed``; a failing plugin leaves a note, not a crash."""
    for impl in host.pm.hook.auditor_document_parsed.get_hookimpls():
        try:
            impl.function(document=doc)
        except Exception as e:  # noqa: BLE001
            doc.setdefault("notes", []).append({
                "code": "plugin-hook-failed",
                "message": f"plugin {impl.plugin_name!r} failed in auditor_document_parsed: "
                           f"{type(e).__name__}: {e}"})
