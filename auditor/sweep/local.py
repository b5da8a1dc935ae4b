"""The local executor: the sweep's tasks in this process (``-j 1``) or in worker processes.

With more than one job (or a time limit) the tasks run in worker processes with per-file time
limits and crash isolation: a file that runs past its time limit, or whose worker dies, gets an
error result; the pool is rebuilt and the rest go on.  A worker receives the work function
(the pipeline and the frozen settings) once, when it starts; nothing unpicklable crosses.

Nothing a sweep's workers start outlives the sweep: the workers' temporary files go to one
folder removed at the end, and the programs they start (LibreOffice) carry a mark that finds
them when their worker was killed (:mod:`auditor.sweep.strays`).  The fork server and the
workers ignore Ctrl-C from their first instant: the parent decides.

:mod:`multiprocessing` is imported only when a sweep has work for processes: a warm rerun or
``-j 1`` never loads it.
"""
from __future__ import annotations

import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterator

from auditor.hookspecs import hookimpl
from auditor.sweep.executor import (Executor, ExecutorOptions, crash_result, expected_cost,
                                    timeout_result)
from auditor.sweep.strays import mark_this_process, new_mark, stop_marked

MAX_TASKS_PER_CHILD = 250      # bound a worker's memory over long sweeps
POLL = 0.1

_WORKER: dict = {}


def _init_worker(work: Callable[[dict], dict], started, mark: str, scratch: str) -> None:
    """Worker start-up: ignore Ctrl-C (the parent decides), keep the work function, mark the
    programs it will start, keep temporary files in the sweep's ``scratch`` folder.  (The
    working folder and import path are the parent's as they are now, not as they were when the
    fork server started: multiprocessing sends them with every new process.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    mark_this_process(mark)
    os.environ["TMPDIR"] = tempfile.tempdir = scratch
    _WORKER.update(work=work, started=started)


def _work(task: dict) -> dict:
    try:
        _WORKER["started"].put(task["index"])
    except Exception:  # noqa: BLE001 - the timer is a nicety
        pass
    return _WORKER["work"](task)


# -- the pool --------------------------------------------------------------------------

def _kill_pool(ex) -> None:
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
PRELOAD = ["auditor.sweep.work", "auditor.pipeline", "auditor.rules.host", "auditor.parse",
           "auditor.read.html", "auditor.read.text", "auditor.check"]
PRELOAD_PDF = ["auditor.read.pdflayout", "auditor.read.pdfium", "pypdfium2",
               "auditor.read.pdf", "pdfminer.pdfinterp", "pdfminer.converter", "pdfminer.pdfpage",
               "pdfminer.layout"]


def _context(tasks: list[dict]):
    """A fork server where the platform has one (Linux, macOS), else fresh interpreters.  (The
    server starts with the first pool of the process and keeps its preloaded modules.)"""
    import multiprocessing as mp
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(preload(tasks))
    _start_server_deaf_to_ctrl_c()
    return ctx


def _start_server_deaf_to_ctrl_c() -> None:
    """Start the fork server (and multiprocessing's resource tracker) with Ctrl-C ignored, a
    disposition they and the workers forked from the server keep: a Ctrl-C while the server
    imports the tool would otherwise print its traceback on the user's terminal.  (Only the
    main thread may change a signal's handler; elsewhere the server starts as it would.)"""
    if threading.current_thread() is not threading.main_thread():
        return
    from multiprocessing import forkserver
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def preload(tasks: list[dict]) -> list[str]:
    """What a fork server for ``tasks`` imports: :data:`PRELOAD`, and pdfminer if there are PDFs
    to read."""
    pdfs = any("doc" not in t and t["path"].lower().endswith(".pdf") for t in tasks)
    return PRELOAD + (PRELOAD_PDF if pdfs else [])


def run_local(tasks: list[dict], work: Callable[[dict], dict], options: ExecutorOptions
              ) -> Iterator[tuple[dict, dict]]:
    """The local executor: in this process for one job without a time limit, else
    :func:`run_pool`."""
    if options.jobs <= 1 and not options.timeout:
        for t in tasks:
            yield t, work(t)
    else:
        yield from run_pool(tasks, work, max(1, options.jobs), options.timeout)


def run_pool(tasks: list[dict], work: Callable[[dict], dict], jobs: int, timeout: float | None
             ) -> Iterator[tuple[dict, dict]]:
    """Run ``tasks`` in worker processes, yielding ``(task, result)`` as results come.

    A task past ``timeout`` (counted from when a worker picked it up) gets a timeout
    error; the tasks beside it are requeued and the pool rebuilt.  When a worker dies,
    the tasks that were in flight become suspects and run again one at a time; a
    suspect that kills its worker alone gets a crash error.
    """
    from concurrent.futures import ProcessPoolExecutor
    ctx = _context(tasks)
    pending = deque(sorted(tasks, key=expected_cost, reverse=True))
    suspects: set[int] = set()
    mark, scratch = new_mark(), _scratch()
    try:
        while pending:
            started = ctx.Queue()
            ex = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_worker,
                                     initargs=(work, started, mark, scratch),
                                     max_tasks_per_child=MAX_TASKS_PER_CHILD)
            state = {"clean": False}
            try:
                yield from _drive(ex, pending, started, jobs, timeout, suspects, state)
            finally:
                if state["clean"]:
                    ex.shutdown(wait=True)
                else:
                    _kill_pool(ex)
                stop_marked(mark)         # what killed workers started (LibreOffice) goes with them
                started.close()
                started.cancel_join_thread()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


SCRATCH = "auditor-sweep-"


def _scratch() -> str:
    """A new folder for the temporary files of a sweep's workers, named after this machine and
    process; the folders of sweeps on this machine whose process is gone (killed with -9, so
    never removed) are removed first."""
    base, host = tempfile.gettempdir(), os.uname().nodename if hasattr(os, "uname") else "here"
    mine = f"{SCRATCH}{host}-"
    for name in os.listdir(base):
        pid = name[len(mine):].split("-")[0] if name.startswith(mine) else ""
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{mine}{os.getpid()}-")


def _alive(pid: int) -> bool:
    """Is process ``pid`` running (not ended, nor ended and waiting to be collected)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:               # another user's process
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def _drive(ex, pending: deque, started, jobs: int, timeout: float | None, suspects: set[int],
           state: dict) -> Iterator[tuple[dict, dict]]:
    """Feed one pool until the work is done (``state["clean"]``) or the pool must be rebuilt."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool
    inflight: dict = {}
    started_at: dict = {}
    while pending or inflight:
        with _ctrl_c_deferred():
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
                    result = crash_result(inflight[fut], f"（{type(e).__name__}: {e}）")
                yield inflight.pop(fut), result
        if broken:
            yield from _requeue_broken(inflight, pending, suspects)
            return
        if timeout:
            now = time.monotonic()
            expired = [f for f, t in inflight.items()
                       if t["index"] in started_at and now - started_at[t["index"]] > timeout]
            if expired:
                for f in expired:
                    t = inflight.pop(f)
                    yield t, timeout_result(t, timeout)
                pending.extendleft(reversed(list(inflight.values())))
                return
    state["clean"] = True


@contextmanager
def _ctrl_c_deferred():
    """Hold Ctrl-C back while tasks are submitted: submitting starts workers, and a worker
    whose start Ctrl-C cut in half would read what the stopped pool already removed, and print
    a traceback.  The held signal lands as soon as the submission is done."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    block(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        block(signal.SIG_UNBLOCK, {signal.SIGINT})


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
        except RuntimeError:             # BrokenProcessPool, or a pool already shut down
            return True
        pending.popleft()
        inflight[fut] = t
        solo = t["index"] in suspects
    return False


def _requeue_broken(inflight: dict, pending: deque, suspects: set[int]
                    ) -> Iterator[tuple[dict, dict]]:
    again = []
    for fut, t in inflight.items():
        if fut.done() and not fut.cancelled() and fut.exception() is None:
            yield t, fut.result()
        elif t["index"] in suspects:
            yield t, crash_result(t)
        else:
            suspects.add(t["index"])
            again.append(t)
    inflight.clear()
    pending.extendleft(reversed(again))


def stop_helpers() -> None:
    """Stop the fork server and the resource tracker multiprocessing started for the pools, and
    wait for them, so no process of a sweep outlives the command (they would otherwise end a
    moment after it).  Only the command line calls this: a library caller may sweep again.

    The fork server only forks: it is ended with SIGTERM rather than left to tear its modules
    down one by one (0.1 s with the tool's, 0.4 s with Dask's).  The resource tracker stops
    normally: on its way out it removes what a worker left behind."""
    import sys
    server = getattr(sys.modules.get("multiprocessing.forkserver"), "_forkserver", None)
    if getattr(server, "_forkserver_pid", None):
        try:
            os.kill(server._forkserver_pid, signal.SIGTERM)
        except OSError:
            pass
    for module, attr, pid in (("multiprocessing.forkserver", "_forkserver", "_forkserver_pid"),
                              ("multiprocessing.resource_tracker", "_resource_tracker", "_pid")):
        helper = getattr(sys.modules.get(module), attr, None)
        stop = getattr(helper, "_stop", None)       # private, stable since Python 3.8
        if stop is not None and getattr(helper, pid, None):
            try:
                stop()
            except (OSError, ChildProcessError):
                pass


LOCAL = Executor("local", run_local, "本机的进程（-j N）/ processes on this machine (-j N)")


@hookimpl
def auditor_register_executors() -> list[Executor]:
    return [LOCAL]
