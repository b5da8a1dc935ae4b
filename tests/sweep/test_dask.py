"""The Dask executor against a real cluster on this machine: a ``dask scheduler`` and two
``dask worker`` processes on 127.0.0.1 (random free ports, always terminated), and a local
cluster for faults.  Output must be byte-identical to local ``-j 2``.  Skips without the extra
(except the tests of what happens without it)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

import pytest

from auditor import settings as C
from auditor.cli import main
from auditor.errors import ConfigError
from auditor.sweep import dask as D
from auditor.sweep.executor import ExecutorOptions
from auditor.sweep.run import sweep

from helpers import FAULT_PLUGIN, ROOT, make_corpus, tables_chain, write_report
from tests.processes import start_dask_cluster, terminate

START_TIMEOUT = 90          # seconds for a cluster to come up on a loaded machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A scheduler and ``workers`` worker processes (no nanny: killing one kills the worker)."""

    def __init__(self, folder: Path, workers: int = 2):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
        self.address, self.procs = start_dask_cluster(folder, workers, nanny=False, env=env,
                                                      timeout=START_TIMEOUT)
        self.workers = self.procs[1:]

    def stop(self) -> None:
        terminate(self.procs, grace=2)


def _clusters():
    """Start clusters on demand; every one is terminated when the fixture ends."""
    pytest.importorskip("distributed")
    import tempfile
    started = []

    def start(workers: int = 2) -> Cluster:
        c = Cluster(Path(tempfile.mkdtemp(prefix="auditor-dask-")), workers)
        started.append(c)
        return c

    return start, started


@pytest.fixture
def cluster_at():
    start, started = _clusters()
    yield start
    for c in started:
        c.stop()


@pytest.fixture(scope="module")
def cluster():
    """One scheduler and two workers for the module's comparisons."""
    start, started = _clusters()
    try:
        yield start()
    finally:
        for c in started:
            c.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "reports"
    make_corpus(folder, 24, seed=41)
    return folder


def _audit_json(tmp_path: Path, name: str, *args: str) -> bytes:
    """``auditor audit ARGS`` (``auditor scorecard`` for a name starting with card-) as JSON."""
    out = tmp_path / f"{name}.json"
    command = "scorecard" if name.startswith("card-") else "audit"
    assert main([command, *args, "--format", "json", "-o", str(out)]) in (0, 1)
    return out.read_bytes()


@pytest.mark.parametrize("ship", [False, True], ids=["by-path", "ship-files"])
def test_a_cluster_gives_byte_identical_json_to_local_processes(cluster, corpus, tmp_path, ship,
                                                                 monkeypatch):
    monkeypatch.chdir(corpus.parent)        # relative paths: the workers run elsewhere
    dask = ["--executor", "dask", "--scheduler", cluster.address] + (["--ship-files"] if ship else [])
    for run in ("cold", "warm"):
        local = _audit_json(tmp_path, f"local-{run}", "reports", "-j", "2", "--db", str(tmp_path / "l.db"))
        remote = _audit_json(tmp_path, f"dask-{run}", "reports", *dask, "--db", str(tmp_path / "d.db"))
        assert remote == local, run
        results = json.loads(remote)["reports"]
        assert len(results) == 24 and all(not r.get("error") for r in results)
    cards = [_audit_json(tmp_path, f"card-{name}", "--db", str(tmp_path / f"{name}.db"))
             for name in ("l", "d")]
    assert cards[0] == cards[1] and json.loads(cards[0])


def test_a_sweep_survives_a_worker_killed_midway(cluster_at, corpus, loaded, tmp_path):
    cfg, host = loaded
    cluster = cluster_at()
    victim = cluster.workers[0]
    killed_at: list[str] = []

    class Terminal:
        """A progress stream that kills one worker when the first result has arrived."""
        def isatty(self):
            return True

        def write(self, text):
            if victim.poll() is None and " 0/" not in text:
                victim.send_signal(signal.SIGKILL)
                killed_at.append(text.split()[1])

        def flush(self):
            pass

    remote = sweep([corpus], cfg, host, executor="dask", options={"scheduler": cluster.address},
                   stream=Terminal())
    assert victim.poll() is not None and killed_at[0] != "24/24", killed_at      # it died mid-sweep
    local = sweep([corpus], cfg, host, jobs=2, progress=False)
    assert remote["stats"]["audited"] == 24 and not remote["interrupted"]
    assert [r["path"] for r in remote["results"]] == [r["path"] for r in local["results"]]
    for a, b in zip(remote["results"], local["results"]):
        assert a == b




def test_a_local_cluster_reports_a_killing_file_and_a_hanging_one(tmp_path):
    pytest.importorskip("distributed")
    (tmp_path / "faults.py").write_text(FAULT_PLUGIN, encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text("plugins: {local: [faults.py]}\n", encoding="utf-8")
    cfg, host = C.load(None, cwd=tmp_path)
    folder = tmp_path / "reports"
    make_corpus(folder, 6, seed=43, formats=("text",))
    tables = tables_chain([2023], seed=9)[2023]
    write_report(folder, "boom.txt", "临江县崩溃局", 2023, tables)
    write_report(folder, "hang.txt", "临江县沉睡局", 2023, tables)
    started = time.monotonic()
    out = sweep([folder], cfg, host, jobs=2, executor="dask", timeout=5, progress=False)
    assert time.monotonic() - started < 100                # neither retried forever nor waited out
    by_name = {Path(r["path"]).name: r for r in out["results"]}
    assert len(by_name) == 8
    assert by_name["boom.txt"]["error_kind"] == "crashed"
    assert by_name["hang.txt"]["error_kind"] == "timeout"
    assert all(not r.get("error") for n, r in by_name.items() if n not in ("boom.txt", "hang.txt"))


_LEAVE_A_PROGRAM = """
import subprocess, sys
from auditor.sweep.strays import mark_this_process
mark_this_process(sys.argv[1])
helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(helper.pid)
"""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_a_restarted_worker_first_stops_what_its_predecessor_started():
    """A worker process marked for sweep M and worker w1 leaves a program of its own session
    behind (killed past the time limit, it could not stop it); the next process of w1 stops it
    when it marks itself, and leaves w2's alone."""
    from auditor.sweep.local import _alive
    mark = f"test-{os.getpid()}-{time.monotonic_ns()}"
    left = {name: int(subprocess.run([sys.executable, "-c", _LEAVE_A_PROGRAM, f"{mark}.{name}"], cwd=ROOT,
                                     capture_output=True, text=True, check=True).stdout)
            for name in ("w1", "w2")}
    try:
        subprocess.run([sys.executable, "-c", f"from auditor.sweep.dask import _mark_worker; "
                        f"_mark_worker({mark!r}, 'w1')"], cwd=ROOT, check=True)
        deadline = time.monotonic() + 10
        while _alive(left["w1"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(left["w1"]) and _alive(left["w2"])
    finally:
        for pid in left.values():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_without_the_extra_choosing_dask_is_one_line_naming_it(tmp_path, loaded, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)          # as if not installed
    make_corpus(tmp_path / "r", 2, seed=44, formats=("text",))
    assert main(["audit", str(tmp_path / "r"), "--executor", "dask", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "pip install 'disclosure-auditor[dask]'" in err


def test_an_unreachable_scheduler_is_a_config_error(tmp_path, loaded):
    pytest.importorskip("distributed")
    cfg, host = loaded
    make_corpus(tmp_path / "r", 2, seed=45, formats=("text",))
    with pytest.raises(ConfigError, match="Dask"):
        sweep([tmp_path / "r"], cfg, host, executor="dask", progress=False,
              options={"scheduler": f"tcp://127.0.0.1:{_free_port()}", "connect_timeout": 2})


def test_a_local_clusters_workers_run_with_the_sweep_settings():
    """Spawned workers (no fork server) get the nanny's pre-spawn environment: without the
    settings, MALLOC_TRIM_THRESHOLD_=65536 and a profile every 10 ms."""
    distributed = pytest.importorskip("distributed")
    import dask
    client, cluster = D._connect(distributed, ExecutorOptions(jobs=1), {})
    try:
        [malloc] = client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()
        [profile] = client.run(dask.config.get, "distributed.worker.profile.enabled").values()
        [tick] = client.run(dask.config.get, "distributed.admin.tick.interval").values()
    finally:
        D._close(client, cluster)
    assert malloc == os.environ.get("MALLOC_TRIM_THRESHOLD_") != "65536"
    assert (profile, tick) == (False, D.WORKER_SETTINGS["distributed.admin.tick.interval"])


def test_the_docs_give_a_cluster_the_settings_a_local_cluster_uses():
    import yaml
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    blocks = [b.split("\n", 1)[1] for b in text.split("```")[1::2] if b.startswith("yaml")]
    [config] = [yaml.safe_load(b) for b in blocks if "pre-spawn-environ" in b]
    assert config == D.worker_config()
    assert D.worker_config()["distributed"]["nanny"]["pre-spawn-environ"] == {"MALLOC_TRIM_THRESHOLD_": None}


def test_batches_go_largest_first_with_large_files_alone(tmp_path):
    tasks = []
    for i, size in enumerate([10, D.LARGE + 5, 300, 20, D.LARGE * 2, 5, 40, 7] * 10):
        p = tmp_path / f"{i}.txt"
        p.write_bytes(b"x" * size)
        tasks.append({"index": i, "path": str(p)})
    out = D.batches(tasks, threads=1)
    assert sorted(t["index"] for b in out for t in b) == list(range(80))        # each task once
    sizes = [os.path.getsize(t["path"]) for b in out for t in b]
    assert sizes == sorted(sizes, reverse=True)
    assert all(len(b) == 1 for b in out if os.path.getsize(b[0]["path"]) >= D.LARGE)
    small = [b for b in out if os.path.getsize(b[0]["path"]) < D.LARGE]
    assert max(len(b) for b in small) == len(tasks) // D.SHARES and len(small) > 1
    assert max(len(b) for b in D.batches(tasks * 100, threads=1)) == D.MAX_BATCH


def test_a_pdf_weighs_more_in_a_batch(tmp_path):
    tasks = []
    for i in range(1000):                  # enough that batches reach their largest
        p = tmp_path / (f"{i}.pdf" if i % 4 == 0 else f"{i}.txt")
        p.write_bytes(b"x" * (100 + i))
        tasks.append({"index": i, "path": str(p)})
    out = D.batches(tasks, threads=1)
    assert [t["path"].endswith(".pdf") for b in out for t in b] == [True] * 250 + [False] * 750
    assert max(sum(t["path"].endswith(".pdf") for t in b) for b in out) == D.MAX_BATCH // D.PDF_UNITS
    assert max(len(b) for b in out) == D.MAX_BATCH


def test_a_shipped_task_carries_bytes_or_an_absolute_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_bytes(b"report")
    task = {"index": 0, "path": "a.txt", "display": "a.txt"}
    assert D.shipped(task, ship_files=True)["data"] == b"report"
    assert D.shipped(task, ship_files=False)["path"] == str(tmp_path / "a.txt")
    assert "data" not in D.shipped(dict(task, doc="{}"), ship_files=True)
    assert task == {"index": 0, "path": "a.txt", "display": "a.txt"}     # not changed


def test_the_options_reach_the_executor(tmp_path, loaded):
    cfg, host = loaded
    make_corpus(tmp_path / "r", 2, seed=46, formats=("text",))
    seen = []

    def run(tasks, work, options: ExecutorOptions):
        seen.append(options)
        for t in tasks:
            yield t, work(t)

    from auditor.sweep.executor import Executor
    host.executors.append(Executor("probe", run))
    try:
        sweep([tmp_path / "r"], cfg, host, executor="probe", progress=False,
              options={"scheduler": "tcp://x:1", "ship_files": True})
    finally:
        host.executors.pop()
    assert seen[0].extra == {"scheduler": "tcp://x:1", "ship_files": True}
    assert seen[0].lang == cfg.lang


class _Failed:
    """A finished future whose result() raises ``error``."""
    def __init__(self, error):
        self.error = error

    def result(self):
        raise self.error


def test_a_batch_that_killed_its_workers_is_split_then_blamed_alone():
    distributed = pytest.importorskip("distributed")
    batch = [{"index": i, "display": f"{i}.txt"} for i in range(3)]
    killed = distributed.KilledWorker("run_batch-1", "tcp://127.0.0.1:1", 2)
    pending = deque()
    assert list(D._finished(None, distributed, _Failed(killed), batch, pending)) == []
    assert list(pending) == [[t] for t in batch]
    [(task, result)] = D._finished(None, distributed, _Failed(killed), pending.popleft(), pending)
    assert task is batch[0] and result["entry"]["error_kind"] == "crashed"


def test_a_cluster_that_cannot_run_the_tasks_is_one_line():
    distributed = pytest.importorskip("distributed")
    error = RuntimeError("Error during deserialization of the task graph. This frequently\noccurs if …")
    with pytest.raises(ConfigError) as e:
        list(D._finished(None, distributed, _Failed(error), [{"index": 0, "display": "a"}], None))
    assert "\n" not in e.value.en and "deserialization" in e.value.en and "disclosure-auditor" in e.value.en


def test_cluster_options_without_a_cluster_executor_are_refused(tmp_path, capsys):
    make_corpus(tmp_path / "r", 1, seed=47, formats=("text",))
    assert main(["audit", str(tmp_path / "r"), "--ship-files", "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == "auditor: --scheduler and --ship-files go with --executor dask"
