"""Where ``auditor fetch`` keeps things in the output folder DIR.

- ``DIR/<host>/<name>``: the saved pages and files (names sanitised, stable across runs);
- ``DIR/manifest.csv``: one row per saved report file, for ``auditor audit --manifest``;
- ``DIR/fetch-log.csv``: what became of every URL in the last run, with the reason of failures;
- ``DIR/.fetch/state.json``: per URL the saved path, ETag, Last-Modified, sha256 and fetch
  time, so that a rerun asks only "has it changed?"; ``DIR/.fetch/previous/`` keeps the copy
  a republished file replaced.

Every file is written through a temporary file and a rename: never half-written.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
import urllib.parse
from pathlib import Path

from auditor.errors import ConfigError
from auditor.report import write_output
from auditor.sweep.manifest import COLUMNS

STATE = Path(".fetch") / "state.json"
PREVIOUS = Path(".fetch") / "previous"
MANIFEST = "manifest.csv"
LOG = "fetch-log.csv"
# the manifest's extra columns: the report a file is a version of (its page's URL), fetch time
MANIFEST_COLUMNS = COLUMNS + ("report", "fetched_at")
LOG_COLUMNS = ("url", "outcome", "reason", "message", "path", "report", "time")
MAX_STEM = 80
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with the one output writer (atomic, the usual permissions),
    creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_output(data, str(path))


def safe_name(name: str, suffix: str = "") -> str:
    """A file name from an untrusted one: last path component only, no control or reserved
    characters, no leading dots, at most ``MAX_STEM`` characters before the suffix; ``suffix``
    replaces one the name does not end with."""
    name = unicodedata.normalize("NFC", urllib.parse.unquote(name))
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, ext = os.path.splitext(name)
    if suffix and ext.lower() != suffix:
        stem, ext = name, suffix
    stem = stem.strip(" .")[:MAX_STEM].strip(" .") or "file"
    return stem + ext.lower()[:10]


def disposition_name(value: str) -> str | None:
    """The file name of a Content-Disposition header (``filename*=`` preferred), or None."""
    m = re.search(r"filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)", value, re.I)
    if m:
        try:
            return urllib.parse.unquote(m.group(2).strip().strip('"'), encoding=m.group(1), errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    m = re.search(r'filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)', value, re.I)
    if not m:
        return None
    raw = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
    try:   # servers often send UTF-8 or GBK bytes, which arrive read as Latin-1
        data = raw.encode("latin-1")
        for enc in ("utf-8", "gb18030"):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                continue
    except UnicodeEncodeError:
        pass
    return raw


def relative_path(url: str, name: str, url_of: dict[str, str]) -> str:
    """``<host>/<name>`` for ``url``; another URL's path is never reused (``url_of``: path → URL),
    a clash gets a short hash of the URL, so the same URL always gets the same name."""
    host = safe_name(urllib.parse.urlsplit(url).netloc.replace(":", "_"))
    rel = f"{host}/{name}"
    if url_of.get(rel, url) != url:
        stem, ext = os.path.splitext(name)
        rel = f"{host}/{stem}-{hashlib.sha1(url.encode()).hexdigest()[:8]}{ext}"
    return rel


def load_state(out: Path) -> dict:
    """``{"version": 1, "files": {url: entry}}`` from DIR, empty on a first run."""
    path = out / STATE
    if not path.exists():
        return {"version": 1, "files": {}}
    try:
        state = json.loads(path.read_text("utf-8"))
        if not isinstance(state.get("files"), dict):
            raise ValueError("no files")
        return state
    except (OSError, ValueError) as e:
        raise ConfigError(f"状态文件 {path} 无法读取（{e}）；删除它将重新抓取全部文件",
                          f"state file {path} is unreadable ({e}); delete it to fetch everything again") from None


def save_state(out: Path, state: dict) -> None:
    write_atomic(out / STATE, json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"))


def keep_previous(out: Path, entry: dict) -> str | None:
    """Move the copy a republished file replaces to ``.fetch/previous/``; its new path."""
    old = out / entry["path"]
    if not old.is_file():
        return None
    kept = PREVIOUS / f"{entry['sha256'][:12]}-{old.name}"
    (out / kept).parent.mkdir(parents=True, exist_ok=True)
    os.replace(old, out / kept)
    return kept.as_posix()


def _csv_bytes(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")     # with a BOM: Excel then reads the Chinese right


def write_manifest(out: Path, state: dict) -> Path:
    """DIR/manifest.csv: every saved report file that is still there (pages that only link to
    their attachments excluded), sorted by path."""
    rows = [dict(e, url=url) for url, e in state["files"].items()
            if e.get("in_manifest") and (out / e["path"]).is_file()]
    rows.sort(key=lambda r: r["path"])
    path = out / MANIFEST
    write_atomic(path, _csv_bytes(MANIFEST_COLUMNS, rows))
    return path


def write_log(out: Path, outcomes: list[dict], lang: str) -> Path:
    """DIR/fetch-log.csv: one row per URL of this run, messages in ``lang``."""
    rows = [dict(o, reason=o.get("kind", ""), message=o.get("en" if lang == "en" else "zh", ""))
            for o in outcomes]
    path = out / LOG
    write_atomic(path, _csv_bytes(LOG_COLUMNS, rows))
    return path
