"""Which processes are still alive in a session: the test that nothing a command started outlives it.

:func:`run_auditor` runs ``python -m auditor ARGS`` in a session of its own with a mark in its
environment, and reports, once it has ended, every process it started that is still alive —
in its session, or in any other (LibreOffice runs in a session of its own) found by the mark
every descendant inherits — and the peak memory of the largest of them.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "AUDITOR_TEST_RUN"


def session_processes(sid: int) -> list[int]:
    """The ids of the live processes of session ``sid`` (a command started with
    ``start_new_session=True`` has its own pid as session id)."""
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.getsid(int(pid)) == sid and not _zombie(int(pid)):
                    out.append(int(pid))
            except OSError:
                continue
    return out


def marked_processes(mark: str) -> list[int]:
    """The ids of the live processes whose environment carries ``MARK=mark``: every process a
    command started with it, whatever session it moved to."""
    needle = f"{MARK}={mark}".encode()
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/environ", "rb") as fh:
                    if needle in fh.read().split(b"\0") and not _zombie(int(pid)):
                        out.append(int(pid))
            except OSError:
                continue
    return out


def _zombie(pid: int) -> bool:
    """An ended process not yet collected by its parent is no longer running."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return True


def describe(pids: list[int]) -> list[str]:
    """``pid: command line`` of each process, for an assertion's message."""
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace")
            out.append(f"{pid}: {cmdline[:160]}")
        except OSError:
            out.append(f"{pid}: (gone)")
    return out


@dataclass
class Finished:
    """How a command ended."""
    returncode: int
    stdout: str
    stderr: str
    leftovers: list[str] = field(default_factory=list)   # processes it started, still alive
    peak_rss_mb: float = 0.0        # the largest resident set any process of it reached


# Starts the command and, once it ended, writes the peak resident memory (KB) of its process tree
# into the file named first, then ends as the command did.  The command is not started by the
# test process itself: Linux counts the memory of the process it was forked from (pytest, some
# hundred MB late in a run) into a child's peak until that child starts another program.
LAUNCHER = """
import os, signal, subprocess, sys
command = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(command.pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


class Running:
    """``python -m auditor ARGS`` started in a session of its own, marked; :meth:`finish`."""

    def __init__(self, args: list[str], cwd: Path = ROOT, env: dict | None = None, preexec=None):
        self.mark = f"{os.getpid()}-{time.monotonic_ns()}"
        self._killed = False
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        environ = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
        environ[MARK] = self.mark
        environ.pop("AUDITOR_DEBUG", None)
        self._peak = tempfile.NamedTemporaryFile(prefix="auditor-peak-", delete=False)
        self._peak.close()
        self.proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, self._peak.name, sys.executable, "-m",
                                      "auditor", *map(str, args)], cwd=cwd,
                                     env=environ, stdin=subprocess.DEVNULL, stdout=self._out,
                                     stderr=self._err, start_new_session=True, preexec_fn=preexec)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def running(self) -> bool:
        """Whether the command itself has not ended yet (without collecting it)."""
        return not _zombie(self.proc.pid)

    def kill_group(self) -> None:
        """SIGKILL to the command's whole process group (a power cut, as far as it can tell)."""
        self._killed = True
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def finish(self, timeout: float = 180) -> Finished:
        """Wait for the command (its process group is killed past ``timeout``, and the test
        fails); → how it ended and what it left behind."""
        deadline = time.monotonic() + timeout
        while True:
            pid, status = os.waitpid(self.proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                self.kill_group()
                os.waitpid(self.proc.pid, 0)
                raise AssertionError(f"auditor did not end within {timeout} s")
            time.sleep(0.02)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        left = self._left()
        settle = time.monotonic() + (5 if self._killed else 0)   # a SIGKILL takes a moment to land
        while left and time.monotonic() < settle:
            time.sleep(0.05)
            left = self._left()
        leftovers = describe(left)
        for p in left:                 # leave nothing behind for the next test either
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        out, err = (self._read(f) for f in (self._out, self._err))
        peak = Path(self._peak.name)
        peak_kb = int(peak.read_text() or 0)      # empty when the launcher was killed too
        peak.unlink()
        return Finished(self.proc.returncode, out, err, leftovers, peak_kb / 1024)

    def _left(self) -> list[int]:
        return sorted(set(session_processes(self.proc.pid)) | set(marked_processes(self.mark)))

    @staticmethod
    def _read(fh) -> str:
        fh.seek(0)
        text = fh.read().decode("utf-8", "replace")
        fh.close()
        return text


def run_auditor(args: list[str], cwd: Path = ROOT, env: dict | None = None,
                timeout: float = 180) -> Finished:
    """Run ``python -m auditor ARGS`` to its end (see :class:`Running`)."""
    return Running(args, cwd, env).finish(timeout)


def terminate(procs: list[subprocess.Popen], grace: float) -> None:
    """Terminate ``procs``, and kill those still running ``grace`` seconds after."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def start_dask_cluster(folder: Path, workers: int, nanny: bool = True, env: dict | None = None,
                       timeout: float = 90) -> tuple[str, list[subprocess.Popen]]:
    """A ``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes (each with a
    nanny, or without: then killing one kills the worker) on 127.0.0.1, logging to
    ``folder/cluster.log``, up and connected within ``timeout`` seconds: (address, processes,
    the scheduler first).  Stop them with :func:`terminate`."""
    import socket
    import distributed
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    dask = [sys.executable, "-m", "dask"]
    procs: list[subprocess.Popen] = []
    with open(folder / "cluster.log", "ab") as log:
        try:
            procs.append(subprocess.Popen(dask + ["scheduler", "--host", "127.0.0.1", "--port",
                                                  address.rsplit(":", 1)[1], "--no-dashboard"],
                                          cwd=folder, env=env, stdout=log, stderr=log))
            procs += [subprocess.Popen(dask + ["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                               "--no-dashboard", *([] if nanny else ["--no-nanny"])],
                                       cwd=folder, env=env, stdout=log, stderr=log)
                      for _ in range(workers)]
            with distributed.Client(address, timeout=timeout, set_as_default=False) as client:
                client.wait_for_workers(workers, timeout=timeout)
        except BaseException:
            terminate(procs, grace=2)
            raise
    return address, procs

