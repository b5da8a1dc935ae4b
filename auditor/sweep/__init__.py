"""Sweeps: audit many files in worker processes, reuse the results store, run the cross-year rules.

A sweep goes in three steps:

1. **Plan** (parent): collect the files, read each one's manifest row.  With a
   store (``--db``), hash each file's bytes (unless its size, mtime and inode
   are those the store saw with its hash): a file whose result key (content hash,
   configuration digest, tool and plugin versions, language, manifest row) is
   already stored is *reused*; a file whose extraction is cached is sent to a
   worker with its document, so only the rules run again.
2. **Audit** (workers, :mod:`auditor.sweep.local`): each worker process rebuilds the plugin host from the
   configuration dict (:func:`auditor.rules.host.host_from_config`; nothing
   unpicklable crosses), reads and parses the file (the expensive stage stays
   in the worker), applies the manifest's metadata and runs the rules.  Only
   plain data comes back.  The parent stores each result as it arrives, in
   its own transaction, so a killed sweep keeps everything finished.
   A file that runs past ``timeout`` seconds, or whose worker dies, gets an
   entry with an ``error``; the pool is rebuilt and the sweep goes on.
3. **Cross-year** (parent): rules with ``needs_history`` (X601, X602) run with
   a history callable that finds the same agency's other years — in this
   sweep first, then in the store.  Agencies match by :func:`agency_key`
   (or the manifest's ``agency``).  A stored result remembers which previous
   documents it was checked against, so a rerun with nothing changed redoes
   nothing.

Results come back in the order of :func:`auditor.rules.run.collect_files`,
whatever the number of workers.
"""
from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import sys
import time
import zlib
from pathlib import Path
from typing import Callable, Iterable

from auditor.agencies import agency_key, infer_level
from auditor.errors import ConfigError, InputError

DEFAULT_TIMEOUT = 300.0        # seconds per file in worker processes


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


def _auditor_root() -> Path:
    import auditor
    return Path(auditor.__file__).parent


_PARSER_VERSION: list[str] = []


def parser_version() -> str:
    """Tool version + a digest of the extraction code: the extraction cache's version key."""
    if not _PARSER_VERSION:
        from auditor import __version__
        digest = _sources_digest(_auditor_root(), "read", "parse", "layout.py", "normalize.py",
                                 "templates.py")
        _PARSER_VERSION.append(f"{__version__}+{digest}")
    return _PARSER_VERSION[0]


def tool_version(host) -> str:
    """Tool, parser, engine and every plugin's version (plus the code digest of the built-in
    pack and of local plugin files, whose version number does not move while they are edited):
    a stored result is only reused under the same."""
    from auditor import __version__
    from auditor.rules.host import plugin_summary
    plugins = sorted(f"{p['entry_point']}=={p['version']}" for p in plugin_summary(host))
    code = [_sources_digest(_auditor_root(), "rules", "score.py", "settings.py")]
    for name, plugin in sorted(host.pm.list_name_plugin(), key=lambda x: str(x[0])):
        path = getattr(plugin, "__file__", None)
        if path and not str(path).startswith(sys.prefix + os.sep + "lib"):
            p = Path(path)
            code.append(_sources_digest(p.parent) if p.name == "__init__.py" else _sources_digest(p.parent, p.name))
    return (f"disclosure-auditor=={__version__};parser={parser_version()};" + ",".join(plugins)
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


# -- one file (runs in a worker, or in-process with -j 1) ---------------------------------

def apply_overrides(doc: dict, metadata: dict, display: str) -> dict:
    """The manifest's agency and year win over the parser's."""
    doc.setdefault("source", {})["path"] = display
    if metadata.get("agency"):
        doc["agency"] = metadata["agency"]
    if metadata.get("year"):
        doc["year"] = int(metadata["year"])
    return doc


def rule_metadata(metadata: dict, doc: dict | None) -> dict:
    """What rules get as ``ctx.metadata``: the manifest row, with the level guessed when absent."""
    meta = dict(metadata)
    if not meta.get("level") and doc is not None:
        level = infer_level(doc.get("agency"))
        if level:
            meta["level"] = level
            meta["level_inferred"] = True
    return meta


def _error(zh: str, en: str, kind: str) -> dict:
    return {"zh": zh, "en": en, "kind": kind}


def process_task(task: dict, config: dict, host) -> dict:
    """Extract (unless cached), apply the manifest, audit.  Returns plain data only.

    The document goes back compressed, with the two fields the parent indexes on, so the parent
    (which shares the cores with the workers) neither parses nor compresses it: as JSON when
    the sweep stores it (``task["store"]``), else as :mod:`marshal` data, which is all the
    cross-year pass needs and several times quicker both ways."""
    from auditor.rules.run import audit_document, error_entry, notify_parsed
    lang = config.get("lang", "zh")
    out: dict = {"index": task["index"]}
    doc, doc_json, error = None, task.get("doc"), task.get("error")
    if doc_json is None and error is None:
        try:
            from auditor.parse import parse_file
            doc = parse_file(task["path"])
        except InputError as e:
            error = out["extract_error"] = _error(e.message("zh"), e.message("en"),
                                                  getattr(e, "kind", "unreadable"))
        except Exception as e:  # noqa: BLE001 - a parser bug must not stop the sweep
            what = f"{type(e).__name__}: {e}"
            error = _error(f"解析时发生内部错误（{what}），已跳过此文件",
                           f"internal error while parsing ({what}); file skipped", "internal")
            out["transient"] = True
        else:
            if task.get("store"):         # the extraction cache keeps the parser's own document
                out["extracted"] = json.dumps(doc, ensure_ascii=False)
    if error is not None:
        out["entry"] = error_entry(task["display"], error["zh"], error["en"], lang, error["kind"])
        return out
    doc = apply_overrides(doc if doc is not None else json.loads(doc_json), task["metadata"],
                          task["display"])
    notify_parsed(doc, host)
    if task.get("store"):
        final = json.dumps(doc, ensure_ascii=False)
        if out.get("extracted") == final:
            out["extracted"] = True            # the same text: not sent twice
        out["doc_z"] = zlib.compress(final.encode("utf-8"), 1)
    else:
        out["doc_z"] = zlib.compress(marshal.dumps(doc), 1)
    year = doc.get("year")
    out["agency"], out["year"] = doc.get("agency"), year if isinstance(year, int) else None
    out["entry"] = audit_document(doc, config, host, path=task["display"],
                                  metadata=rule_metadata(task["metadata"], doc))
    return out


# -- progress --------------------------------------------------------------------------

def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def progress_bar(total: int, lang: str = "zh", stream=None) -> Callable[[int, bool], None]:
    """A progress callback ``(done, final)`` drawing on ``stream`` (stderr) only if it is a terminal."""
    stream = stream or sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()) or total <= 0:
        return lambda done, final=False: None
    start = time.monotonic()
    last = [0.0]

    def update(done: int, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - last[0] < 0.1:
            return
        last[0] = now
        elapsed = max(now - start, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate > 0 else 0
        width = 28
        filled = int(width * done / total)
        bar = "█" * filled + "░" * (width - filled)
        if lang == "en":
            text = f"{bar} {done}/{total}  {rate:.1f} files/s  ETA {_clock(left)}"
        else:
            text = f"{bar} {done}/{total}  {rate:.1f} 份/秒  剩余 {_clock(left)}"
        stream.write("\r" + text + ("\n" if final else ""))
        stream.flush()
    return update


# -- cross-year rules (parent) -----------------------------------------------------------

def history_rules(config: dict, host, by_code: dict) -> list:
    """The selected cross-year rules (``needs_history``), each with its settings."""
    from auditor.settings import selected_rules
    return [(r, by_code[r.code]) for r in selected_rules(config, host.rules) if r.needs_history]


def run_history_rules(doc: dict, config: dict, rules: list, history: Callable, metadata: dict,
                      by_code: dict) -> list:
    """Findings of the cross-year ``rules`` (from :func:`history_rules`) that apply to ``doc``,
    scored among themselves (``by_code``: every rule's settings)."""
    from auditor.rules.run import doc_year, make_context, rule_template, run_rule
    from auditor.score import score_findings
    template, year = rule_template(doc, config), doc_year(doc)
    findings = []
    for r, settings in rules:
        if r.applies_to(template, year):
            ctx = make_context(r, doc, config, settings, [], history, metadata, template)
            findings.extend(run_rule(r, doc, ctx, settings))
    score_findings(findings, by_code, config["scoring"])
    return findings


def merge_findings(entry: dict, findings: list, codes: set[str], config: dict) -> dict:
    """``entry`` with its cross-year findings replaced by ``findings``; score and grade redone."""
    from auditor.score import grade, report_failed
    old = entry.get("findings") or []
    kept = [f for f in old if f.get("code") not in codes]
    if len(kept) == len(old) and not findings:
        return entry
    lang = config.get("lang", "zh")
    merged = sorted(kept + [f.to_dict(lang) for f in findings], key=lambda f: f.get("code") or "")
    score = round(max(0.0, 100.0 - sum(f.get("deduction") or 0 for f in merged)), 2)
    out = dict(entry, findings=merged, score=score, grade=grade(score, config["scoring"].get("grades") or {}))
    out["failed"] = report_failed(out, config["scoring"])
    return out


def cross_year(items: list[dict], config: dict, host, conn=None) -> None:
    """Run the cross-year rules on every audited item whose history changed (in place)."""
    from auditor.rules.run import settings_by_code
    by_code = settings_by_code(config, host)
    rules = history_rules(config, host, by_code)
    if not rules:
        return
    codes = {r.code for r in host.rules.values() if r.needs_history}
    index: dict = {}
    for it in items:
        if it.get("ok") and it.get("agency_key") and it.get("year"):
            index.setdefault((it["agency_key"], it["year"]), it)
    sweep_paths = {it["key"] for it in items}
    store_docs: dict = {}

    @functools.lru_cache(maxsize=128)       # a few documents at a time, never the whole sweep
    def doc_of(i: int) -> dict:
        return load_doc(items[i], conn)

    def lookup(akey: str, year: int):
        it = index.get((akey, year))
        if it is not None:
            return it["sha"], lambda: doc_of(it["index"])
        if conn is None:
            return None
        if (akey, year) not in store_docs:
            store_docs[(akey, year)] = _store_previous(conn, akey, year, sweep_paths)
        return store_docs[(akey, year)]

    updates = []
    for it in items:
        if not it.get("ok") or not it.get("agency_key"):
            continue
        fp = it.get("history")
        if fp is not None and all((lookup(it["agency_key"], int(y)) or (None,))[0] == sha
                                  for y, sha in fp.items()):
            continue
        requested: dict = {}

        def history(year, _akey=it["agency_key"], _req=requested):
            found = lookup(_akey, int(year)) if isinstance(year, int) else None
            _req[str(year)] = found[0] if found else None
            return found[1]() if found else None

        doc = doc_of(it["index"])
        findings = run_history_rules(doc, config, rules, history, rule_metadata(it["metadata"], doc),
                                     by_code)
        it["entry"] = merge_findings(it["entry"], findings, codes, config)
        it["history"] = requested
        updates.append((it["rkey"], it["entry"], requested))
    if conn is not None and updates:
        from auditor.sweep.store import update_history
        update_history(conn, [u for u in updates if u[0]])


def _store_previous(conn, akey: str, year: int, exclude: set[str]):
    from auditor.sweep.store import find_previous
    found = find_previous(conn, akey, year, exclude)
    if found is None:
        return None
    sha, rkey = found
    return sha, functools.cache(lambda: load_doc({"rkey": rkey}, conn))


def load_doc(it: dict, conn) -> dict:
    """An item's document (the one its rules saw): from the store when it was stored there, else
    from what the worker sent.  Not kept: a sweep of thousands of reports holds no documents."""
    from auditor.sweep.store import get_doc
    packed = it.get("doc_z")
    if packed:
        return marshal.loads(zlib.decompress(packed))
    text = get_doc(conn, it["rkey"]) if conn is not None else None
    return json.loads(text) if text else {}


# -- the sweep -------------------------------------------------------------------------

def file_identity(path: Path, key: str, known: dict, now: float) -> tuple[str | None, str | None]:
    """(sha256, stat key) of a file.  The hash is taken from the store's ``files`` view when the
    file's size, mtime and inode are those recorded with it, as git and make trust them."""
    from auditor.sweep.store import stat_key
    try:
        stat = stat_key(os.stat(path), now)
    except OSError:
        return None, None
    if stat is not None and key in known and known[key][0] == stat:
        return known[key][1], stat
    return file_sha256(path), stat


def plan(files: list[Path], manifest: dict, conn, config: dict, tool: str
         ) -> tuple[list[dict], list[dict]]:
    """(items, tasks): one item per file, in order; tasks for files that need a worker."""
    from auditor.settings import digest
    from auditor.sweep.manifest import path_key
    from auditor.sweep.store import file_stats, get_extract, get_result, link_files, result_key
    lang = config.get("lang", "zh")
    cdigest, pver = digest(config), parser_version()
    known = file_stats(conn) if conn is not None else {}
    now = time.time()
    items, tasks, links = [], [], []
    for i, f in enumerate(files):
        key = path_key(f)
        meta = dict(manifest.get(key) or {})
        # without a store nothing is looked up by content: no file is read twice
        sha, stat = file_identity(f, key, known, now) if conn is not None else (None, None)
        it = {"index": i, "key": key, "display": str(f), "sha": sha, "stat": stat, "metadata": meta,
              "rkey": None}
        items.append(it)
        if sha is not None:
            it["rkey"] = result_key(sha, cdigest, tool, lang, meta)
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
            cached = get_extract(conn, sha, pver)
            if cached is not None:
                task["doc"], task["error"] = cached
        tasks.append(task)
    if conn is not None:
        link_files(conn, links)
    return items, tasks


def _receiver(items: list[dict], conn, config: dict, tool: str, tick: Callable[[], None]) -> Callable:
    """``handle(task, result)``: fill the item in, store it at once (one transaction)."""
    from auditor.settings import digest
    from auditor.sweep.store import put_result
    lang = config.get("lang", "zh")
    cdigest, pver = digest(config), parser_version()

    def handle(task: dict, result: dict) -> None:
        it = items[task["index"]]
        entry = result["entry"]
        ok = not entry.get("error")
        packed = result.get("doc_z")
        stored = task.get("store", False) and not result.get("transient")   # the worker sent JSON
        doc_json = zlib.decompress(packed).decode("utf-8") if packed and stored else None
        agency = result.get("agency") if packed else None
        # keep the document (compressed) only when the store does not hold it (see load_doc)
        it.update(entry=entry, ok=ok, doc_z=None if stored else packed, history=None,
                  agency_key=agency_key(agency) if packed else None,
                  year=result.get("year") if packed else None)
        if stored:
            extract = None
            if "extracted" in result or "extract_error" in result:
                extracted = result.get("extracted")
                extract = (pver, doc_json if extracted is True else extracted,
                           result.get("extract_error"))
            put_result(conn, rkey=it["rkey"], path=it["key"], sha256=it["sha"], config=cdigest,
                       tool=tool, lang=lang, agency=agency,
                       agency_key=it["agency_key"], year=it["year"], metadata=it["metadata"],
                       doc_json=doc_json, entry=entry, extract=extract, stat=it["stat"])
        tick()

    return handle


def sweep(paths: Iterable[str | Path], config: dict, host, *, jobs: int = 1, db: str | None = None,
          manifest: str | None = None, timeout: float | None = None, progress: bool = True,
          stream=None) -> dict:
    """Audit every report under ``paths``.

    Returns ``{"results": [entries in file order], "interrupted": bool, "stats": {...}}``.
    Ctrl-C stops the sweep; what finished is in ``results`` (and in the store).
    """
    from auditor.rules.run import collect_files
    from auditor.sweep.manifest import read_manifest
    lang = config.get("lang", "zh")
    meta = read_manifest(manifest) if manifest else {}
    files = collect_files(paths)
    if not files:
        raise ConfigError("没有找到可审核的报告文件（.pdf .txt .md .html .htm）",
                          "no report files found (.pdf .txt .md .html .htm)")
    conn = None
    if db:
        from auditor.sweep.store import open_store
        conn = open_store(db)
    try:
        return _run(files, meta, conn, config, host, jobs, timeout, progress, stream, lang)
    finally:
        if conn is not None:
            conn.close()


def _run(files, meta, conn, config, host, jobs, timeout, progress, stream, lang) -> dict:
    t0 = time.monotonic()
    tool = tool_version(host)
    items, tasks = plan(files, meta, conn, config, tool)
    reused = len(items) - len(tasks)
    draw = progress_bar(len(items), lang, stream) if progress else (lambda d, final=False: None)
    done = [reused]
    draw(done[0])

    def tick() -> None:
        done[0] += 1
        draw(done[0])

    handle = _receiver(items, conn, config, tool, tick)
    interrupted = False
    try:
        if not tasks:
            pass
        elif jobs <= 1 and not timeout:
            for t in tasks:
                handle(t, process_task(t, config, host))
        else:
            from auditor.sweep.local import run_pool
            run_pool(tasks, config, max(1, jobs), timeout or DEFAULT_TIMEOUT, handle)
    except KeyboardInterrupt:
        interrupted = True
    draw(done[0], True)
    if not interrupted:
        cross_year(items, config, host, conn)
    finished = [it for it in items if "entry" in it]
    return {"results": [it["entry"] for it in finished], "interrupted": interrupted,
            "stats": {"files": len(items), "reused": reused, "audited": len(finished) - reused,
                      "seconds": round(time.monotonic() - t0, 3)}}


def resolve_jobs(value: str | int | None) -> int:
    """``-j N`` or ``auto`` (= CPU count)."""
    if value in (None, "", 0, "0"):
        return 1
    if str(value).lower() == "auto":
        return os.cpu_count() or 1
    try:
        n = int(value)
    except ValueError:
        raise ConfigError(f"-j/--jobs 应为正整数或 auto，而不是“{value}”",
                          f"-j/--jobs must be a positive number or auto, not {value!r}") from None
    if n < 1:
        raise ConfigError("-j/--jobs 至少为 1", "-j/--jobs must be at least 1")
    return n
