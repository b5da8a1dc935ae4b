"""The worker pool of a sweep: worker processes, per-file time limits, crash isolation.

:func:`run_pool` runs the tasks the sweep's plan left (files to read, parse and
audit) in ``jobs`` worker processes and hands each result to the sweep as it
arrives.  A worker rebuilds the plugin host from the configuration dict, so
nothing unpicklable crosses.  A file that runs past its time limit, or whose
worker dies, gets an error entry; the pool is rebuilt and the rest go on.

Only :mod:`auditor.sweep` imports this module, and only when a sweep has work
for more than one process (or a time limit): a warm rerun or ``-j 1`` never
loads :mod:`multiprocessing`.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

MAX_TASKS_PER_CHILD = 250      # bound a worker's memory over long sweeps
POLL = 0.1

_WORKER: dict = {}


def _init_worker(config: dict, started) -> None:
    """Worker start-up: ignore Ctrl-C (the parent decides), rebuild the plugin host.  (The
    working folder and import path are the parent's as they are now, not as they were when the
    fork server started: multiprocessing sends them with every new process.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from auditor.rules.host import host_from_config
    _WORKER.update(config=config, host=host_from_config(config), started=started)


def _work(task: dict) -> dict:
    try:
        _WORKER["started"].put(task["index"])
    except Exception:  # noqa: BLE001 - the timer is a nicety
        pass
    from auditor.sweep import process_task
    return process_task(task, _WORKER["config"], _WORKER["host"])


# -- the pool --------------------------------------------------------------------------

def _timeout_result(task: dict, timeout: float, lang: str) -> dict:
    from auditor.rules.run import error_entry
    return {"index": task["index"], "transient": True, "entry": error_entry(
        task["display"], f"处理时间超过 {timeout:g} 秒，已跳过此文件（可用 --timeout 放宽时限）",
        f"took longer than {timeout:g} s and was skipped (raise --timeout to allow more)",
        lang, "timeout")}


def _crash_result(task: dict, lang: str, what: str = "") -> dict:
    from auditor.rules.run import error_entry
    return {"index": task["index"], "transient": True, "entry": error_entry(
        task["display"], f"处理此文件时工作进程意外退出（文件可能损坏，或内存不足）{what}，已跳过此文件",
        f"the worker process died while processing this file (a damaged file, or out of memory)"
        f"{what}; file skipped", lang, "crashed")}


def _kill_pool(ex: ProcessPoolExecutor) -> None:
    procs = list((getattr(ex, "_processes", None) or {}).values())
    for p in procs:
        if p.is_alive():
            p.kill()
    ex.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        p.join(timeout=5)


def _drain(started, started_at: dict) -> None:
    while True:
        try:
            started_at.setdefault(started.get_nowait(), time.monotonic())
        except (queue.Empty, OSError, EOFError, ValueError):
            return


# What every worker imports: a fork server imports it once and forks each worker from itself, so
# a worker starts in milliseconds instead of starting an interpreter and importing the tool
# (~0.2 s of CPU each, again whenever a worker is replaced).  Plugins are not preloaded: a
# plugin that fails to import must fail in a worker, where it is reported, not in the server.
# pdfminer (~0.2 s to import) only when the sweep has PDFs to read.
PRELOAD = ["auditor.sweep", "auditor.rules.run", "auditor.rules.host", "auditor.parse",
           "auditor.read.html", "auditor.read.text", "auditor.check"]
PRELOAD_PDF = ["auditor.read.pdf", "pdfminer.pdfinterp", "pdfminer.converter", "pdfminer.pdfpage",
               "pdfminer.layout"]


def _context(tasks: list[dict]):
    """A fork server where the platform has one (Linux, macOS), else fresh interpreters.  (The
    server starts with the first pool of the process and keeps its preloaded modules.)"""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    pdfs = any("doc" not in t and t["path"].lower().endswith(".pdf") for t in tasks)
    ctx.set_forkserver_preload(PRELOAD + (PRELOAD_PDF if pdfs else []))
    return ctx


def run_pool(tasks: list[dict], config: dict, jobs: int, timeout: float | None,
             handle: Callable[[dict, dict], None]) -> None:
    """Run ``tasks`` in worker processes; ``handle(task, result)`` gets each result as it comes.

    A task past ``timeout`` (counted from when a worker picked it up) gets a timeout
    error; the tasks beside it are requeued and the pool rebuilt.  When a worker dies,
    the tasks that were in flight become suspects and run again one at a time; a
    suspect that kills its worker alone gets a crash error.
    """
    ctx = _context(tasks)
    pending = deque(sorted(tasks, key=_expected_cost, reverse=True))
    suspects: set[int] = set()
    lang = config.get("lang", "zh")
    while pending:
        started = ctx.Queue()
        ex = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                 initargs=(config, started), max_tasks_per_child=MAX_TASKS_PER_CHILD)
        clean = False
        try:
            clean = _drive(ex, pending, started, jobs, timeout, handle, suspects, lang)
        finally:
            if clean:
                ex.shutdown(wait=True)
            else:
                _kill_pool(ex)
            started.close()
            started.cancel_join_thread()


def _expected_cost(task: dict) -> tuple:
    """Longest first, so no long PDF is left to run alone at the end of a sweep: PDFs, then by
    size; a task whose document is already cached only reruns the rules."""
    if "doc" in task:
        return (0, 0)
    try:
        size = os.path.getsize(task["path"])
    except OSError:
        size = 0
    return (2 if task["path"].lower().endswith(".pdf") else 1, size)


def _drive(ex, pending: deque, started, jobs: int, timeout: float | None, handle,
           suspects: set[int], lang: str) -> bool:
    """Feed one pool until the work is done (True) or the pool must be rebuilt (False)."""
    inflight: dict = {}
    started_at: dict = {}
    while pending or inflight:
        broken = _submit(ex, pending, inflight, jobs, suspects)
        if not broken:
            done, _ = wait(list(inflight), timeout=POLL, return_when=FIRST_COMPLETED)
            _drain(started, started_at)
            for fut in done:
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
                    result = _crash_result(inflight[fut], lang, f"（{type(e).__name__}: {e}）")
                handle(inflight.pop(fut), result)
        if broken:
            _requeue_broken(inflight, pending, suspects, handle, lang)
            return False
        if timeout:
            now = time.monotonic()
            expired = [f for f, t in inflight.items()
                       if t["index"] in started_at and now - started_at[t["index"]] > timeout]
            if expired:
                for f in expired:
                    t = inflight.pop(f)
                    handle(t, _timeout_result(t, timeout, lang))
                pending.extendleft(reversed(list(inflight.values())))
                return False
    return True


def _submit(ex, pending: deque, inflight: dict, jobs: int, suspects: set[int]) -> bool:
    """Top up the pool; a suspect runs alone.  True when the pool turned out broken.

    Two tasks per worker are kept in flight, so a worker never waits while the main process
    handles the result it just sent."""
    solo = any(t["index"] in suspects for t in inflight.values())
    while pending and not solo and len(inflight) < 2 * jobs:
        t = pending[0]
        if t["index"] in suspects and inflight:
            break
        try:
            fut = ex.submit(_work, t)
        except BrokenProcessPool:
            return True
        pending.popleft()
        inflight[fut] = t
        solo = t["index"] in suspects
    return False


def _requeue_broken(inflight: dict, pending: deque, suspects: set[int], handle, lang: str) -> None:
    again = []
    for fut, t in inflight.items():
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            handle(t, fut.result())
        elif t["index"] in suspects:
            handle(t, _crash_result(t, lang))
        else:
            suspects.add(t["index"])
            again.append(t)
    inflight.clear()
    pending.extendleft(reversed(again))
