"""The results store: reruns reuse it, the extraction cache survives a config change, kill -9 loses nothing."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor import settings as C
from auditor.sweep.store import counts, open_store
from auditor.sweep.run import sweep

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from helpers import make_corpus  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    make_corpus(out, 30, seed=21, formats=("text", "markdown"))
    return out


def test_rerun_reuses_stored_results(corpus, loaded, tmp_path, monkeypatch):
    import auditor.pipeline
    cfg, host = loaded
    db = str(tmp_path / "r.db")
    first = sweep([corpus], cfg, host, jobs=2, db=db, progress=False)

    def no_parsing(layout):
        raise AssertionError(f"{layout.path} was parsed again")
    monkeypatch.setattr(auditor.pipeline, "parse_layout", no_parsing)
    second = sweep([corpus], cfg, host, jobs=1, db=db, progress=False)
    assert first["stats"]["reused"] == 0 and second["stats"]["reused"] == 30
    assert second["results"] == first["results"]
    # printed exactly alike: stored entries keep their key order
    assert json.dumps(second["results"], ensure_ascii=False) == json.dumps(first["results"], ensure_ascii=False)
    assert counts(open_store(db)) == {"extracts": 30, "results": 30, "files": 30}


def test_config_change_reuses_extraction_not_results(corpus, loaded, tmp_path, monkeypatch):
    import auditor.pipeline
    cfg, host = loaded
    db = str(tmp_path / "x.db")
    files = sorted(corpus.glob("*.txt"))[:6]
    base = sweep(files, cfg, host, db=db, progress=False)["results"]

    def no_parsing(layout):
        raise AssertionError(f"{layout.path} was parsed again")
    monkeypatch.setattr(auditor.pipeline, "parse_layout", no_parsing)
    cfg2, host2 = C.load(None, cwd="/", ignore=["N503"])
    changed = sweep(files, cfg2, host2, db=db, progress=False)
    assert changed["stats"]["reused"] == 0
    assert all(not r.get("error") for r in changed["results"])
    assert [[f["code"] for f in r["findings"] if f["code"] != "N503"] for r in base] == \
           [[f["code"] for f in r["findings"]] for r in changed["results"]]
    store = counts(open_store(db))
    assert store["extracts"] == 6 and store["results"] == 12 and store["files"] == 6


def test_changed_file_is_audited_again_and_stored_once(corpus, loaded, tmp_path):
    cfg, host = loaded
    folder = tmp_path / "c"
    folder.mkdir()
    for f in sorted(corpus.glob("*.txt"))[:3]:
        (folder / f.name).write_bytes(f.read_bytes())
    db = str(tmp_path / "c.db")
    sweep([folder], cfg, host, db=db, progress=False)
    target = sorted(folder.glob("*.txt"))[0]
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(x for x in lines if "统计期限" not in x), encoding="utf-8")
    out = sweep([folder], cfg, host, db=db, progress=False)
    assert out["stats"]["reused"] == 2
    assert "D401" in {f["code"] for f in out["results"][0]["findings"]}
    conn = open_store(db)
    assert counts(conn)["files"] == 3
    from auditor.sweep.store import current_results
    assert len(current_results(conn)) == 3


def test_not_a_store_is_a_clear_error(tmp_path, loaded):
    from auditor.errors import ConfigError
    bad = tmp_path / "bad.db"
    bad.write_text("this is not sqlite, " * 100, encoding="utf-8")
    with pytest.raises(ConfigError, match="auditor"):
        open_store(bad)


def _scorecard(db: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "auditor", "scorecard", "--db", str(db), "--format", "json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(str(db), timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_then_rerun_loses_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 60, seed=5, formats=("text", "markdown"))
    manifest = corpus / "manifest.csv"
    cmd = [sys.executable, "-m", "auditor", "audit", str(corpus), "-j", "2", "--manifest", str(manifest),
           "--format", "json"]
    killed_db, clean_db = tmp_path / "killed.db", tmp_path / "clean.db"
    proc = subprocess.Popen(cmd + ["--db", str(killed_db)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _stored(killed_db) < 4 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        at_kill = _stored(killed_db)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)     # the orphaned workers of the process we started
        except ProcessLookupError:
            pass
    assert 0 < at_kill < 60, at_kill
    rerun = subprocess.run(cmd + ["--db", str(killed_db)], capture_output=True, text=True)
    assert rerun.returncode in (0, 1), rerun.stderr
    assert len(json.loads(rerun.stdout)["reports"]) == 60
    conn = open_store(killed_db)
    assert counts(conn) == {"extracts": 60, "results": 60, "files": 60}
    paths = [r[0] for r in conn.execute("SELECT path FROM files")]
    assert len(set(paths)) == 60
    subprocess.run(cmd + ["--db", str(clean_db)], capture_output=True, check=False)
    assert _scorecard(killed_db) == _scorecard(clean_db)


def test_previous_year_comes_from_the_store(tmp_path, loaded):
    from helpers import two_years
    cfg, host = loaded
    last, this = two_years(tmp_path)
    db = str(tmp_path / "h.db")
    alone = sweep([this], cfg, host, progress=False)["results"][0]
    assert "X601" not in {f["code"] for f in alone["findings"]}
    sweep([last], cfg, host, db=db, progress=False)           # last year's sweep
    [entry] = sweep([this], cfg, host, db=db, progress=False)["results"]
    assert "X601" in {f["code"] for f in entry["findings"]}
    # the stored result remembers it: a rerun reuses it as is
    again = sweep([this], cfg, host, db=db, progress=False)
    assert again["stats"]["reused"] == 1 and again["results"] == [entry]
