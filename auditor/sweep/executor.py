"""The executor interface of sweeps, and the results an executor gives for a file it could not finish.

An :class:`Executor` runs the sweep's tasks — plain dicts, see :mod:`auditor.sweep.work` —
through a work function (``work(task) -> result``, picklable, top-level) and yields
``(task, result)`` pairs as they finish, in any order.  The local executor
(:mod:`auditor.sweep.local`) is built in; others (Dask, a plugin's) register on the
``auditor_register_executors`` hook and are chosen with ``--executor NAME``.

What every executor promises: each task is yielded exactly once — with the work's result, or
with :func:`timeout_result` / :func:`crash_result` when the file ran past the time limit or
killed its worker — and Ctrl-C (``KeyboardInterrupt``) stops it with nothing left running.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Iterator

from auditor.results import error_result


@dataclass(frozen=True)
class ExecutorOptions:
    """What the command line says about running: workers, per-file time limit (None: no limit),
    executor-specific settings (``--scheduler`` …) and the language of messages on stderr."""
    jobs: int = 1
    timeout: float | None = None
    extra: dict = field(default_factory=dict)
    lang: str = "zh"


@dataclass(frozen=True)
class Executor:
    """``run(tasks, work, options)`` yields ``(task, result)`` pairs as tasks finish."""
    name: str
    run: Callable[[list, Callable[[dict], dict], ExecutorOptions], Iterator[tuple[dict, dict]]]
    description: str = ""
    plugin: str = ""


def expected_cost(task: dict) -> tuple:
    """Longest first, so no long PDF is left to run alone at the end of a sweep: PDFs, then by
    size; a task whose document is already cached only reruns the rules."""
    if "doc" in task:
        return (0, 0)
    try:
        size = os.path.getsize(task["path"])
    except OSError:
        size = 0
    return (2 if task["path"].lower().endswith(".pdf") else 1, size)


def timeout_result(task: dict, timeout: float) -> dict:
    return {"index": task["index"], "transient": True, "entry": error_result(
        task["display"], f"处理时间超过 {timeout:g} 秒，已跳过此文件（可用 --timeout 放宽时限）",
        f"took longer than {timeout:g} s and was skipped (raise --timeout to allow more)", "timeout")}


def crash_result(task: dict, what: str = "") -> dict:
    return {"index": task["index"], "transient": True, "entry": error_result(
        task["display"], f"处理此文件时工作进程意外退出（文件可能损坏，或内存不足）{what}，已跳过此文件",
        f"the worker process died while processing this file (a damaged file, or out of memory)"
        f"{what}; file skipped", "crashed")}
