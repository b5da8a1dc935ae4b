"""The cross-year pass of a sweep (parent process): rules with ``needs_history`` (X601, X602).

They run with a history callable that finds the same agency's other years — in this sweep
first, then in the store.  Agencies match by :func:`auditor.agencies.agency_key` (or the
manifest's ``agency``).  A stored result remembers which previous documents it was checked
against, so a rerun with nothing changed redoes nothing.  The rules run through the engine's
own :func:`auditor.rules.run.run_rules`; their findings replace the item's cross-year findings
and :func:`auditor.score.rescore` works the score out again.
"""
from __future__ import annotations

import functools
import json

from auditor.pipeline import rule_metadata
from auditor.rules.run import run_rules, selected_rules
from auditor.score import deduct, rescore
from auditor.sweep.store import find_previous, get_doc, update_history
from auditor.sweep.work import unpack_doc


def history_rules(settings, host) -> list:
    """The selected cross-year rules (``needs_history``)."""
    return [r for r in selected_rules(settings, host) if r.needs_history]


def replace_findings(result: dict, findings: list, codes: set[str], scoring: dict,
                     waivers=None) -> dict:
    """``result`` with its cross-year findings (``codes``) replaced by ``findings`` (Finding
    objects, already deducted), rescored."""
    old = result.get("findings") or []
    kept = [f for f in old if f.get("code") not in codes]
    if len(kept) == len(old) and not findings:
        return result
    merged = sorted(kept + [f.to_dict() for f in findings], key=lambda f: f.get("code") or "")
    return rescore(dict(result, findings=merged), scoring, waivers)


def cross_year(items: list[dict], settings, host, conn=None) -> None:
    """Run the cross-year rules on every audited item whose history changed (in place)."""
    rules = history_rules(settings, host)
    if not rules:
        return
    codes = {r.code for r in host.rules.values() if r.needs_history}
    index: dict = {}
    for it in items:
        if it.get("ok") and it.get("agency_key") and it.get("year"):
            index.setdefault((it["agency_key"], it["year"]), it)
    sweep_paths = {it["key"] for it in items}
    store_docs: dict = {}

    @functools.lru_cache(maxsize=128)       # a few documents at a time, never the whole sweep
    def doc_of(i: int) -> dict:
        return load_doc(items[i], conn)

    def lookup(akey: str, year: int):
        it = index.get((akey, year))
        if it is not None:
            return it["sha"], lambda: doc_of(it["index"])
        if conn is None:
            return None
        if (akey, year) not in store_docs:
            store_docs[(akey, year)] = _store_previous(conn, akey, year, sweep_paths)
        return store_docs[(akey, year)]

    updates = []
    for it in items:
        if not it.get("ok") or not it.get("agency_key"):
            continue
        fp = it.get("history")
        if fp is not None and all((lookup(it["agency_key"], int(y)) or (None,))[0] == sha
                                  for y, sha in fp.items()):
            continue
        requested: dict = {}

        def history(year, _akey=it["agency_key"], _req=requested):
            found = lookup(_akey, int(year)) if isinstance(year, int) else None
            _req[str(year)] = found[0] if found else None
            return found[1]() if found else None

        doc = doc_of(it["index"])
        findings = run_rules(doc, settings, host, history=history, rules=rules,
                             metadata=rule_metadata(it["metadata"], doc))
        deduct(findings, settings.rules)
        it["entry"] = replace_findings(it["entry"], findings, codes, settings.scoring,
                                       settings.waivers)
        it["history"] = requested
        updates.append((it["rkey"], it["entry"], requested))
    if conn is not None and updates:
        update_history(conn, [u for u in updates if u[0]])


def _store_previous(conn, akey: str, year: int, exclude: set[str]):
    found = find_previous(conn, akey, year, exclude)
    if found is None:
        return None
    sha, rkey = found
    return sha, functools.cache(lambda: load_doc({"rkey": rkey}, conn))


def load_doc(it: dict, conn) -> dict:
    """An item's document (the one its rules saw): from the store when it was stored there, else
    from what the worker sent.  Not kept: a sweep of thousands of reports holds no documents."""
    packed = it.get("doc_z")
    if packed:
        return unpack_doc(packed, as_json=False)
    text = get_doc(conn, it["rkey"]) if conn is not None else None
    return json.loads(text) if text else {}
