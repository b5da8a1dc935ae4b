"""The pipeline: one source → one language-neutral result.  The only way a file is audited.

    read (the reader the host picks) → parse → manifest overrides → enrich hooks
    (``auditor_document_parsed``) → check (JSON Schema) → rules → score → result

``auditor audit`` with one process, the workers of every executor, ``auditor parse``
(:func:`document_of`, which stops before the check: exactly what the rules see), the
testing helper and the benchmarks all call these functions.  ``settings`` is an
:class:`auditor.settings.Settings`; ``host`` the plugin host it describes.
"""
from __future__ import annotations

import json
import logging
import warnings
from contextlib import contextmanager
from pathlib import Path

from auditor.agencies import infer_level
from auditor.check import validate
from auditor.errors import InputError, PluginCrash
from auditor.layout import Layout
from auditor.parse import parse_layout
from auditor.read import read_bytes, read_file
from auditor.results import error_result, report_result
from auditor.rules.run import notify_parsed, run_rules
from auditor.score import deduct, rescore


def read_source(path: str | Path, settings, host, data: bytes | None = None) -> Layout:
    """The Layout of a file (its bytes given, or read from ``path``) by the reader the host's
    readers and the settings' engines pick.  What a reader's libraries warn about while reading
    (pdfminer's "Data-loss while decompressing corrupted data", say) becomes a note of the file's
    document instead of a line on the user's terminal."""
    if data is None:
        data = read_file(path)
    with _warnings_as_notes() as notes:
        layout = read_bytes(data, str(path), host.readers, settings.engines)
    layout.notes.extend(notes)
    return layout


class _NoteHandler(logging.Handler):
    def __init__(self, notes: list):
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        _note(self.notes, record.name, record.getMessage())


def _note(notes: list, source: str, message: str) -> None:
    note = {"code": "reader-warning", "message": f"{source}: {message}"}
    if note not in notes and len(notes) < 20:          # a broken file can warn thousands of times
        notes.append(note)


@contextmanager
def _warnings_as_notes():
    """Collect warnings (``warnings`` and WARNING log records of any library) while reading."""
    notes: list = []
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    root.handlers[:] = [_NoteHandler(notes)]
    root.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield notes
        for w in caught:
            _note(notes, w.category.__name__, str(w.message))
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)


def apply_overrides(doc: dict, metadata: dict, display: str | None = None) -> dict:
    """The manifest's agency and year win over the parser's; ``display`` is the path results
    show."""
    if display is not None:
        doc.setdefault("source", {})["path"] = display
    if metadata.get("agency"):
        doc["agency"] = metadata["agency"]
    if metadata.get("year"):
        doc["year"] = int(metadata["year"])
    return doc


def rule_metadata(metadata: dict, doc: dict | None) -> dict:
    """What rules get as ``ctx.metadata``: the manifest row, with the level guessed when absent."""
    meta = dict(metadata)
    if not meta.get("level") and doc is not None:
        level = infer_level(doc.get("agency"))
        if level:
            meta["level"] = level
            meta["level_inferred"] = True
    return meta


def prepare(doc: dict, host, metadata: dict | None = None, display: str | None = None) -> dict:
    """A parsed document made what the rules see: manifest overrides, then the plugins'
    ``auditor_document_parsed`` hooks (in place; returned for convenience)."""
    apply_overrides(doc, metadata or {}, display)
    notify_parsed(doc, host)
    return doc


def document_of(path: str | Path, settings, host, *, metadata: dict | None = None,
                data: bytes | None = None) -> dict:
    """The report document the rules see for a file (raises :class:`InputError`)."""
    doc = parse_layout(read_source(path, settings, host, data))
    return prepare(doc, host, metadata)


def schema_errors(doc: dict, host) -> list[dict]:
    """JSON Schema errors of ``doc`` against its own template (plugin templates included)."""
    extra = {t["template"]: t["schema"] for t in host.templates if t.get("schema")}
    return validate(doc, extra or None)


def audit_document(doc: dict, settings, host, *, path: str | None = None,
                   metadata: dict | None = None, history=None) -> dict:
    """check → rules → score: the result of a prepared document."""
    findings = run_rules(doc, settings, host, schema_errors=schema_errors(doc, host),
                         history=history, metadata=rule_metadata(metadata or {}, doc))
    deduct(findings, settings.rules)
    result = report_result(doc, path, [f.to_dict() for f in findings], 0.0, "", False)
    return rescore(result, settings.scoring, settings.waivers)


def internal_error(path: str, exc: BaseException) -> dict:
    """The result of a file the parser (or a reader) crashed on: a defect of the tool, or of
    the plugin whose reader it was (then named)."""
    if isinstance(exc, PluginCrash):
        return error_result(path, exc.text["zh"], exc.text["en"], "internal")
    what = f"{type(exc).__name__}: {exc}"
    return error_result(path, f"解析时发生内部错误（{what}），已跳过此文件",
                        f"internal error while parsing ({what}); file skipped", "internal")


def audit_source(path: str | Path, settings, host, *, metadata: dict | None = None,
                 display: str | None = None, data: bytes | None = None,
                 parsed: dict | None = None, snapshot: bool = False) -> dict:
    """Audit one file: ``{"result", "document", "parsed", "error"}``.  Nothing raises: an
    unreadable file is a result with an ``error``.

    ``parsed``: the parser's document when the caller has it cached (the file is then not
    read; the dict is changed in place).  With ``snapshot`` the outcome's ``parsed`` is the
    parser's document as JSON text, taken before overrides and hooks (what an extraction cache
    keeps).  ``document`` is what the rules saw; ``error`` the reader's or parser's error as
    ``{"zh", "en", "kind"}`` (``kind`` ``internal`` for a defect of the tool).
    """
    display = str(path) if display is None else display
    fresh = parsed is None
    if fresh:
        try:
            parsed = parse_layout(read_source(path, settings, host, data))
        except InputError as e:
            kind = getattr(e, "kind", "unreadable")
            return {"result": error_result(display, e.zh, e.en, kind), "document": None,
                    "parsed": None, "error": dict(e.text, kind=kind)}
        except Exception as e:  # noqa: BLE001 - a parser bug must not stop the run
            result = internal_error(display, e)
            return {"result": result, "document": None, "parsed": None,
                    "error": dict(result["error"], kind="internal")}
    text = json.dumps(parsed, ensure_ascii=False) if snapshot and fresh else None
    doc = prepare(parsed, host, metadata, display)
    return {"result": audit_document(doc, settings, host, path=display, metadata=metadata),
            "document": doc, "parsed": text, "error": None}
