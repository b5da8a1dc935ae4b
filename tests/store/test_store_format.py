"""The store's format: version 1 stores are upgraded in place, newer ones and other databases are
refused, and unchanged files are not hashed again."""
from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

import auditor.sweep.plan as S
from auditor.errors import ConfigError
from auditor.sweep.store import STORE_VERSION, counts, get_doc, open_store
from auditor.sweep.run import sweep

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from helpers import two_years  # noqa: E402

V1_RESULTS = """CREATE TABLE results (
    rkey TEXT PRIMARY KEY, sha256 TEXT NOT NULL, config TEXT NOT NULL, tool TEXT NOT NULL,
    lang TEXT NOT NULL, agency TEXT, agency_key TEXT, year INTEGER, metadata TEXT NOT NULL,
    doc TEXT, entry TEXT NOT NULL, history TEXT, updated REAL NOT NULL)"""


def _downgrade_to_v1(db: Path) -> None:
    """Rewrite a current store in the layout of store version 1 (documents inside ``results``)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(f"""
        BEGIN;
        ALTER TABLE results RENAME TO results_v2;
        DROP INDEX results_agency_year;
        {V1_RESULTS};
        INSERT INTO results SELECT r.rkey, r.sha256, r.config, r.tool, r.lang, r.agency, r.agency_key,
            r.year, r.metadata, d.doc, r.entry, r.history, r.updated
            FROM results_v2 r LEFT JOIN docs d ON d.rkey = r.rkey;
        DROP TABLE results_v2;
        DROP TABLE docs;
        CREATE INDEX results_agency_year ON results (agency_key, year);
        ALTER TABLE files DROP COLUMN stat;
        UPDATE meta SET value = '1' WHERE key = 'version';
        COMMIT;""")
    conn.close()


def test_a_version_1_store_is_upgraded_and_keeps_everything(tmp_path, loaded):
    cfg, host = loaded
    last, this = two_years(tmp_path)
    db = tmp_path / "old.db"
    sweep([last], cfg, host, db=str(db), progress=False)
    _downgrade_to_v1(db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta").fetchone() == ("1",)
    conn.close()

    conn = open_store(db)
    assert conn.execute("SELECT value FROM meta WHERE key='version'").fetchone() == (STORE_VERSION,)
    assert counts(conn) == {"extracts": 1, "results": 1, "files": 1}
    (rkey,) = conn.execute("SELECT rkey FROM results").fetchone()
    assert '"临江县商务局"' in get_doc(conn, rkey)
    conn.close()
    again = sweep([last], cfg, host, db=str(db), progress=False)
    assert again["stats"]["reused"] == 1
    # last year's document, moved to the docs table, still feeds the cross-year rules
    [entry] = sweep([this], cfg, host, db=str(db), progress=False)["results"]
    assert "X601" in {f["code"] for f in entry["findings"]}


def test_a_store_of_a_newer_auditor_is_refused(tmp_path):
    db = tmp_path / "new.db"
    open_store(db).execute("UPDATE meta SET value = '99' WHERE key = 'version'")
    with pytest.raises(ConfigError, match="newer auditor") as e:
        open_store(db)
    assert "99" in e.value.text["zh"]


def test_another_sqlite_database_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(ConfigError, match="auditor"):
        open_store(db)
    tables = [r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")]
    assert tables == ["people"]


def _age(path: Path, seconds_ago: float) -> None:
    t = time.time() - seconds_ago
    os.utime(path, (t, t))


def test_unchanged_files_are_not_hashed_again(tmp_path, loaded, monkeypatch):
    cfg, host = loaded
    last, _ = two_years(tmp_path)
    for extra in ("b", "c"):
        (last / f"{extra}.txt").write_bytes((last / "a.txt").read_bytes().replace(
            "临江县".encode(), f"{extra}县".encode().ljust(9, b" ")))
    for f in last.iterdir():
        _age(f, 3600)
    db = str(tmp_path / "s.db")
    sweep([last], cfg, host, db=db, progress=False)

    hashed = []
    real = S.file_sha256
    monkeypatch.setattr(S, "file_sha256", lambda p: hashed.append(Path(p).name) or real(p))
    again = sweep([last], cfg, host, db=db, progress=False)
    assert again["stats"]["reused"] == 3 and hashed == []

    # an edit of the same size is seen through the new mtime
    target = last / "b.txt"
    before = target.read_bytes()
    target.write_bytes(before.replace("统计".encode(), "统汁".encode(), 1))
    assert target.stat().st_size == len(before)
    _age(target, 1800)
    edited = sweep([last], cfg, host, db=db, progress=False)
    assert hashed == ["b.txt"] and edited["stats"]["reused"] == 2


def test_a_file_changed_just_now_is_hashed_every_time(tmp_path, loaded, monkeypatch):
    cfg, host = loaded
    last, _ = two_years(tmp_path)                 # written a moment ago: its mtime is not trusted
    db = str(tmp_path / "s.db")
    sweep([last], cfg, host, db=db, progress=False)
    hashed = []
    real = S.file_sha256
    monkeypatch.setattr(S, "file_sha256", lambda p: hashed.append(Path(p).name) or real(p))
    assert sweep([last], cfg, host, db=db, progress=False)["stats"]["reused"] == 1
    assert hashed == ["a.txt"]
