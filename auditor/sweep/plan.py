"""Planning a sweep: which files, which of them the store already answers, what the workers do.

:func:`collect_files` walks the given paths and accounts for every file: a file is handed to the
pipeline (which reads it or refuses it with a reason: unsupported type, empty, encrypted, not a
report …) unless it is an obvious non-report (images no reader claims, spreadsheets, archives,
system and lock files, the sweep's own store and outputs) or matches ``--exclude``; those are
*skipped*, with the reason, in the run's inventory.  Nothing is dropped silently.

:func:`plan` then, with a store (``--db``), hashes each file's bytes (unless its size, mtime
and inode are those the store saw with its hash): a file whose result key (content hash,
configuration digest, tool and plugin versions, manifest row) is already stored is *reused*; a
file whose extraction is cached is sent to a worker with its document, so only the rules run
again.
"""
from __future__ import annotations

import fnmatch
import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Iterable

from auditor import __version__
from auditor.i18n import text
from auditor.read import suffix_reader
from auditor.rules.host import plugin_summary
from auditor.sweep.manifest import path_key
from auditor.sweep.store import (file_metadata, file_stats, get_extract, get_result, link_files, result_key,
                                  stat_key)

# Obvious non-reports: listed as skipped, not refused.  A suffix some reader claims (an OCR
# reader claiming images, say) is read instead.
SKIP_SUFFIXES = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".svg"),
                    ("图片（未安装 OCR：pip install 'disclosure-auditor[ocr]'）",
                     "image (no OCR installed: pip install 'disclosure-auditor[ocr]')")),
    **dict.fromkeys((".xls", ".xlsx", ".et", ".ods", ".csv", ".tsv"), ("电子表格", "spreadsheet")),
    **dict.fromkeys((".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz"), ("压缩包", "archive")),
    **dict.fromkeys((".db", ".sqlite", ".sqlite3", ".db-wal", ".db-shm", ".db-journal"),
                    ("数据库文件", "database file")),
    **dict.fromkeys((".yaml", ".yml", ".toml", ".ini", ".cfg"), ("配置文件", "configuration file")),
}
SKIP_NAMES = {"thumbs.db": ("系统文件", "system file"), "desktop.ini": ("系统文件", "system file")}


def _skip_reason(path: Path, suffixes: set[str]) -> tuple[str, str] | None:
    name = path.name
    if name.startswith(("~$", ".~lock.")):
        return "Office 锁文件", "office lock file"
    if name.startswith("."):
        return "隐藏文件", "hidden file"
    if name.lower() in SKIP_NAMES:
        return SKIP_NAMES[name.lower()]
    suffix = path.suffix.lower()
    if suffix in suffixes:
        return None
    for s, reason in SKIP_SUFFIXES.items():
        if name.lower().endswith(s):
            return reason
    return None


def _excluded(path: Path, root: Path, patterns: list[str]) -> str | None:
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    for pattern in patterns:
        if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path.name, pattern):
            return pattern
    return None


def collect_files(paths: Iterable[str | Path], suffixes: Iterable[str] = (),
                  exclude: Iterable[str] = (), own: Iterable[str | Path] = ()
                  ) -> tuple[list[Path], list[dict]]:
    """(files to audit, skipped) under ``paths``: each file as given, folders searched
    recursively (hidden folders skipped), sorted, no duplicates.  A path that does not exist
    is kept (its result will say so).  ``suffixes``: those the readers claim; ``own``: the
    sweep's own store, manifest and output files, never audited."""
    suffixes, patterns = {s.lower() for s in suffixes}, list(exclude)
    own_keys = {os.path.normcase(os.path.abspath(p)) for p in own}
    files: list[Path] = []
    skipped: list[dict] = []
    seen = set()
    for p in paths:
        p = Path(p)
        found = _walk(p) if p.is_dir() else [p]
        for f in found:
            key = os.path.normcase(os.path.abspath(f))
            if key in seen:
                continue
            seen.add(key)
            if key in own_keys or any(key.startswith(o + "-") for o in own_keys):
                reason = ("本次运行自己的文件（结果库、清单或输出）", "this run's own file (store, manifest or output)")
            elif pattern := _excluded(f, p, patterns) if p.is_dir() else None:
                reason = (f"被 --exclude {pattern} 排除", f"excluded by --exclude {pattern}")
            else:
                reason = _skip_reason(f, suffixes) if p.is_dir() else None
            if reason is None:
                files.append(f)
            else:
                skipped.append({"path": str(f), "outcome": "skipped", "reason": text(*reason)})
    return files, skipped


def _walk(folder: Path) -> list[Path]:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(root) / n for n in names)
    return sorted(out, key=lambda f: f.as_posix())


# -- versions and keys ------------------------------------------------------------------

def _sources_digest(root: Path, *parts: str) -> str:
    """sha256 of the ``.py`` files under ``root`` (or the listed parts of it)."""
    h = hashlib.sha256()
    for rel in parts or ("",):
        p = root / rel
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            if f.is_file():
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


AUDITOR_ROOT = Path(__file__).resolve().parent.parent
_PARSER_VERSION: list[str] = []


def parser_version(host=None, engines: dict | None = None) -> str:
    """Tool version + a digest of the extraction code + the readers' versions + the engines the
    settings choose (``readers:``, ``--pdf-engine``): the extraction cache's version key."""
    if not _PARSER_VERSION:
        digest = _sources_digest(AUDITOR_ROOT, "read", "parse", "layout.py", "normalize.py",
                                 "templates.py")
        _PARSER_VERSION.append(f"{__version__}+{digest}")
    versions = sorted(f"{r.name}={r.version}" for r in getattr(host, "readers", ()) if r.version)
    chosen = sorted(f"{k}:{v}" for k, v in (engines or {}).items())
    return (_PARSER_VERSION[0] + (";" + ",".join(versions) if versions else "")
            + (";engines=" + ",".join(chosen) if chosen else ""))


def tool_version(host) -> str:
    """Tool, parser, engine and every plugin's version (plus the code digest of the built-in
    pack and of local plugin files, whose version number does not move while they are edited):
    a stored result is only reused under the same."""
    plugins = sorted(f"{p['entry_point']}=={p['version']}" for p in plugin_summary(host))
    code = [_sources_digest(AUDITOR_ROOT, "rules", "pipeline.py", "score.py", "settings.py",
                            "check.py", "results.py")]
    for name, plugin in sorted(host.pm.list_name_plugin(), key=lambda x: str(x[0])):
        path = getattr(plugin, "__file__", None)
        if path and not str(path).startswith(sys.prefix + os.sep + "lib"):
            p = Path(path)
            code.append(_sources_digest(p.parent) if p.name == "__init__.py" else _sources_digest(p.parent, p.name))
    return (f"disclosure-auditor=={__version__};parser={parser_version(host)};" + ",".join(plugins)
            + ";code=" + hashlib.sha256("|".join(code).encode()).hexdigest()[:16])


def file_sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def file_identity(path: Path, key: str, known: dict, now: float) -> tuple[str | None, str | None]:
    """(sha256, stat key) of a file.  The hash is taken from the store's ``files`` view when the
    file's size, mtime and inode are those recorded with it, as git and make trust them."""
    try:
        stat = stat_key(os.stat(path), now)
    except OSError:
        return None, None
    if stat is not None and key in known and known[key][0] == stat:
        return known[key][1], stat
    return file_sha256(path), stat


def reads_as(path: Path, readers, engines: dict) -> str:
    """The reader ``path``'s suffix picks, part of the store's keys for the file: the same bytes
    under another suffix may be read by another reader (a text named ``.docx``)."""
    reader = suffix_reader(path.suffix, readers, engines)
    return reader.name if reader is not None else ""


def plan(files: list[Path], manifest: dict | None, conn, settings, tool: str, parser: str,
         readers=()) -> tuple[list[dict], list[dict]]:
    """(items, tasks): one item per file, in order; tasks for files that need a worker.

    ``manifest`` None (no ``--manifest``): each file keeps the metadata the store remembers it
    was audited with; a manifest given (even an empty one) decides alone.  Each item's
    ``parser`` is the extraction cache's key for it (``parser`` and what its suffix reads as)."""
    known = file_stats(conn) if conn is not None else {}
    if manifest is None:
        manifest = file_metadata(conn) if conn is not None else {}
    now = time.time()
    items, tasks, links = [], [], []
    for i, f in enumerate(files):
        key = path_key(f)
        meta = dict(manifest.get(key) or {})
        # without a store nothing is looked up by content: no file is read twice
        sha, stat = file_identity(f, key, known, now) if conn is not None else (None, None)
        suffix_says = reads_as(f, readers, settings.engines)
        it = {"index": i, "key": key, "display": str(f), "sha": sha, "stat": stat, "metadata": meta,
              "rkey": None, "parser": f"{parser};as={suffix_says}" if suffix_says else parser}
        items.append(it)
        if sha is not None:
            it["rkey"] = result_key(sha, settings.digest, tool, meta, suffix_says)
        stored = get_result(conn, it["rkey"]) if conn is not None and sha else None
        if stored is not None:
            entry = dict(stored["entry"], path=it["display"])
            it.update(entry=entry, history=stored["history"], agency_key=stored["agency_key"],
                      year=stored["year"], ok=not entry.get("error"), reused=True)
            if known.get(key) != (stat, sha, it["rkey"]):
                links.append((key, it["rkey"], sha, stat))
            continue
        task = {"index": i, "path": str(f), "display": it["display"], "metadata": meta,
                "store": conn is not None and bool(sha)}
        if conn is not None and sha:
            cached = get_extract(conn, sha, it["parser"])
            if cached is not None:
                task["doc"], task["error"] = cached
        tasks.append(task)
    if conn is not None:
        link_files(conn, links)
    return items, tasks
