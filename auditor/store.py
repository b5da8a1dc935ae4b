"""The results store: one SQLite file (``--db FILE``) that makes sweeps resumable and reruns cheap.

Three tables:

``extracts``
    The extraction cache: ``(content sha256, parser version) →`` the parsed
    report document (or the reader's error, e.g. a scanned PDF).  A rerun
    after a rule or configuration change skips reading and parsing.
``results``
    One row per report *and* everything its result depends on: the key
    :func:`result_key` hashes the content sha256, the configuration digest,
    the tool and plugin versions, the language and the sweep metadata (the
    manifest row).  The row holds the document the rules saw, the result
    entry (findings, score, grade) and the cross-year fingerprint (which
    previous-year documents the cross-year rules were given).
``files``
    The current view: file path → the result key of its latest audit.  The
    scorecard reads this view, so every report appears exactly once.

Every write is one transaction in WAL mode: killing the process at any moment
leaves each report either fully stored or absent, never half-written.  The
store is used by the sweep only; rules never see it.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from auditor.errors import ConfigError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extracts (
    sha256 TEXT NOT NULL, parser TEXT NOT NULL, doc TEXT, error TEXT,
    updated REAL NOT NULL, PRIMARY KEY (sha256, parser));
CREATE TABLE IF NOT EXISTS results (
    rkey TEXT PRIMARY KEY, sha256 TEXT NOT NULL, config TEXT NOT NULL, tool TEXT NOT NULL,
    lang TEXT NOT NULL, agency TEXT, agency_key TEXT, year INTEGER, metadata TEXT NOT NULL,
    doc TEXT, entry TEXT NOT NULL, history TEXT, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS results_agency_year ON results (agency_key, year);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, rkey TEXT NOT NULL, sha256 TEXT NOT NULL, updated REAL NOT NULL);
"""
STORE_VERSION = "1"


def open_store(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the store; a file that is not a store is a ConfigError."""
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(SCHEMA)
        with transaction(conn):
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (STORE_VERSION,))
    except sqlite3.DatabaseError as e:
        raise ConfigError(f"无法打开结果库 {path}：{e}（它是 auditor 的 SQLite 结果库吗？）",
                          f"cannot open results store {path}: {e} (is it an auditor SQLite store?)") from None
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection):
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _canon(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _plain(data) -> str:
    """JSON that keeps the key order (a stored entry prints exactly as a fresh one)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def result_key(sha256: str, config_digest: str, tool: str, lang: str, metadata: dict) -> str:
    """The key of a stored result: everything a report's findings and score depend on."""
    return hashlib.sha256(_canon([sha256, config_digest, tool, lang, metadata]).encode()).hexdigest()


# -- extraction cache --------------------------------------------------------------

def get_extract(conn, sha256: str, parser: str) -> tuple[str | None, dict | None] | None:
    """(document JSON, None) or (None, error dict), or None when not cached."""
    row = conn.execute("SELECT doc, error FROM extracts WHERE sha256=? AND parser=?",
                       (sha256, parser)).fetchone()
    if row is None:
        return None
    return row[0], (json.loads(row[1]) if row[1] else None)


def put_extract(conn, sha256: str, parser: str, doc_json: str | None, error: dict | None = None) -> None:
    with transaction(conn):
        conn.execute("INSERT OR REPLACE INTO extracts VALUES (?,?,?,?,?)",
                     (sha256, parser, doc_json, _canon(error) if error else None, time.time()))


# -- results -----------------------------------------------------------------------

def get_result(conn, rkey: str) -> dict | None:
    row = conn.execute("SELECT entry, history, agency_key, year FROM results WHERE rkey=?",
                       (rkey,)).fetchone()
    if row is None:
        return None
    return {"entry": json.loads(row[0]), "history": json.loads(row[1]) if row[1] else None,
            "agency_key": row[2], "year": row[3]}


def get_doc(conn, rkey: str) -> str | None:
    row = conn.execute("SELECT doc FROM results WHERE rkey=?", (rkey,)).fetchone()
    return row[0] if row else None


def put_result(conn, *, rkey: str, path: str, sha256: str, config: str, tool: str, lang: str,
               agency: str | None, agency_key: str | None, year: int | None, metadata: dict,
               doc_json: str | None, entry: dict, history: dict | None = None,
               extract: tuple[str, str | None, dict | None] | None = None) -> None:
    """Store one report's result (and, with ``extract``, its extraction) in one transaction."""
    now = time.time()
    with transaction(conn):
        if extract is not None:
            parser, ext_doc, ext_error = extract
            conn.execute("INSERT OR REPLACE INTO extracts VALUES (?,?,?,?,?)",
                         (sha256, parser, ext_doc, _canon(ext_error) if ext_error else None, now))
        conn.execute("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     (rkey, sha256, config, tool, lang, agency, agency_key, year, _canon(metadata),
                      doc_json, _plain(entry), _canon(history) if history is not None else None, now))
        conn.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?)", (path, rkey, sha256, now))


def link_file(conn, path: str, rkey: str, sha256: str) -> None:
    """Point ``path`` at an already stored result (a rerun that reused it)."""
    with transaction(conn):
        conn.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?)", (path, rkey, sha256, time.time()))


def link_files(conn, links: list[tuple[str, str, str]]) -> None:
    if not links:
        return
    now = time.time()
    with transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?)",
                         [(p, k, s, now) for p, k, s in links])


def update_history(conn, updates: list[tuple[str, dict, dict]]) -> None:
    """Store (rkey, entry, history fingerprint) after the cross-year rules ran, in one transaction."""
    if not updates:
        return
    with transaction(conn):
        conn.executemany("UPDATE results SET entry=?, history=?, updated=? WHERE rkey=?",
                         [(_plain(e), _canon(h), time.time(), k) for k, e, h in updates])


def find_previous(conn, agency_key: str, year: int, exclude: set[str] = frozenset()
                  ) -> tuple[str, str] | None:
    """(sha256, document JSON) of a current report of ``agency_key`` for ``year``, if stored."""
    rows = conn.execute(
        "SELECT f.path, r.sha256, r.doc FROM files f JOIN results r ON r.rkey = f.rkey "
        "WHERE r.agency_key=? AND r.year=? AND r.doc IS NOT NULL ORDER BY f.path",
        (agency_key, year)).fetchall()
    for path, sha, doc in rows:
        if path not in exclude:
            return sha, doc
    return None


def current_results(conn) -> list[dict]:
    """Every file's latest result: ``{"path", "entry", "metadata"}``, in path order."""
    rows = conn.execute(
        "SELECT f.path, r.entry, r.metadata FROM files f JOIN results r ON r.rkey = f.rkey "
        "ORDER BY f.path").fetchall()
    return [{"path": p, "entry": json.loads(e), "metadata": json.loads(m)} for p, e, m in rows]


def counts(conn) -> dict:
    """Row counts, for tests and ``--verbose`` figures."""
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("extracts", "results", "files")}
