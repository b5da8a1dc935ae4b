#!/usr/bin/env python
"""Performance benchmarks for disclosure-auditor (issue 6).  Prints figures, asserts nothing.

    python benchmarks/run.py                 # the full set (several minutes on 2 cores)
    python benchmarks/run.py --quick         # smaller corpus, fewer repeats (about a minute)
    python benchmarks/run.py --reports 200 --repeat 5 --only pdf,text

Every measurement runs in a fresh child process (``run.py --child TASK``), so one
measurement's imports, caches or memory never leak into the next.  The corpus is
generated into a temporary folder from the project's own test generators (see
``corpus.py``).  Each figure is the median of ``--repeat`` runs.

Figures and targets:

pdf-ratio     cold audit of a PDF (read, parse, validate, rules, score) ÷ pdfminer.six's own
              ``extract_pages(path, laparams=LAParams())`` fully iterated, same files, same
              process, alternating; median over files of each file's median   ≤ 1.2
text/markdown/html  reports per second on one core, parse and audit (in-process)     ≥ 100
warm-speedup  ``auditor audit DIR --db F`` cold ÷ the same command again (warm)      ≥ 50
j2-speedup    ``auditor audit DIR -j 1`` ÷ ``-j 2`` on the sweep corpus               ≥ 1.8
peak-60p      peak RSS (VmHWM) of ``auditor audit`` on a 60-page PDF                  < 200 MB
rss-growth    RSS growth of one worker from report 100 to report N of an N-report sweep  < 10 MB
startup       ``auditor --help`` and ``auditor rules``, wall time                    < 0.3 s
dask          ``--executor dask --scheduler ADDRESS`` (a scheduler and two workers already
              running on 127.0.0.1) ÷ local ``-j 2``, same corpus, interleaved            ≤ 1.15
              ``--executor dask -j 2`` (its own local cluster, start-up included) ÷ local ``-j 2``
              (reference), and the driver's RSS growth along a 2,000-report sweep,
              Dask − local                                                              < 5 MB
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)


# =============================================================================
# Child tasks (run in a fresh process; print one JSON object on the last line)
# =============================================================================

def _host():
    from auditor import settings as C
    settings, host = C.load(None, cwd=tempfile.gettempdir())
    return settings, host


def audit_file(path, settings, host) -> dict:
    """One file through the pipeline, as every run audits it."""
    from auditor.pipeline import audit_source
    return audit_source(path, settings, host)["result"]


def _walk(obj) -> int:
    n = 1
    try:
        for child in obj:
            n += _walk(child)
    except TypeError:
        pass
    return n


def child_pdf(files: list[str], repeat: int) -> dict:
    """Per file: median seconds of pdfminer extract_pages(LAParams()) and of a cold audit."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams

    cfg, host = _host()

    clock = time.process_time            # CPU time: robust against other load on the machine

    def miner(path):
        t = clock()
        for page in extract_pages(path, laparams=LAParams()):
            _walk(page)
        return clock() - t

    def audit(path):
        t = clock()
        entry = audit_file(path, cfg, host)
        dt = clock() - t
        if entry.get("error"):
            raise SystemExit(f"{path}: {entry['error']}")
        return dt

    out = {}
    for path in files:
        miner(path), audit(path)                      # warm-up: imports, CMaps, fonts
        m, a = [], []
        for k in range(repeat):                       # alternate, so drift hits both
            if k % 2:
                a.append(audit(path)); m.append(miner(path))
            else:
                m.append(miner(path)); a.append(audit(path))
        out[path] = {"pdfminer": statistics.median(m), "audit": statistics.median(a)}
    return out


def child_throughput(files: list[str]) -> dict:
    """Seconds to read, parse and audit every file once, in this process (host loaded before)."""
    cfg, host = _host()
    audit_file(files[0], cfg, host)                   # warm-up: lazy imports, schema
    t, c = time.perf_counter(), time.process_time()
    for f in files:
        entry = audit_file(f, cfg, host)
        if entry.get("error"):
            raise SystemExit(f"{f}: {entry['error']}")
    return {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, "n": len(files)}


def _rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child_rss(files: list[str]) -> dict:
    """A worker's resident memory along a sweep: after report 100 and after the last."""
    import gc
    cfg, host = _host()
    marks = {}
    for k, f in enumerate(files, start=1):
        audit_file(f, cfg, host)
        if k == min(100, len(files)) or k == len(files) or k % 250 == 0:
            gc.collect()
            marks[k] = _rss_kb()
    return {"marks": marks}


def _burn(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def child_burn(n: int) -> dict:
    """What two processes get out of this machine: a pure-Python CPU loop, 2 processes vs 1."""
    import multiprocessing as mp
    t = time.perf_counter()
    _burn(n), _burn(n)
    one = time.perf_counter() - t
    with mp.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [1000, 1000])                 # workers started before timing
        t = time.perf_counter()
        pool.map(_burn, [n, n])
        two = time.perf_counter() - t
    return {"speedup": one / two}


def child_driver(folder: str, jobs: int, executor: str) -> dict:
    """The driver's resident memory along a sweep (through a local Dask cluster, or local
    processes): sampled from the progress bar's updates, a quarter of the way and at the end."""
    import re
    from auditor.sweep.run import sweep
    cfg, host = _host()
    marks: dict[int, int] = {}

    class Terminal:
        def isatty(self):
            return True

        def write(self, text):
            m = re.search(r" (\d+)/(\d+) ", text)
            if m:
                marks[int(m.group(1))] = _rss_kb()

        def flush(self):
            pass

    t = time.perf_counter()
    out = sweep([folder], cfg, host, jobs=jobs, executor=executor, stream=Terminal())
    total = out["stats"]["files"]
    quarter = min((k for k in marks if k >= total // 4), default=max(marks))
    return {"seconds": time.perf_counter() - t, "files": total, "quarter": [quarter, marks[quarter]],
            "end": marks[max(marks)]}


CHILD_TASKS = {"pdf": child_pdf, "throughput": child_throughput, "rss": child_rss, "burn": child_burn,
               "driver": child_driver}


def run_child(task: str, payload: dict) -> dict:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", task],
                          input=json.dumps(payload), capture_output=True, text=True, cwd=ROOT, env=CHILD_ENV)
    if proc.returncode != 0:
        raise RuntimeError(f"child {task} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# =============================================================================
# Subprocess measurement: wall time and peak RSS of a command (its workers included)
# =============================================================================

def measure(cmd: list[str], cwd: Path | None = None, watch_children: bool = False) -> dict:
    """Wall seconds, exit status and peak RSS (MB).  ``wait4`` gives the child's own peak RSS,
    or the largest of its reaped workers; with ``watch_children`` the workers' VmHWM is also
    read from /proc while they run (the peak per worker)."""
    t, cpu = time.perf_counter(), _machine_cpu()
    with tempfile.TemporaryFile() as errfile:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errfile, env=CHILD_ENV)
        worker_hwm: dict[int, int] = {}
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if watch_children else 0)
            if pid:
                break
            for kid in _descendants(proc.pid):
                if not _is_worker(kid):
                    continue          # the auditor process itself (behind a launcher shim)
                hwm = _status_kb(kid, "VmHWM")
                if hwm:
                    worker_hwm[kid] = max(worker_hwm.get(kid, 0), hwm)
            time.sleep(0.05)
        wall = time.perf_counter() - t
        cpu_after = _machine_cpu()
        proc.returncode = os.waitstatus_to_exitcode(status)
        errfile.seek(0)
        err = errfile.read().decode("utf-8", "replace")
    return {"wall": wall, "code": proc.returncode, "stderr": err,
            "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024,
            "worker_hwm_mb": {p: v / 1024 for p, v in worker_hwm.items()},
            "machine_cpu": None if cpu is None or cpu_after is None
            else {k: cpu_after[k] - cpu[k] for k in cpu}}


def _machine_cpu() -> dict | None:
    """Seconds every core of the machine spent busy, idle and stolen by the hypervisor so far
    (Linux ``/proc/stat``); None elsewhere."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return {"busy": (user + nice + system + irq + softirq) / tick, "idle": (idle + iowait) / tick,
            "steal": steal / tick}


def _is_worker(pid: int) -> bool:
    """A multiprocessing worker (spawned with ``-c 'from multiprocessing…'``)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"multiprocessing" in fh.read()
    except OSError:
        return False


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (by parent, whichever of its threads started it), Linux."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat_fields(int(entry))
            if stat:
                children.setdefault(int(stat[1]), []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _stat_fields(pid: int) -> list[str]:
    """``/proc/PID/stat`` after the command name (state, ppid, …); [] when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def _cpu_seconds(pids: list[int]) -> float:
    """User and system seconds the processes ``pids`` have used so far (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        stat = _stat_fields(pid)
        if stat:
            total += int(stat[11]) + int(stat[12])
    return total / tick


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# Installed packages run from .pyc files; a sandbox that sets PYTHONDONTWRITEBYTECODE would make
# every command recompile the project's sources (~30 ms), so the children run without it.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def auditor_cmd() -> list[str]:
    """The ``auditor`` script installed beside this interpreter (what a venv user runs), else the
    module.  Not the first ``auditor`` on PATH: a version manager's launcher there (pyenv's shims
    are bash scripts) adds ~0.1 s to every command, which is the launcher's time, not ours."""
    own = Path(sys.executable).parent / ("auditor.exe" if os.name == "nt" else "auditor")
    if own.is_file():
        return [str(own)]
    return [sys.executable, "-m", "auditor"]


def shown_value(value: float, unit: str) -> str:
    """Three significant figures, but ratios always with two decimals (2.00×, not 2×)."""
    return f"{value:.2f}{unit}" if unit == "×" else f"{value:.3g}{unit}"


def check_auditor() -> None:
    """Stop with the reason when the installed tool does not run (not a row of n/a figures)."""
    proc = subprocess.run(auditor_cmd() + ["audit", "--help"], capture_output=True, text=True,
                          env=CHILD_ENV)
    if proc.returncode != 0 or "--db" not in proc.stdout:
        raise SystemExit(f"benchmark: {' '.join(auditor_cmd())} does not run "
                         f"(install the checkout: python -m pip install -e .):\n{proc.stderr[-2000:]}")


class DaskCluster:
    """``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes (with their
    nannies) on 127.0.0.1, configured as docs/scale.md says (:func:`auditor.sweep.dask.worker_config`),
    for as long as the ``with`` block lasts."""

    def __init__(self, folder: Path, workers: int = 2):
        self.folder, self.workers = folder, workers
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> "DaskCluster":
        import yaml
        from auditor.sweep.dask import worker_config
        from tests.processes import start_dask_cluster
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "auditor.yaml").write_text(yaml.safe_dump(worker_config()), encoding="utf-8")
        self.address, self.procs = start_dask_cluster(self.folder, self.workers,
                                                      env=dict(CHILD_ENV, DASK_CONFIG=str(self.folder)))
        return self

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs] + [k for p in self.procs for k in _descendants(p.pid)]

    def cpu(self) -> float:
        return _cpu_seconds(self.pids())

    @contextlib.contextmanager
    def running(self, run: bool):
        """Keep the cluster running inside the block, or stopped (SIGSTOP, then SIGCONT)."""
        pids = [] if run else self.pids()
        self._signal(pids, signal.SIGSTOP)
        try:
            yield
        finally:
            self._signal(pids, signal.SIGCONT)

    @staticmethod
    def _signal(pids: list[int], signum: int) -> None:
        for pid in pids:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def __exit__(self, *exc) -> None:
        from tests.processes import terminate
        terminate(self.procs, grace=10)


# =============================================================================
# Measurements
# =============================================================================

class Bench:
    def __init__(self, args, work: Path):
        self.args = args
        self.work = work
        self.rows: list[dict] = []
        self.details: list[str] = []

    def add(self, figure: str, values: list[float] | float | None, target: str, ok, unit: str = "",
            note: str = ""):
        """One row of the table; ``ok`` None marks a reference figure, not a target."""
        if values is None:
            med = None
        elif isinstance(values, (int, float)):
            med = float(values)
        else:
            med = statistics.median(values)
        met = "n/a" if med is None else "reference" if ok is None else ("met" if ok(med) else "NOT MET")
        self.rows.append({"figure": figure, "median": med, "unit": unit, "target": target,
                          "met": met, "runs": [] if values is None or isinstance(values, (int, float))
                          else [round(v, 4) for v in values], "note": note})
        shown = "n/a" if med is None else shown_value(med, unit)
        print(f"  {figure}: {shown}  (target {target}: {met}) {note}", file=sys.stderr, flush=True)

    # -- PDF against pdfminer ---------------------------------------------------------

    def pdf(self):
        import corpus
        folder = self.work / "pdf"
        n = 2 if self.args.quick else 4
        files = corpus.write_format(folder, "pdf", n)
        files.append(self.big_pdf())
        res = run_child("pdf", {"files": [str(f) for f in files], "repeat": self.args.repeat})
        ratios = []
        for path, r in res.items():
            ratio = r["audit"] / r["pdfminer"]
            ratios.append(ratio)
            self.details.append(f"pdf {Path(path).name}: pdfminer {r['pdfminer'] * 1000:.0f} ms, "
                                f"audit {r['audit'] * 1000:.0f} ms, ratio {ratio:.2f}")
        self.add("PDF cold audit ÷ pdfminer LAParams()", ratios, "≤ 1.2", lambda v: v <= 1.2, "×",
                 f"worst {max(ratios):.2f}, {len(ratios)} files")

    def big_pdf(self) -> Path:
        p = self.work / "big" / "report-60p.pdf"
        if not p.exists():
            import corpus
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(corpus.big_pdf(60))
        return p

    # -- text, Markdown, HTML throughput -------------------------------------------------

    def throughput(self):
        import corpus
        n = 100 if self.args.quick else 300
        for kind in ("text", "markdown", "html"):
            files = corpus.write_format(self.work / kind, kind, n)
            rates, walls = [], []
            for _ in range(self.args.repeat):
                r = run_child("throughput", {"files": [str(f) for f in files]})
                rates.append(r["n"] / r["cpu"])
                walls.append(r["n"] / r["seconds"])
            self.add(f"{kind} reports/s (1 core)", rates, "≥ 100", lambda v: v >= 100, "/s",
                     f"{n} files; per CPU-second (wall: {statistics.median(walls):.0f}/s)")

    # -- sweeps through the CLI -------------------------------------------------------------

    def sweep_folder(self) -> Path:
        folder = self.work / "sweep"
        if not folder.exists():
            try:                                  # the sweeps engineer's corpus: agencies over years
                from tools.make_corpus import make_corpus
                made = make_corpus(folder, self.args.reports, 1, ("text", "markdown", "html", "pdf"))
                kinds: dict[str, int] = {}
                for f in made["files"]:
                    suffix = Path(str(f)).suffix
                    kinds[suffix] = kinds.get(suffix, 0) + 1
                self.details.append(f"sweep corpus (tools/make_corpus.py): {self.args.reports} reports {kinds}")
            except ImportError:
                import corpus
                counts = corpus.write_mix(folder, self.args.reports, pdf_share=0.1)
                self.details.append(f"sweep corpus: {self.args.reports} reports {counts}")
        return folder

    def jobs(self):
        ceiling = [run_child("burn", {"n": 10_000_000})["speedup"] for _ in range(self.args.repeat)]
        self.add("machine: CPU loop, 2 processes ÷ 1", ceiling, "—", None, "×",
                 "what two processes get from this machine's cores")
        folder = self.sweep_folder()
        speedups, t1s, t2s, cpus = [], [], [], []
        for k in range(self.args.repeat):
            # each pair in alternating order, so the machine's drift favours neither
            order = (1, 2) if k % 2 == 0 else (2, 1)
            runs = {j: measure(auditor_cmd() + ["audit", str(folder), "-j", str(j), "--format", "json",
                                                "-o", os.devnull]) for j in order}
            r1, r2 = runs[1], runs[2]
            for r in (r1, r2):
                if r["code"] not in (0, 1):
                    raise RuntimeError(r["stderr"])
            t1s.append(r1["wall"]); t2s.append(r2["wall"])
            speedups.append(r1["wall"] / r2["wall"])
            cpus.append((r1["machine_cpu"], r2["machine_cpu"]))
        self.details.append(f"sweep -j1 {statistics.median(t1s):.2f} s, -j2 {statistics.median(t2s):.2f} s; "
                            f"pairs: {', '.join(f'{a:.1f}/{b:.1f}' for a, b in zip(t1s, t2s))}")
        if all(c1 and c2 for c1, c2 in cpus):
            # What the code leaves on the table (a core idle while -j 2 runs: start-up, the
            # cross-year pass, an uneven end) apart from what the machine does (the same work
            # costs more CPU seconds when both cores run, and the hypervisor may steal some).
            self.details.append(
                "machine CPU seconds, -j1 / -j2 (busy, idle, stolen): " + ", ".join(
                    f"{c1['busy']:.1f}/{c2['busy']:.1f} {c1['idle']:.1f}/{c2['idle']:.1f} "
                    f"{c1['steal']:.1f}/{c2['steal']:.1f}" for c1, c2 in cpus))
        self.add(f"-j 2 ÷ -j 1 speed-up ({self.args.reports} reports)", speedups, "≥ 1.8",
                 lambda v: v >= 1.8, "×", f"-j1 {statistics.median(t1s):.1f} s, -j2 {statistics.median(t2s):.1f} s")

    def warm(self):
        """Cold, then warm in Chinese and warm in English, alternating which language goes first:
        results are language-neutral, so a warm rerun in either language runs no rule."""
        folder = self.sweep_folder()
        speedups, colds, warms, ratios = [], [], [], []
        for k in range(self.args.repeat):
            db = self.work / f"store-{k}.sqlite"
            base = auditor_cmd() + ["audit", str(folder), "--db", str(db), "--format", "json", "-o", os.devnull]
            cold = measure(base)
            order = ("zh", "en") if k % 2 == 0 else ("en", "zh")
            warm = {lang: measure(base + ["--lang", lang]) for lang in order}
            for r in (cold, *warm.values()):
                if r["code"] not in (0, 1):
                    raise RuntimeError(r["stderr"])
            colds.append(cold["wall"]); warms.append(warm["zh"]["wall"])
            speedups.append(cold["wall"] / warm["zh"]["wall"])
            ratios.append(warm["en"]["wall"] / warm["zh"]["wall"])
        self.add(f"warm re-audit speed-up ({self.args.reports} reports)", speedups, "≥ 50",
                 lambda v: v >= 50, "×",
                 f"cold {statistics.median(colds):.2f} s, warm {statistics.median(warms):.3f} s")
        self.add("warm rerun --lang en ÷ warm rerun in Chinese", ratios, "≤ 1.1",
                 lambda v: v <= 1.1, "×", "the store answers both languages; no rule runs again")

    # -- Dask ------------------------------------------------------------------------------

    def dask(self):
        """The Dask executor against local ``-j 2`` on the sweep corpus, interleaved: (a) through
        a scheduler and two workers already running on 127.0.0.1 (the deployment: a cluster is
        started once, sweeps come and go), (b) through a local cluster it starts and closes
        itself; then the driver's memory along a larger sweep."""
        try:
            import distributed  # noqa: F401
        except ImportError:
            self.add("Dask ÷ local -j 2", None, "≤ 1.15", None, "×", "the dask extra is not installed")
            return
        folder = self.sweep_folder()
        with DaskCluster(self.work / "dask-cluster", workers=2) as cluster:
            self.dask_runs(folder, cluster)
        self.dask_memory()

    def dask_runs(self, folder: Path, cluster: "DaskCluster") -> None:
        base = auditor_cmd() + ["audit", str(folder), "-j", "2", "--format", "json", "-o", os.devnull]
        commands = {"local": base,
                    "scheduler": base + ["--executor", "dask", "--scheduler", cluster.address],
                    "own cluster": base + ["--executor", "dask"]}
        warm = measure(commands["scheduler"])       # the workers import the tool once, as in use
        if warm["code"] not in (0, 1):
            raise RuntimeError(warm["stderr"])
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for k in range(self.args.repeat):
            # the order turns each round, so the machine's drift favours none; the cluster is
            # paused (SIGSTOP) unless it is the one measured: a machine without it is the baseline
            for name in names[k % 3:] + names[:k % 3]:
                with cluster.running(name == "scheduler"):
                    before = cluster.cpu()
                    r = measure(commands[name])
                    cluster_cpu = cluster.cpu() - before
                if r["code"] not in (0, 1):
                    raise RuntimeError(r["stderr"])
                walls[name].append(r["wall"])
                cpus[name].append(r["cpu"] + cluster_cpu)
        local = walls["local"]
        for name, label, target, ok in (
                ("scheduler", "through a running scheduler and 2 workers", "≤ 1.15", lambda v: v <= 1.15),
                ("own cluster", "local cluster of 2 workers, its start-up included", "—", None)):
            ratios = [d / l for d, l in zip(walls[name], local)]
            self.add(f"Dask ÷ local -j 2, {label} ({self.args.reports} reports)", ratios, target, ok, "×",
                     f"local {statistics.median(local):.2f} s, Dask {statistics.median(walls[name]):.2f} s")
        self.details.append("Dask runs, wall seconds (local / scheduler / own cluster): " + ", ".join(
            "/".join(f"{walls[n][k]:.2f}" for n in names) for k in range(self.args.repeat)))
        self.details.append("Dask runs, CPU seconds of every process of the sweep (the cluster's "
                            "included), medians: " + ", ".join(
                                f"{n} {statistics.median(cpus[n]):.2f}" for n in names))

    def dask_memory(self) -> None:
        n = self.args.dask_reports
        big = self.work / f"dask-{n}"
        if not big.exists():
            from tools.make_corpus import make_corpus
            span = max(3, -(-n // 400))          # the generator names at most 480 agencies
            make_corpus(big, n, 2, ("text", "markdown", "html"), years=(2021, 2020 + span))
        growth = {}
        for executor in ("local", "dask"):
            r = run_child("driver", {"folder": str(big), "jobs": 2, "executor": executor})
            growth[executor] = (r["end"] - r["quarter"][1]) / 1024
            self.details.append(f"driver RSS, {executor} -j 2, {r['files']} reports: "
                                f"{r['quarter'][1] / 1024:.0f} MB at {r['quarter'][0]}, "
                                f"{r['end'] / 1024:.0f} MB at the end; {r['seconds']:.0f} s")
        extra = growth["dask"] - growth["local"]
        self.add(f"Dask driver RSS growth beyond local's, report ¼ → {r['files']}", extra,
                 "< 5 MB (flat)", lambda v: v < 5, " MB",
                 f"Dask {growth['dask']:.0f} MB, local {growth['local']:.0f} MB (the results themselves)")

    # -- memory ---------------------------------------------------------------------------

    def memory(self):
        big = self.big_pdf()
        peaks = []
        for _ in range(self.args.repeat):
            r = measure(auditor_cmd() + ["audit", str(big), "--format", "json", "-o", os.devnull])
            if r["code"] not in (0, 1):
                raise RuntimeError(r["stderr"])
            peaks.append(r["maxrss_mb"])
        self.add("peak RSS, 60-page PDF", peaks, "< 200 MB", lambda v: v < 200, " MB")

        import corpus
        n = 300 if self.args.quick else 1000
        folder = self.work / "rss"
        files = sorted(folder.glob("*")) if folder.exists() else None
        if not files:
            corpus.write_mix(folder, n, pdf_share=0.0, start=5000)
            files = sorted(folder.glob("*"))
        marks = run_child("rss", {"files": [str(f) for f in files]})["marks"]
        first, last = marks[str(min(100, len(files)))], marks[str(len(files))]
        growth = (last - first) / 1024
        self.details.append("worker RSS along the sweep (MB): " +
                            ", ".join(f"{k}: {v / 1024:.1f}" for k, v in marks.items()))
        self.add(f"worker RSS growth, report 100 → {len(files)}", growth, "< 10 MB (flat)",
                 lambda v: v < 10, " MB", f"{first / 1024:.0f} → {last / 1024:.0f} MB")
        r = measure(auditor_cmd() + ["audit", str(folder), "-j", "2", "--format", "json", "-o", os.devnull],
                    watch_children=True)
        if r["worker_hwm_mb"]:
            worst = max(r["worker_hwm_mb"].values())
            self.add(f"peak RSS per worker, -j 2 on {len(files)} reports", worst, "< 200 MB",
                     lambda v: v < 200, " MB", f"{len(r['worker_hwm_mb'])} processes watched")

    # -- start-up --------------------------------------------------------------------------

    def startup(self):
        for argv in (["--help"], ["rules"]):
            times = []
            for _ in range(max(5, self.args.repeat)):
                r = measure(auditor_cmd() + argv, cwd=self.work)
                if r["code"] != 0:
                    raise RuntimeError(r["stderr"])
                times.append(r["wall"])
            self.add("auditor " + " ".join(argv), times, "< 0.3 s", lambda v: v < 0.3, " s")


# =============================================================================
# Report
# =============================================================================

def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        import pdfminer
        miner = pdfminer.__version__
    except ImportError:
        miner = "?"
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True).stdout.strip()
    except OSError:
        rev = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "pdfminer.six": miner, "os": platform.platform(terse=True), "commit": rev}


def render(rows: list[dict], fmt: str) -> str:
    from tabulate import tabulate
    table = [[r["figure"], "n/a" if r["median"] is None else shown_value(r["median"], r["unit"]),
              r["target"], r["met"], r["note"]] for r in rows]
    return tabulate(table, headers=["figure", "median", "target", "met", "notes"], tablefmt=fmt,
                    disable_numparse=True)


SECTIONS = ("startup", "text", "pdf", "memory", "jobs", "warm", "dask")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="disclosure-auditor performance benchmarks")
    ap.add_argument("--quick", action="store_true", help="small corpus, 3 repeats")
    ap.add_argument("--reports", type=int, help="reports in the sweep corpus (default 200; quick 60)")
    ap.add_argument("--dask-reports", type=int,
                    help="reports in the Dask driver-memory sweep (default 2000; quick 400)")
    ap.add_argument("--repeat", type=int, help="runs per measurement (default 5; quick 3)")
    ap.add_argument("--only", help="comma-separated sections: " + ",".join(SECTIONS))
    ap.add_argument("--json", metavar="FILE", help="also write the figures and machine as JSON")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown (for README)")
    ap.add_argument("--keep", metavar="DIR", help="generate the corpus in DIR and keep it")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        payload = json.loads(sys.stdin.read())
        print(json.dumps(CHILD_TASKS[args.child](**payload)))
        return 0

    args.repeat = args.repeat or (3 if args.quick else 5)
    args.reports = args.reports or (60 if args.quick else 200)
    args.dask_reports = args.dask_reports or (400 if args.quick else 2000)
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    unknown = only - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")

    check_auditor()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="auditor-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, work)
    info = machine()
    print(f"corpus in {work}; repeat {args.repeat}", file=sys.stderr)
    started = time.perf_counter()
    try:
        for name, fn in (("startup", bench.startup), ("text", bench.throughput), ("pdf", bench.pdf),
                         ("memory", bench.memory), ("jobs", bench.jobs), ("warm", bench.warm),
                         ("dask", bench.dask)):
            if name in only:
                print(f"[{name}]", file=sys.stderr, flush=True)
                fn()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(render(bench.rows, "github" if args.markdown else "simple"))
    print()
    for line in bench.details:
        print("  " + line)
    print()
    print(f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
          f"pdfminer.six {info['pdfminer.six']}, {info['os']}, commit {info['commit']}; "
          f"{time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "figures": bench.rows,
                                               "details": bench.details}, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
