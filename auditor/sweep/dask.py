"""The Dask executor: a sweep's tasks on a Dask cluster (``--executor dask [--scheduler ADDRESS]``).

Without ``--scheduler`` a local cluster of ``-j N`` single-threaded worker processes is started
for the sweep and closed after it; with it, the sweep runs on the cluster behind that scheduler
(``tcp://10.0.0.5:8786``).  The workers run the same work function as local processes — the
pipeline with the frozen settings, each worker building its plugin host once from them — and
send results back; only the driver (the sweep's receiver) writes the store.

- **Files** travel by path (absolute, so workers need the same file system at the same place),
  or as bytes with ``--ship-files``.  Tasks already answered by the extraction cache send the
  cached document and no file.
- **Tasks** go largest first, in batches: a file of :data:`LARGE` bytes or more is a task of
  its own, smaller ones share a task (at most 32 small files or 4 PDFs, and small enough that
  every worker thread gets several), so 300,000 small reports are not 300,000 scheduler tasks.
  Only a window of batches is in flight at a time: the driver never holds the whole sweep's
  futures (or, with ``--ship-files``, its bytes).
- **Faults**: when a worker dies the scheduler runs its tasks elsewhere.  A task that killed
  the scheduler's ``allowed-failures`` + 1 workers comes back as ``KilledWorker``: a batch is
  split into one task per file, and a single file gets :func:`crash_result`, so a file that
  kills every worker is tried a bounded number of times.  A batch that fails as a whole (the
  scheduler or a worker cannot unpickle it: another environment) stops the sweep with a
  one-line error; what was received is kept.  A file past the time limit gets
  :func:`timeout_result`, the rest of its batch goes on, and the worker is restarted (through
  its nanny) to stop the stray thread.
- **Ctrl-C** cancels the tasks on the cluster; results already received are kept.
- **Programs the workers start** (LibreOffice, in a session of its own) do not outlive them:
  each worker marks what it starts with the sweep's mark and its own name
  (:mod:`auditor.sweep.strays`); a worker restarted past the time limit first stops what its
  predecessor started, and at the end of the sweep the driver stops whatever still bears the
  sweep's mark on its own machine (a local cluster's workers are all there).

``distributed`` is imported inside :func:`run_dask`: registering the executor costs nothing,
and without the ``dask`` extra choosing it is a one-line error naming the extra.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from auditor.errors import ConfigError
from auditor.hookspecs import hookimpl
from auditor.sweep.executor import (Executor, ExecutorOptions, crash_result, expected_cost,
                                    timeout_result)
from auditor.sweep.local import preload
from auditor.sweep.strays import mark_this_process, new_mark, stop_marked

LARGE = 2_000_000        # bytes: a file this large is a task of its own
MAX_BATCH = 32           # units per task at most (a file; a PDF counts PDF_UNITS)
PDF_UNITS = 8
SHARES = 8               # batches per worker thread at least (while MAX_BATCH allows)
LOCAL_TRIES = 3          # a local cluster's tasks: a task that killed this many workers fails
CONNECT_TIMEOUT = 20     # seconds to reach a scheduler
# Worker settings for a sweep of batches, where Dask's defaults suit interactive work.  A local
# cluster uses them; docs/scale.md gives them (:func:`worker_config`) for a cluster of your own.
# - Dask's nanny starts a worker with MALLOC_TRIM_THRESHOLD_=65536: glibc then returns memory at
#   every chance and asks for it again, and reading a PDF costs 25-40% more CPU (20 times the
#   page faults).  None: glibc's adaptive thresholds, as in a local worker process.
# - Housekeeping costs two idle workers and their scheduler about 13% of a core: a stack sample
#   of the running task every 10 ms (the dashboard's profile), an event-loop health check every
#   20 ms in every process, host metrics every 0.5 s, a memory check every 0.1 s.  Here: no
#   profile, the others 4-25 times less often (a blocked event loop is still reported after
#   3 s, a worker over its memory limit still stopped); about 1.5% of a core.
WORKER_SETTINGS = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                   "distributed.worker.profile.enabled": False,
                   "distributed.admin.tick.interval": "500ms",
                   "distributed.admin.system-monitor.interval": "2s",
                   "distributed.worker.memory.monitor-interval": "1s"}
EXTRA = "pip install 'disclosure-auditor[dask]'"


def worker_config() -> dict:
    """:data:`WORKER_SETTINGS` as nested mappings: the contents of a Dask configuration file."""
    out: dict = {}
    for dotted, value in WORKER_SETTINGS.items():
        *path, last = dotted.split(".")
        node = out
        for key in path:
            node = node.setdefault(key, {})
        node[last] = value
    return out


# -- on a worker -----------------------------------------------------------------------

def dask_setup(worker) -> None:
    """A local cluster's worker start-up (this module is its preload): ignore Ctrl-C, which the
    terminal sends to every process of the sweep — the driver decides, and cancels the tasks."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:           # not the main thread: nothing to undo
        pass


def run_batch(work: Callable[[dict], dict], tasks: list[dict], timeout: float | None,
              mark: str | None = None) -> dict:
    """Run a batch on a worker, file by file: ``{"results": [one per task], "stuck": address or
    None}``.  Each file runs in a thread given ``timeout`` seconds; one that overruns gets a
    timeout result and is left behind (``stuck`` names the worker, which the driver restarts).
    ``mark``: the sweep's, for the programs the files' readers start (:func:`_mark_worker`)."""
    if mark:
        _mark_worker(mark, _worker_name())
    results, stuck = [], None
    for task in tasks:
        box: dict = {}
        thread = threading.Thread(target=_attempt, args=(work, task, box), daemon=True,
                                  name=f"auditor-{task['index']}")
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            results.append(timeout_result(task, timeout))
            stuck = _worker_address()
        else:
            results.append(box["result"])
    return {"results": results, "stuck": stuck}


def _attempt(work: Callable[[dict], dict], task: dict, box: dict) -> None:
    try:
        box["result"] = work(task)
    except Exception as e:  # noqa: BLE001 - a defect of the tool: that file's error, not the batch's
        box["result"] = crash_result(task, f"（{type(e).__name__}: {e}）")


_marking = threading.Lock()
_worker_mark: str | None = None     # this worker process's mark, once set


def _mark_worker(sweep_mark: str, name: str) -> None:
    """Mark the programs this worker process starts from now on with the sweep's mark and the
    worker's ``name`` — the same for a worker its nanny restarted, and for no other worker of the
    sweep — and first stop those that a previous process of this worker left (restarted past
    the time limit, it could not)."""
    global _worker_mark
    mark = f"{sweep_mark}.{name}"
    with _marking:
        if _worker_mark == mark:
            return
        stop_marked(mark)
        mark_this_process(mark)
        _worker_mark = mark


def _this_worker():
    """The Dask worker this runs on, or None (called outside a worker)."""
    try:
        from distributed import get_worker   # already imported: this runs on a Dask worker
        return get_worker()
    except (ImportError, ValueError):
        return None


def _worker_name() -> str:
    worker = _this_worker()
    return str(worker.name) if worker is not None else str(os.getpid())


def _worker_address() -> str | None:
    worker = _this_worker()
    return worker.address if worker is not None else None


# -- on the driver ---------------------------------------------------------------------

def run_dask(tasks: list[dict], work: Callable[[dict], dict], options: ExecutorOptions
             ) -> Iterator[tuple[dict, dict]]:
    """Run ``tasks`` on a Dask cluster (see the module), yielding ``(task, result)`` as batches
    finish; each task exactly once."""
    # a local cluster's fork server starts first, importing the tool and Dask on the other core
    # while this process imports Dask
    forks = {} if options.extra.get("scheduler") else _forkserver(tasks)
    distributed = _import_distributed()
    client, cluster = _connect(distributed, options, forks)
    mark = new_mark()
    try:
        _announce(client, options.lang)
        yield from _drive(client, distributed, tasks, work, options, mark)
    finally:
        try:
            _close(client, cluster)
        finally:
            stop_marked(mark + ".", prefix=True)     # what the workers on this machine left


def _import_distributed():
    try:
        import distributed       # the extra, and ~0.5 s to import: only when the executor runs
    except ImportError:
        raise ConfigError(f"--executor dask 需要 Dask：{EXTRA}",
                          f"--executor dask needs Dask: {EXTRA}") from None
    return distributed


def _connect(distributed, options: ExecutorOptions, forks: dict):
    """(client, cluster): a client of the scheduler at ``--scheduler``, or of a new local cluster
    of ``-j`` worker processes, started as ``forks`` says (``cluster`` is None for a scheduler
    given)."""
    address = options.extra.get("scheduler")
    if address:
        try:
            return distributed.Client(address, timeout=options.extra.get("connect_timeout", CONNECT_TIMEOUT),
                                      set_as_default=False), None
        except (OSError, TimeoutError, ValueError) as e:
            raise ConfigError(f"无法连接 Dask 调度器 {address}：{e}",
                              f"cannot reach the Dask scheduler at {address}: {e}") from None
    import logging               # ~4 ms at every start otherwise; only a local cluster needs it
    import dask                  # with distributed: only when the executor runs
    # one task at a time on each single-threaded worker: a worker's death implicates only the
    # file it was running, so an innocent file is not counted against its tries
    config = {**WORKER_SETTINGS, "distributed.scheduler.allowed-failures": LOCAL_TRIES - 1,
              "distributed.scheduler.worker-saturation": 1.0,
              "distributed.worker.preload": [__name__]}
    config.update(forks)
    with dask.config.set(config):
        cluster = distributed.LocalCluster(n_workers=max(1, options.jobs), threads_per_worker=1,
                                           processes=True, dashboard_address=":0",
                                           silence_logs=logging.CRITICAL)
    try:
        return distributed.Client(cluster, set_as_default=False), cluster
    except BaseException:
        cluster.close()
        raise


def _forkserver(tasks: list[dict]) -> dict:
    """Worker processes forked from a fork server that has imported the tool and Dask (as the
    local executor's): they start in a fraction of the time, and the cluster closes at once."""
    import multiprocessing as mp
    if "forkserver" not in mp.get_all_start_methods():
        return {}
    mp.get_context("forkserver").set_forkserver_preload(["distributed"] + preload(tasks))
    from multiprocessing import forkserver
    forkserver.ensure_running()        # now: it imports in parallel with this process
    return {"distributed.worker.multiprocessing-method": "forkserver"}


def _announce(client, lang: str) -> None:
    """The dashboard's address on stderr, when the scheduler has one."""
    try:
        link = client.dashboard_link if client.scheduler_info().get("services", {}).get("dashboard") else None
    except Exception:  # noqa: BLE001 - the dashboard is a nicety
        link = None
    if link:
        print(f"auditor: Dask dashboard: {link}" if lang == "en" else f"auditor: Dask 仪表板：{link}",
              file=sys.stderr, flush=True)


def _close(client, cluster) -> None:
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()


def batches(tasks: list[dict], threads: int) -> list[list[dict]]:
    """Tasks largest first, in batches: a file of :data:`LARGE` bytes or more alone, smaller ones
    together — up to :data:`MAX_BATCH` units, and at most 1/:data:`SHARES` of the sweep's units
    per worker thread, so the end of the sweep is shared out.  A PDF (pages to lay out) counts
    :data:`PDF_UNITS`, any other file (or a cached document) one."""
    costs = sorted(((expected_cost(t), t) for t in tasks), key=lambda c: c[0], reverse=True)
    units = sum(PDF_UNITS if kind == 2 else 1 for (kind, _), _ in costs)
    size = max(1, min(MAX_BATCH, units // (SHARES * max(1, threads))))
    out: list[list[dict]] = []
    current: list[dict] = []
    filled = 0
    for (kind, nbytes), task in costs:
        if nbytes >= LARGE:
            out.append([task])
            continue
        unit = PDF_UNITS if kind == 2 else 1
        if current and filled + unit > size:
            out.append(current)
            current, filled = [], 0
        current.append(task)
        filled += unit
    if current:
        out.append(current)
    return out


def shipped(task: dict, ship_files: bool) -> dict:
    """The task as a worker gets it: the file's bytes with ``--ship-files``, else its absolute
    path (a worker's working folder is its own).  A cached document needs neither."""
    out = dict(task)
    if "doc" in task or "error" in task:
        return out
    if ship_files:
        try:
            out["data"] = Path(task["path"]).read_bytes()
        except OSError:
            pass                     # the worker reports the file as unreadable
    else:
        out["path"] = os.path.abspath(task["path"])
    return out


def _threads(client) -> Callable[[], int]:
    """The cluster's worker threads, asked of the scheduler at most once a second (a cluster
    grows and shrinks, but a question per finished batch is a round trip per batch)."""
    known = {"at": float("-inf"), "threads": 1}

    def threads() -> int:
        now = time.monotonic()
        if now - known["at"] >= 1.0:
            known.update(at=now, threads=max(1, sum(client.nthreads().values())))
        return known["threads"]
    return threads


def _drive(client, distributed, tasks: list[dict], work: Callable[[dict], dict],
           options: ExecutorOptions, mark: str) -> Iterator[tuple[dict, dict]]:
    """Keep a window of batches in flight (two per worker thread), yield results as they come."""
    ship = bool(options.extra.get("ship_files"))
    threads = _threads(client)
    pending = deque(batches(tasks, threads()))
    inflight: dict = {}
    done = distributed.as_completed(loop=client.loop)
    order = [0]

    def top_up() -> None:
        window = 2 * threads() + 1
        while pending and len(inflight) < window:
            batch = pending.popleft()
            order[0] += 1
            fut = client.submit(run_batch, work, [shipped(t, ship) for t in batch], options.timeout,
                                mark, pure=False, priority=-order[0])
            inflight[fut] = batch
            done.add(fut)

    try:
        top_up()
        for fut in done:
            batch = inflight.pop(fut, None)
            if batch is None:            # reported again after being recomputed
                continue
            yield from _finished(client, distributed, fut, batch, pending)
            fut.release()
            top_up()
    finally:
        if inflight:
            client.cancel(list(inflight), force=True)


def _finished(client, distributed, fut, batch: list[dict], pending: deque
              ) -> Iterator[tuple[dict, dict]]:
    """The results of one finished batch; a batch that killed its workers is split up.  (A
    result lost with its worker since it finished is computed again: ``result()`` waits.)"""
    try:
        out = fut.result()
    except distributed.KilledWorker:
        if len(batch) > 1:
            pending.extendleft([t] for t in reversed(batch))
        else:
            yield batch[0], crash_result(batch[0])
        return
    except Exception as error:  # noqa: BLE001 - run_batch answers for each file: this is the cluster
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise ConfigError(f"Dask 集群无法运行审核任务（{type(error).__name__}: {first}）："
                          "调度器和工作进程需安装相同版本的 disclosure-auditor 及插件",
                          f"the Dask cluster cannot run the audit's tasks ({type(error).__name__}: "
                          f"{first}): the scheduler and workers need the same disclosure-auditor "
                          "and plugins") from None
    yield from zip(batch, out["results"])
    if out["stuck"]:
        try:
            client.restart_workers([out["stuck"]], raise_for_error=False)
        except Exception:  # noqa: BLE001 - a worker without a nanny cannot be restarted
            pass


DASK = Executor("dask", run_dask, "Dask 集群（--scheduler ADDRESS；默认本机）/ a Dask cluster "
                "(--scheduler ADDRESS; default: a local one)")


@hookimpl
def auditor_register_executors() -> list[Executor]:
    return [DASK]
