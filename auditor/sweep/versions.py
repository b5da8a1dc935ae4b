"""The copies pass of a sweep (parent process): rules on several files of one report (V7xx).

After the cross-year pass, the files that hold the same agency and year (agencies matched by
:func:`auditor.agencies.agency_key` or the manifest's ``agency``) are compared: each one's
V7xx rules run with ``ctx.metadata["copies"]`` — the other files' documents — through the
engine's own :func:`auditor.rules.run.run_rules`; their findings replace the file's V7xx
findings and :func:`auditor.score.rescore` works the score out again.  Files with the same
bytes hold the same report and are not compared.  Only results that changed are stored again.
"""
from __future__ import annotations

from auditor.pipeline import rule_metadata
from auditor.rules.run import run_rules, selected_rules
from auditor.score import deduct
from auditor.sweep.crossyear import load_doc, replace_findings
from auditor.sweep.store import update_history

PREFIX = "V7"           # the family of rules that compare the files of one report


def copy_rules(settings, host) -> list:
    """The selected rules that compare copies."""
    return [r for r in selected_rules(settings, host) if r.code.startswith(PREFIX)]


def groups(items: list[dict]) -> list[list[dict]]:
    """Audited items holding the same agency and year, two or more files with different bytes."""
    by: dict = {}
    for it in items:
        if it.get("ok") and it.get("agency_key") and isinstance(it.get("year"), int):
            by.setdefault((it["agency_key"], it["year"]), []).append(it)
    return [g for g in by.values() if len({it["sha"] for it in g}) > 1]


def compare_copies(items: list[dict], settings, host, conn=None) -> None:
    """Run the copy rules on every file of a report published as several files (in place)."""
    rules = copy_rules(settings, host)
    codes = {r.code for r in host.rules.values() if r.code.startswith(PREFIX)}
    updates = []
    grouped = groups(items) if rules else []
    in_group = {it["index"] for g in grouped for it in g}
    for it in items:           # a file no longer one of several: its old V7xx findings go
        if it.get("ok") and it["index"] not in in_group and \
                any((f.get("code") or "").startswith(PREFIX) for f in it["entry"].get("findings") or ()):
            it["entry"] = replace_findings(it["entry"], [], codes, settings.scoring, settings.waivers)
            updates.append((it["rkey"], it["entry"], it.get("history")))
    for group in grouped:
        docs = {it["index"]: load_doc(it, conn) for it in group}
        for it in group:
            copies = [{"path": other["entry"].get("path") or other["key"], "doc": docs[other["index"]]}
                      for other in group if other is not it and other["sha"] != it["sha"]]
            doc = docs[it["index"]]
            findings = run_rules(doc, settings, host, rules=rules,
                                 metadata=dict(rule_metadata(it["metadata"], doc), copies=copies))
            deduct(findings, settings.rules)
            entry = replace_findings(it["entry"], findings, codes, settings.scoring, settings.waivers)
            if entry is not it["entry"] and entry != it["entry"]:
                it["entry"] = entry
                updates.append((it["rkey"], entry, it.get("history")))
    if conn is not None and updates:
        update_history(conn, [u for u in updates if u[0]])
