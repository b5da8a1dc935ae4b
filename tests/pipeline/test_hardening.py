"""Hostile input meets a clear message: no stray processes, no internal errors, no leaked warnings."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor import settings as C
from auditor.errors import ConfigError
from tests.processes import session_processes

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_no_process_outlives_a_parallel_audit(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "samples", folder)
    p = subprocess.Popen([sys.executable, "-m", "auditor", "audit", str(folder), "-j", "2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         cwd=ROOT)
    assert p.wait(timeout=300) == 1                    # the samples carry deliberate defects
    assert session_processes(p.pid) == []              # fork server and workers are gone with it


def test_a_configuration_nested_too_deeply_is_a_message_about_the_file(tmp_path):
    cfg = tmp_path / "auditor.yaml"
    cfg.write_text("rules: " + "[" * 10000 + "]" * 10000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        C.load(str(cfg))
    assert "nested too deeply" in e.value.en and str(cfg) in e.value.en


def test_library_warnings_while_reading_become_notes_of_that_file(tmp_path, loaded):
    import logging
    from auditor import pipeline as P
    from auditor.layout import Layout, Line
    from auditor.read import Reader
    settings, host = loaded

    def noisy(data: bytes, path: str) -> Layout:
        logging.getLogger("pdfminer.pdfdocument").warning("Data-loss while decompressing corrupted data")
        return Layout(lines=[Line("x", number=1)], format="noisy")
    host = type(host)(**{**host.__dict__, "readers": [Reader("noisy", (".noisy",), noisy)]})
    (tmp_path / "a.noisy").write_bytes(b"x")
    layout = P.read_source(tmp_path / "a.noisy", settings, host)
    assert layout.notes == [{"code": "reader-warning",
                             "message": "pdfminer.pdfdocument: Data-loss while decompressing corrupted data"}]
    assert logging.getLogger().handlers == [] or all(
        not isinstance(h, P._NoteHandler) for h in logging.getLogger().handlers)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_ctrl_c_leaves_no_process_and_keeps_what_finished(tmp_path):
    import signal
    import time
    sys.path.insert(0, str(ROOT / "tests" / "sweep"))
    from helpers import make_corpus
    make_corpus(tmp_path / "in", 150, seed=4, formats=("text", "markdown"))
    db = tmp_path / "s.db"
    p = subprocess.Popen([sys.executable, "-m", "auditor", "audit", str(tmp_path / "in"), "-j", "2",
                          "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         start_new_session=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    while not db.exists() and time.monotonic() < deadline:    # the sweep has started
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(p.pid, signal.SIGINT)                            # Ctrl-C reaches the whole group
    _, err = p.communicate(timeout=120)
    assert p.returncode in (130, 0, 1), err          # 0/1: it finished before the signal
    assert b"Traceback" not in err
    time.sleep(0.2)
    assert session_processes(p.pid) == []
