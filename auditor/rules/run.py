"""The engine: run the selected rules on a report document, isolate crashes, score.

For one document, :func:`run_rules`:

1. validates the document once against its template's JSON Schema (the
   errors go to every rule as ``ctx.schema_errors``; S104 reports them);
2. for each selected rule (code order) that ``applies_to`` the report's
   template and year, builds a :class:`~auditor.rules.api.Context` — options are
   the rule's defaults overlaid with the configuration (already validated by
   :mod:`auditor.settings`), ``ctx.template`` is the template the configuration
   assigns to the report year (what the report *should* use; the document's
   own ``template`` is what it *does* use) — and calls ``rule.check``;
3. stamps each finding with the rule's code and name, and the configured
   severity when the configuration overrides it.

**A rule that raises** becomes one finding carrying *its own code* (so
``--ignore CODE`` silences a broken plugin rule), severity ``error``, the
rule's full weight as deduction (a broken rule must not raise a score), and
``data.crashed = true`` with the exception; findings it yielded before
raising are dropped.  The run goes on.  The same happens when a rule yields
something that is not a :class:`~auditor.rules.api.Finding`.

:func:`audit_file` reads and parses a file (an unreadable file becomes an
entry with ``"error"``), runs the rules, scores, and returns the result entry
in the shape of ``cli.md``'s JSON; everything in it is plain data, so worker
processes can send it back.
"""
from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import Callable, Iterable

from auditor.settings import rule_settings, selected_rules, template_for_year
from auditor.errors import ConfigError, InputError
from auditor.rules.api import Context, Finding, Rule

REPORT_SUFFIXES = (".pdf", ".txt", ".md", ".html", ".htm")


# -- schema validation ---------------------------------------------------------------

def validate_document(doc: dict, host=None) -> list[dict]:
    """JSON Schema errors of ``doc`` (its own template), plugin templates included."""
    from auditor.check import validate
    extra = {t["template"]: t["schema"] for t in getattr(host, "templates", ()) if t.get("schema")}
    return validate(doc, extra or None)


# -- running rules ------------------------------------------------------------------

def doc_year(doc: dict) -> int | None:
    y = doc.get("year")
    return y if isinstance(y, int) and not isinstance(y, bool) else None


def rule_template(doc: dict, config: dict) -> str | None:
    """The template rules judge the document by: the one its year requires, else its own."""
    return template_for_year(config, doc_year(doc)) or doc.get("template")


def applicable_rules(doc: dict, config: dict, host, template: str | None = None) -> list[Rule]:
    """Selected rules that apply to the document's template and year."""
    year = doc_year(doc)
    template = template or rule_template(doc, config)
    return [r for r in selected_rules(config, host.rules) if r.applies_to(template, year)]


def make_context(rule: Rule, doc: dict, config: dict, settings: dict, schema_errors: list,
                 history: Callable | None = None, metadata: dict | None = None,
                 template: str | None = None) -> Context:
    """``template``: :func:`rule_template`, when the caller has it already."""
    return Context(rule=rule, options=settings["options"], lang=config.get("lang", "zh"),
                   template=template or rule_template(doc, config), year=doc_year(doc),
                   schema_errors=schema_errors, history=history,
                   metadata=dict(metadata or {}), config=config)


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


def run_rule(rule: Rule, doc: dict, ctx: Context, settings: dict) -> list[Finding]:
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
        if settings["severity_overridden"] or not f.severity:
            f.severity = settings["severity"]
    return findings


def settings_by_code(config: dict, host) -> dict:
    """Every rule's :func:`rule_settings`, by code: what the rules run with and are scored by."""
    return {r.code: rule_settings(config, r) for r in host.rules.values()}


def run_rules(doc: dict, config: dict, host, *, history: Callable | None = None,
              metadata: dict | None = None, settings: dict | None = None) -> list[Finding]:
    """Every applicable rule's findings on ``doc``, in rule-code order.  ``settings``: every
    rule's :func:`rule_settings` by code, when the caller has them already."""
    schema_errors = validate_document(doc, host)
    template = rule_template(doc, config)
    findings: list[Finding] = []
    for rule in applicable_rules(doc, config, host, template):
        rs = settings[rule.code] if settings is not None else rule_settings(config, rule)
        ctx = make_context(rule, doc, config, rs, schema_errors, history, metadata, template)
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


# -- whole reports ------------------------------------------------------------------

def audit_document(doc: dict, config: dict, host, *, path: str | None = None,
                   history: Callable | None = None, metadata: dict | None = None) -> dict:
    """The scored result entry of one parsed document."""
    from auditor.score import report_failed, score_findings
    by_code = settings_by_code(config, host)
    findings = run_rules(doc, config, host, history=history, metadata=metadata, settings=by_code)
    score, grade = score_findings(findings, by_code, config["scoring"])
    lang = config.get("lang", "zh")
    entry = {
        "path": path if path is not None else (doc.get("source") or {}).get("path"),
        "agency": doc.get("agency"),
        "year": doc.get("year"),
        "template": doc.get("template"),
        "score": score,
        "grade": grade,
        "findings": [f.to_dict(lang) for f in findings],
    }
    entry["failed"] = report_failed(entry, config["scoring"])
    return entry


def error_entry(path: str, zh: str, en: str, lang: str, kind: str = "unreadable") -> dict:
    return {"path": path, "error": en if lang == "en" else zh, "error_kind": kind, "failed": True}


def audit_file(path: str | Path, config: dict, host, *, metadata: dict | None = None) -> dict:
    """Read, parse and audit one file; a file that cannot be read gets an ``error`` entry."""
    lang = config.get("lang", "zh")
    path = str(path)
    try:
        from auditor.parse import parse_file
        doc = parse_file(path)
    except InputError as e:
        return error_entry(path, e.message("zh"), e.message("en"), lang, getattr(e, "kind", "unreadable"))
    except Exception as e:  # noqa: BLE001 - a parser bug must not stop the run
        what = f"{type(e).__name__}: {e}"
        return error_entry(path, f"解析时发生内部错误（{what}），已跳过此文件",
                           f"internal error while parsing ({what}); file skipped", lang, "internal")
    notify_parsed(doc, host)
    return audit_document(doc, config, host, path=path, metadata=metadata)


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files to audit: each file as given, folders searched recursively; sorted, no duplicates.

    A path that does not exist is kept (its entry will say so).
    """
    out: list[Path] = []
    seen = set()
    for p in paths:
        p = Path(p)
        found = sorted(
            (f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES),
            key=lambda f: f.as_posix()) if p.is_dir() else [p]
        for f in found:
            key = os.path.normcase(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def audit_paths(paths: Iterable[str | Path], config: dict, host) -> list[dict]:
    """Audit every report file under ``paths``, in a deterministic order."""
    files = collect_files(paths)
    if not files:
        raise ConfigError("没有找到可审核的报告文件（.pdf .txt .md .html .htm）",
                          "no report files found (.pdf .txt .md .html .htm)")
    return [audit_file(f, config, host) for f in files]


_WORKER_HOSTS: dict[str, object] = {}


def audit_file_with_config(path: str | Path, config: dict) -> dict:
    """:func:`audit_file` for worker processes: the host is rebuilt from ``config`` (once per
    process and configuration), so only plain data crosses the process boundary."""
    from auditor.settings import digest
    from auditor.rules.host import host_from_config
    key = digest(config)
    host = _WORKER_HOSTS.get(key)
    if host is None:
        host = _WORKER_HOSTS[key] = host_from_config(config)
    return audit_file(path, config, host)


def run_summary(results: list[dict], config: dict, host) -> dict:
    """Everything the output formats render: reports, summary, tool and config digest."""
    from auditor import __version__
    from auditor.settings import digest
    from auditor.rules.host import plugin_summary
    from auditor.score import summarize
    return {
        "tool": {"name": "disclosure-auditor", "version": __version__,
                 "plugins": plugin_summary(host)},
        "config_digest": digest(config),
        "reports": results,
        "summary": summarize(results),
    }
