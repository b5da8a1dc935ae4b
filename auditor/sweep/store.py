"""The results store: one SQLite file (``--db FILE``) that makes sweeps resumable and reruns cheap.

Four tables:

``extracts``
    The extraction cache: ``(content sha256, parser version) →`` the parsed
    report document (or the reader's error, e.g. a scanned PDF).  A rerun
    after a rule or configuration change skips reading and parsing.
``results``
    One row per report *and* everything its result depends on: the key
    :func:`result_key` hashes the content sha256 (and the reader its suffix picks), the configuration digest,
    the tool and plugin versions and the sweep metadata (the manifest row);
    results are language-neutral, so no language is part of it.  The row holds the result entry (findings, score, grade)
    and the cross-year fingerprint (which previous-year documents the
    cross-year rules were given).
``docs``
    The document the rules saw, by result key (read by the cross-year rules
    of later sweeps); kept apart so that reading ``results`` stays cheap.
``files``
    The current view: file path → the result key of its latest audit (and the
    file's size, mtime and inode, so an unchanged file is not hashed again).
    The scorecard reads this view, so every report appears exactly once.

Every write is one transaction in WAL mode: killing the process at any moment
leaves each report either fully stored or absent, never half-written.  The
store is used by the sweep only; rules never see it.
"""
from __future__ import annotations

import hashlib
import json
import os
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
    entry TEXT NOT NULL, history TEXT, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS results_agency_year ON results (agency_key, year);
CREATE TABLE IF NOT EXISTS docs (rkey TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, rkey TEXT NOT NULL, sha256 TEXT NOT NULL, updated REAL NOT NULL,
    stat TEXT);
"""
# Version 2 keeps the documents out of ``results`` (in ``docs``): a row is read in one page, not
# through a document's chain of overflow pages, so a rerun's lookups cost microseconds; and
# ``files.stat`` lets a rerun skip hashing a file whose size, mtime and inode are unchanged.
STORE_VERSION = "2"
NEUTRAL = "*"       # the ``results.lang`` of language-neutral results (older rows name one language)
RACY_SECONDS = 2.0

MIGRATE_1_TO_2 = """
CREATE TABLE docs (rkey TEXT PRIMARY KEY, doc TEXT NOT NULL);
INSERT INTO docs SELECT rkey, doc FROM results WHERE doc IS NOT NULL;
CREATE TABLE results_v2 (
    rkey TEXT PRIMARY KEY, sha256 TEXT NOT NULL, config TEXT NOT NULL, tool TEXT NOT NULL,
    lang TEXT NOT NULL, agency TEXT, agency_key TEXT, year INTEGER, metadata TEXT NOT NULL,
    entry TEXT NOT NULL, history TEXT, updated REAL NOT NULL);
INSERT INTO results_v2 SELECT rkey, sha256, config, tool, lang, agency, agency_key, year, metadata,
    entry, history, updated FROM results;
DROP TABLE results;
ALTER TABLE results_v2 RENAME TO results;
CREATE INDEX results_agency_year ON results (agency_key, year);
ALTER TABLE files ADD COLUMN stat TEXT;
UPDATE meta SET value = '2' WHERE key = 'version';
"""


def open_store(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the store, upgrading an older one; a file that is not a
    store, or a store of a newer auditor, is a ConfigError."""
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        version = _prepare(conn)
    except sqlite3.DatabaseError as e:
        raise ConfigError(f"无法打开结果库 {path}：{e}（它是可读写的 auditor 结果库吗？请检查文件和权限，"
                          "或用 --db 指定另一个文件）",
                          f"cannot open results store {path}: {e} (is it an auditor store you may read and "
                          "write? check the file and its permissions, or give another --db)") from None
    if version != STORE_VERSION:
        conn.close()
        raise ConfigError(f"结果库 {path} 由较新版本的 auditor 创建（库版本 {version}），请升级 auditor",
                          f"results store {path} was made by a newer auditor (store version {version}); "
                          "upgrade auditor")
    return conn


@contextmanager
def store_failures(path: str | Path):
    """A store that fails while a sweep reads or writes it (a full disk, a file made read-only,
    damaged or removed meanwhile) → a ConfigError naming the store and what to do, not an
    internal error."""
    try:
        yield
    except sqlite3.Error as e:
        raise ConfigError(f"无法读写结果库 {path}：{e}（磁盘满了或没有写入权限？请腾出空间、检查权限，"
                          "或用 --db 换一个位置）",
                          f"cannot read or write results store {path}: {e} (disk full, or no write "
                          "permission? free some space, check the permissions, or give another --db)"
                          ) from None


def _prepare(conn) -> str:
    """The store's version, after creating the tables of a new store or upgrading an old one
    (in one write transaction, taken only when there is something to write)."""
    version = _version(conn)
    if version not in (None, "1"):
        return version
    with transaction(conn):
        version = _version(conn)              # another process may have done it meanwhile
        if version is None:
            _execute_all(conn, SCHEMA)
            conn.execute("INSERT INTO meta VALUES ('version', ?)", (STORE_VERSION,))
            return STORE_VERSION
        if version == "1":
            _execute_all(conn, MIGRATE_1_TO_2)
            return STORE_VERSION
        return version


def _execute_all(conn, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _version(conn) -> str | None:
    """The store's version, or None for a new (empty) file; another database is refused."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return None
    if "meta" not in tables:
        raise sqlite3.DatabaseError("it has tables, but not an auditor store's")
    row = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
    return row[0] if row else None


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


def result_key(sha256: str, config_digest: str, tool: str, metadata: dict, reads_as: str = "") -> str:
    """The key of a stored result: everything a report's findings and score depend on (not the
    language: results carry both, reporters pick one).  ``reads_as``: the reader the file's
    suffix picks — the same bytes named ``.txt`` and ``.docx`` are read by different readers
    when no reader recognises the bytes themselves."""
    parts = [sha256, config_digest, tool, metadata] + ([reads_as] if reads_as else [])
    return hashlib.sha256(_canon(parts).encode()).hexdigest()


# -- extraction cache --------------------------------------------------------------

def get_extract(conn, sha256: str, parser: str) -> tuple[str | None, dict | None] | None:
    """(document JSON, None) or (None, error dict), or None when not cached."""
    row = conn.execute("SELECT doc, error FROM extracts WHERE sha256=? AND parser=?",
                       (sha256, parser)).fetchone()
    if row is None:
        return None
    return row[0], (json.loads(row[1]) if row[1] else None)


# -- results -----------------------------------------------------------------------

def get_result(conn, rkey: str) -> dict | None:
    row = conn.execute("SELECT entry, history, agency_key, year FROM results WHERE rkey=?",
                       (rkey,)).fetchone()
    if row is None:
        return None
    return {"entry": json.loads(row[0]), "history": json.loads(row[1]) if row[1] else None,
            "agency_key": row[2], "year": row[3]}


def get_doc(conn, rkey: str) -> str | None:
    """The JSON of the document the rules saw for a stored result."""
    row = conn.execute("SELECT doc FROM docs WHERE rkey=?", (rkey,)).fetchone()
    return row[0] if row else None


def put_result(conn, *, rkey: str, path: str, sha256: str, config: str, tool: str,
               agency: str | None, agency_key: str | None, year: int | None, metadata: dict,
               doc_json: str | None, entry: dict, history: dict | None = None,
               extract: tuple[str, str | None, dict | None] | None = None,
               stat: str | None = None) -> None:
    """Store one report's result (and, with ``extract``, its extraction) in one transaction.
    ``stat`` is the file's :func:`stat_key` when it was hashed (see :func:`file_stats`)."""
    now = time.time()
    with transaction(conn):
        if extract is not None:
            parser, ext_doc, ext_error = extract
            conn.execute("INSERT OR REPLACE INTO extracts VALUES (?,?,?,?,?)",
                         (sha256, parser, ext_doc, _canon(ext_error) if ext_error else None, now))
        conn.execute("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                     (rkey, sha256, config, tool, NEUTRAL, agency, agency_key, year, _canon(metadata),
                      _plain(entry), _canon(history) if history is not None else None, now))
        if doc_json is not None:
            conn.execute("INSERT OR REPLACE INTO docs VALUES (?,?)", (rkey, doc_json))
        conn.execute("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)", (path, rkey, sha256, now, stat))


def link_files(conn, links: list[tuple[str, str, str, str | None]]) -> None:
    """Point each ``(path, rkey, sha256, stat)`` at an already stored result (a rerun reused it)."""
    if not links:
        return
    now = time.time()
    with transaction(conn):
        conn.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?)",
                         [(p, k, s, now, st) for p, k, s, st in links])


def file_stats(conn) -> dict[str, tuple[str | None, str, str]]:
    """``{path: (stat key, sha256, result key)}`` of every file in the current view."""
    return {p: (st, sha, rkey) for p, st, sha, rkey in
            conn.execute("SELECT path, stat, sha256, rkey FROM files")}


def remember_expected(conn, missing: list[dict]) -> None:
    """Remember the manifest rows whose file does not exist (reports expected but not found),
    by path, adding to those of earlier manifests; a path whose file now exists is forgotten."""
    known = dict(expected_rows(conn))
    known.update({m["key"]: {k: v for k, v in m.items() if k != "key"} for m in missing})
    known = {k: v for k, v in known.items() if not os.path.exists(k)}
    with transaction(conn):
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('expected', ?)", (_canon(known),))


def expected_rows(conn) -> dict[str, dict]:
    """``{path: manifest row}`` of the reports expected but not found (:func:`remember_expected`)."""
    row = conn.execute("SELECT value FROM meta WHERE key='expected'").fetchone()
    return json.loads(row[0]) if row else {}


def file_metadata(conn) -> dict[str, dict]:
    """``{path: manifest metadata}`` each file's current result was audited with: what a sweep
    without ``--manifest`` keeps using (the store remembers the manifest)."""
    return {p: json.loads(m) for p, m in conn.execute(
        "SELECT f.path, r.metadata FROM files f JOIN results r ON r.rkey = f.rkey") if m and m != "{}"}


def stat_key(st, now: float | None = None) -> str | None:
    """Size, modification time and inode of a file, as a string; None when the file changed
    too recently to trust it (an edit within the filesystem's clock tick would keep the same
    mtime — git's "racy" case), so its content is hashed again next time."""
    now = time.time() if now is None else now
    if now - st.st_mtime < RACY_SECONDS:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def update_history(conn, updates: list[tuple[str, dict, dict]]) -> None:
    """Store (rkey, entry, history fingerprint) after the cross-year rules ran, in one transaction."""
    if not updates:
        return
    with transaction(conn):
        conn.executemany("UPDATE results SET entry=?, history=?, updated=? WHERE rkey=?",
                         [(_plain(e), _canon(h), time.time(), k) for k, e, h in updates])


def find_previous(conn, agency_key: str, year: int, exclude: set[str] = frozenset()
                  ) -> tuple[str, str] | None:
    """(sha256, result key) of a current report of ``agency_key`` for ``year`` whose document is
    stored (:func:`get_doc` reads it), if any."""
    rows = conn.execute(
        "SELECT f.path, r.sha256, r.rkey FROM files f JOIN results r ON r.rkey = f.rkey "
        "WHERE r.agency_key=? AND r.year=? AND EXISTS (SELECT 1 FROM docs d WHERE d.rkey = r.rkey) "
        "ORDER BY f.path", (agency_key, year)).fetchall()
    for path, sha, rkey in rows:
        if path not in exclude:
            return sha, rkey
    return None


def current_results(conn) -> list[dict]:
    """Every file's latest result: ``{"path", "entry", "metadata", "sha256", "rkey"}``, in path
    order."""
    rows = conn.execute(
        "SELECT f.path, r.entry, r.metadata, r.sha256, r.rkey FROM files f JOIN results r ON r.rkey = f.rkey "
        "ORDER BY f.path").fetchall()
    return [{"path": p, "entry": json.loads(e), "metadata": json.loads(m), "sha256": s, "rkey": k}
            for p, e, m, s, k in rows]


def counts(conn) -> dict:
    """Row counts, for tests and ``--verbose`` figures."""
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("extracts", "results", "files")}
