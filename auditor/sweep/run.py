"""A sweep: audit many files through an executor, reuse the results store, run the cross-year rules.

    plan (:mod:`.plan`) ──executor (local processes | Dask | plugin)──▶ results ──store──▶
    cross-year (:mod:`.crossyear`) ──▶ run result (and scorecards, :mod:`.scorecard`)

1. **Plan** (parent): collect the files (every file is accounted for in the inventory), read
   each one's manifest row; with a store, reuse what it already answers.
2. **Audit** (executor): each task goes through :func:`auditor.sweep.work.work` — the pipeline —
   in this process or a worker.  The parent stores each result as it arrives, in its own
   transaction, so a killed sweep keeps everything finished.  Only the parent writes the store.
3. **Cross-year** (parent): :func:`auditor.sweep.crossyear.cross_year`; then the files of one
   report compared (:func:`auditor.sweep.versions.compare_copies`).

Results come back in the order of :func:`auditor.sweep.plan.collect_files`, whatever the
executor and the number of workers.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Callable, Iterable, Iterator

from auditor.agencies import agency_key
from auditor.errors import ConfigError
from auditor.i18n import pick, text
from auditor.read.ocr import IMAGE_SUFFIXES
from auditor.score import rescore
from auditor.sweep.crossyear import cross_year, load_doc
from auditor.sweep.executor import ExecutorOptions
from auditor.sweep.manifest import read_manifest
from auditor.sweep.plan import collect_files, parser_version, plan, tool_version
from auditor.sweep.store import (open_store, put_result, remember_expected, store_failures,
                                 update_history)
from auditor.sweep.versions import compare_copies
from auditor.sweep.work import work

DEFAULT_TIMEOUT = 300.0        # seconds per file in worker processes


# -- progress --------------------------------------------------------------------------

def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def progress_bar(total: int, lang: str = "zh", stream=None) -> Callable[[int, bool], None]:
    """A progress callback ``(done, final)`` drawing on ``stream`` (stderr) only if it is a terminal."""
    stream = stream or sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()) or total <= 0:
        return lambda done, final=False: None
    start = time.monotonic()
    last = [0.0]

    def update(done: int, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - last[0] < 0.1:
            return
        last[0] = now
        elapsed = max(now - start, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0
        width = 28
        filled = int(width * done / total)
        bar = "█" * filled + "░" * (width - filled)
        if lang == "en":
            text = f"{bar} {done}/{total}  {rate:.1f} files/s  ETA {_clock(left)}"
        else:
            text = f"{bar} {done}/{total}  {rate:.1f} 份/秒  剩余 {_clock(left)}"
        stream.write("\r" + text + ("\n" if final else ""))
        stream.flush()
    return update


# -- the sweep -------------------------------------------------------------------------

def _receiver(items: list[dict], conn, settings, tool: str) -> Callable:
    """``handle(task, result)``: fill the item in, store it at once (one transaction)."""

    def handle(task: dict, result: dict) -> None:
        it = items[task["index"]]
        entry = result["entry"]
        ok = not entry.get("error")
        packed = result.get("doc_z")
        stored = task.get("store", False) and not result.get("transient")   # the worker sent JSON
        doc_json = zlib.decompress(packed).decode("utf-8") if packed and stored else None
        agency = result.get("agency") if packed else None
        # keep the document (compressed) only when the store does not hold it (see load_doc)
        it.update(entry=entry, ok=ok, doc_z=None if stored else packed, history=None,
                  agency_key=agency_key(agency) if packed else None,
                  year=result.get("year") if packed else None)
        if stored:
            extract = None
            if "extracted" in result or "extract_error" in result:
                extracted = result.get("extracted")
                extract = (it["parser"], doc_json if extracted is True else extracted,
                           result.get("extract_error"))
            put_result(conn, rkey=it["rkey"], path=it["key"], sha256=it["sha"], config=settings.digest,
                       tool=tool, agency=agency, agency_key=it["agency_key"], year=it["year"],
                       metadata=it["metadata"], doc_json=doc_json, entry=entry, extract=extract,
                       stat=it["stat"])

    return handle


def pick_executor(host, name: str):
    """The registered executor called ``name``; a ConfigError naming the known ones."""
    for ex in host.executors:
        if ex.name == name:
            return ex
    known = ", ".join(e.name for e in host.executors)
    raise ConfigError(f"没有名为“{name}”的执行器；可用：{known}",
                      f"no executor named {name!r}; known: {known}")


def sweep(paths: Iterable[str | Path], settings, host, *, jobs: int = 1, db: str | None = None,
          manifest: str | None = None, timeout: float | None = None, progress: bool = True,
          stream=None, executor: str = "local", exclude: Iterable[str] = (),
          own: Iterable[str] = (), options: dict | None = None, documents: bool = False) -> dict:
    """Audit every report under ``paths``.

    Returns ``{"results": [results in file order], "inventory": [every file and its outcome],
    "interrupted": bool, "stats": {...}}``, and with ``documents`` the report documents the
    rules saw (``"documents"``: result path → document; for pages that draw the tables).
    Ctrl-C stops the sweep; what finished is in ``results`` (and in the store).
    """
    missing: list[dict] = []           # manifest rows whose file does not exist: expected reports
    meta = read_manifest(manifest, missing=missing) if manifest else None    # None: the store remembers it
    suffixes = {s for r in host.readers if r.ready() for s in r.suffixes}
    files, skipped = collect_files(paths, suffixes, exclude,
                                   own=[p for p in (db, manifest, *own) if p])
    if not files:
        if skipped:
            raise ConfigError(f"没有可审核的文件：找到的 {len(skipped)} 个文件都被跳过"
                              f"（例如 {skipped[0]['path']}：{pick(skipped[0]['reason'], 'zh')}）",
                              f"nothing to audit: all {len(skipped)} file(s) found were skipped "
                              f"(e.g. {skipped[0]['path']}: {pick(skipped[0]['reason'], 'en')})")
        raise ConfigError("没有找到文件", "no files found")
    run_with = pick_executor(host, executor)
    conn = open_store(db) if db else None
    with store_failures(db):
        try:
            out = _run(files, meta, conn, settings, host, run_with,
                       ExecutorOptions(jobs=max(1, jobs), timeout=timeout, extra=dict(options or {}),
                                        lang=settings.lang),
                       progress, stream, documents)
            if conn is not None and manifest:
                remember_expected(conn, missing)
        finally:
            if conn is not None:
                conn.close()
    out["inventory"] = inventory(out["results"], skipped) + [missing_row(m) for m in missing]
    return out


def missing_row(m: dict) -> dict:
    """The inventory row of a manifest row whose file does not exist (an expected report)."""
    return {"path": m["key"], "outcome": "missing", "agency": m.get("agency"), "year": m.get("year"),
            "reason": text("清单中列出但文件不存在（未发布）",
                           "listed in the manifest but the file does not exist (not published)")}


def inventory(results: list[dict], skipped: list[dict]) -> list[dict]:
    """Every file the sweep met, in path order: audited, refused (with the reader's reason and
    kind) or skipped (with why)."""
    rows = []
    for r in results:
        if r.get("error"):
            rows.append({"path": r["path"], "outcome": "refused", "kind": r.get("error_kind"),
                         "reason": r["error"]})
        else:
            rows.append({"path": r["path"], "outcome": "audited"})
    return sorted(rows + skipped, key=lambda r: r["path"])


def _run(files, meta, conn, settings, host, executor, options, progress, stream,
         documents: bool = False) -> dict:
    t0 = time.monotonic()
    tool, parser = tool_version(host), parser_version(host, settings.engines)
    items, tasks = plan(files, meta, conn, settings, tool, parser, host.readers)
    reused = len(items) - len(tasks)
    draw = progress_bar(len(items), settings.lang, stream) if progress else (lambda d, final=False: None)
    done = reused
    draw(done)
    handle = _receiver(items, conn, settings, tool)
    interrupted = False
    if tasks and not options.timeout and _in_workers(tasks, conn, executor, options):
        options = dataclasses.replace(options, timeout=DEFAULT_TIMEOUT)
    try:
        if tasks:
            with _closing(executor.run(tasks, functools.partial(work, settings=settings), options)) as pairs:
                for task, result in pairs:
                    handle(task, result)
                    done += 1
                    draw(done)
    except KeyboardInterrupt:
        interrupted = True
    draw(done, True)
    if not interrupted:
        cross_year(items, settings, host, conn)
        compare_copies(items, settings, host, conn)
        rewaive(items, settings, conn)
    finished = [it for it in items if "entry" in it]
    out = {"results": [it["entry"] for it in finished], "interrupted": interrupted,
           "stats": {"files": len(items), "reused": reused, "audited": len(finished) - reused,
                     "seconds": round(time.monotonic() - t0, 3)}}
    if documents:
        out["documents"] = {it["entry"].get("path"): load_doc(it, conn) for it in finished if it.get("ok")}
    return out


@contextlib.contextmanager
def _closing(pairs: Iterator):
    """An executor's results, closed however the loop over them ends (an error while storing a
    result, Ctrl-C): its workers are stopped now, not whenever the iterator is collected."""
    try:
        yield pairs
    finally:
        close = getattr(pairs, "close", None)
        if close is not None:
            close()


def _in_workers(tasks: list[dict], conn, executor, options) -> bool:
    """Do the files run in worker processes, each under the time limit?  Always with the Dask
    executor and with local ``-j N``; with one local job too, where a file that crashes or
    hangs native code (PDFium, the OCR engine) could cost more than that file — when there is
    a store in this process, or other files' results.  (The local executor runs one job
    without a time limit in this process, and with one in a worker process.)"""
    if executor.name != "local":
        return executor.name == "dask"
    if options.jobs > 1:
        return True
    native = any("doc" not in t and Path(t["path"]).suffix.lower() in NATIVE_SUFFIXES for t in tasks)
    return native and (conn is not None or len(tasks) > 1)


NATIVE_SUFFIXES = {".pdf", *IMAGE_SUFFIXES}     # read by PDFium / the OCR engine


def rewaive(items: list[dict], settings, conn=None) -> None:
    """Apply the waivers again to results taken from the store: a waiver that expired since
    they were stored no longer applies (today's date, not the day they were scored)."""
    updates = []
    for it in items:
        if not it.get("reused") or not it.get("ok"):
            continue
        entry = rescore(it["entry"], settings.scoring, settings.waivers)
        if entry != it["entry"]:
            it["entry"] = entry
            updates.append((it["rkey"], entry, it.get("history")))
    if conn is not None and updates:
        update_history(conn, updates)


def resolve_jobs(value: str | int | None) -> int:
    """``-j N`` or ``auto`` (= CPU count)."""
    if value in (None, "", 0, "0"):
        return 1
    if str(value).lower() == "auto":
        return os.cpu_count() or 1
    try:
        n = int(value)
    except ValueError:
        raise ConfigError(f"-j/--jobs 应为正整数或 auto，而不是“{value}”",
                          f"-j/--jobs must be a positive number or auto, not {value!r}") from None
    if n < 1:
        raise ConfigError("-j/--jobs 至少为 1", "-j/--jobs must be at least 1")
    return n
