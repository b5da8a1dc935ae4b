"""One task of a sweep, as a worker runs it: the pipeline, and the result in a form to send back.

A **task** is a plain dict the plan makes: ``index``, ``path``, ``display`` (the path results
show), ``metadata`` (the manifest row), ``store`` (the sweep keeps a store), and — when the
store's extraction cache has the file — ``doc`` (the parser's document as JSON) or ``error``;
with ``--ship-files``-style executors, ``data`` (the file's bytes).

:func:`work` sends back ``{"index", "entry", "agency", "year", "doc_z", …}``: the document goes
compressed, with the two fields the parent indexes on, so the parent (which shares the cores with
the workers) neither parses nor compresses it — as JSON when the sweep stores it, else as
:mod:`marshal` data, which is all the cross-year pass needs and several times quicker both ways.
"""
from __future__ import annotations

import json
import marshal
import zlib

from auditor.pipeline import audit_source
from auditor.results import error_result
from auditor.rules.host import host_for


def work(task: dict, settings) -> dict:
    """Audit one task's file (or its cached document) and pack the result for the parent."""
    out: dict = {"index": task["index"]}
    cached_error = task.get("error")
    if cached_error is not None:
        out["entry"] = error_result(task["display"], cached_error["zh"], cached_error["en"],
                                    cached_error["kind"])
        return out
    parsed = json.loads(task["doc"]) if task.get("doc") is not None else None
    outcome = audit_source(task["path"], settings, host_for(settings), metadata=task["metadata"],
                           display=task["display"], data=task.get("data"), parsed=parsed,
                           snapshot=bool(task.get("store")))
    out["entry"] = outcome["result"]
    error = outcome["error"]
    if error is not None:
        if error["kind"] == "internal":
            out["transient"] = True          # a defect of the tool: never cached
        else:
            out["extract_error"] = error
        return out
    doc = outcome["document"]
    if task.get("store"):
        final = json.dumps(doc, ensure_ascii=False)
        if outcome["parsed"] is not None:
            out["extracted"] = True if outcome["parsed"] == final else outcome["parsed"]
        out["doc_z"] = zlib.compress(final.encode("utf-8"), 1)
    else:
        out["doc_z"] = zlib.compress(marshal.dumps(doc), 1)
    year = doc.get("year")
    out["agency"], out["year"] = doc.get("agency"), year if isinstance(year, int) else None
    return out


def unpack_doc(packed: bytes, as_json: bool) -> dict:
    """The document a worker sent (:func:`work`'s ``doc_z``)."""
    raw = zlib.decompress(packed)
    return json.loads(raw.decode("utf-8")) if as_json else marshal.loads(raw)
