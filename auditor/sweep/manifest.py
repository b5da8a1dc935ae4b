"""The sweep manifest: a CSV saying what each file is, overriding what the parser read.

Header (any order; extra columns are kept as metadata, e.g. ``region``)::

    path,agency,year,publish_date,level,url

- ``path`` — the report file, relative to the manifest's folder (or absolute);
- ``agency`` — the agency's name; it also decides which reports are "the same
  agency" across years;
- ``year`` — the report year;
- ``publish_date`` — when the report was published (``2024-01-25``,
  ``2024/1/25`` or ``2024年1月25日``); D404 compares it with the deadline;
- ``level`` — ``department``, ``government`` or ``township`` (or 部门/政府/乡镇);
- ``url`` — where it was published.

Empty cells override nothing.  The file may be UTF-8 (with or without BOM) or
GBK/GB18030 as Excel saves it.  Every bad row is reported with its line
number, all at once, as a :class:`~auditor.errors.ConfigError`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

from auditor.agencies import LEVELS
from auditor.errors import ConfigError

COLUMNS = ("path", "agency", "year", "publish_date", "level", "url")
LEVEL_ALIASES = {"部门": "department", "政府": "government", "人民政府": "government",
                 "乡镇": "township", "乡镇街道": "township", "街道": "township"}
_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _decode(data: bytes, path: Path) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ConfigError(f"清单 {path} 的编码无法识别（请保存为 UTF-8）",
                      f"manifest {path}: unknown encoding (save it as UTF-8)")


def parse_date(text: str) -> str | None:
    """ISO date of ``2024-01-25`` / ``2024/1/25`` / ``2024年1月25日``; None if it is not a date."""
    m = _DATE_RE.match(text or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _row_entry(row: dict, base: Path) -> tuple[str, dict, list[tuple[str, str]]]:
    """(absolute path key, metadata, problems) of one CSV row."""
    problems = []
    meta = {k: (v or "").strip() for k, v in row.items() if k}
    meta = {k: v for k, v in meta.items() if v}
    raw_path = meta.pop("path", "")
    if not raw_path:
        problems.append(("缺少 path", "path is empty"))
    if "year" in meta:
        if re.fullmatch(r"(19|20)\d{2}", meta["year"]):
            meta["year"] = int(meta["year"])
        else:
            problems.append((f"year“{meta['year']}”不是四位年份", f"year {meta['year']!r} is not a year"))
    if "publish_date" in meta:
        iso = parse_date(meta["publish_date"])
        if iso is None:
            problems.append((f"publish_date“{meta['publish_date']}”不是日期（如 2024-01-25）",
                             f"publish_date {meta['publish_date']!r} is not a date (e.g. 2024-01-25)"))
        else:
            meta["publish_date"] = iso
    if "level" in meta:
        level = LEVEL_ALIASES.get(meta["level"], meta["level"].lower())
        if level not in LEVELS:
            problems.append((f"level“{meta['level']}”应为 department、government 或 township",
                             f"level {meta['level']!r} must be department, government or township"))
        meta["level"] = level
    key = path_key(base / raw_path) if raw_path else ""
    return key, meta, problems


def path_key(path: str | Path) -> str:
    """How the manifest and the sweep name the same file."""
    return os.path.normcase(os.path.abspath(path))


def read_manifest(path: str | Path, missing: list | None = None) -> dict[str, dict]:
    """``{absolute path: metadata}``; raises :class:`ConfigError` listing every bad row.

    A row whose file does not exist is an error — unless a ``missing`` list is given: the
    row's metadata (with its ``path`` as written and its absolute ``key``) is then appended to
    it (a report the team expects and has not got; the scorecard shows it as not published)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"无法读取清单 {path}：{e.strerror}",
                          f"cannot read manifest {path}: {e.strerror}") from None
    reader = csv.DictReader(io.StringIO(_decode(data, path), newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or ()]
    if "path" not in header:
        raise ConfigError(f"清单 {path} 的第一行必须是表头，至少包含 path 列（{','.join(COLUMNS)}）",
                          f"manifest {path}: the first line must be a header with a path column "
                          f"({','.join(COLUMNS)})")
    reader.fieldnames = header
    out: dict[str, dict] = {}
    errors: list[tuple[str, str]] = []
    for row in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if None in row:
            errors.append((f"第 {line} 行的列数多于表头", f"line {line}: more cells than the header"))
            row.pop(None)
        key, meta, problems = _row_entry(row, path.parent)
        errors += [(f"第 {line} 行：{zh}", f"line {line}: {en}") for zh, en in problems]
        if key and key in out:
            errors.append((f"第 {line} 行：文件重复出现", f"line {line}: the file is listed twice"))
        elif key and not Path(key).is_file():
            if missing is not None and not problems:
                missing.append(dict(meta, path=row.get("path"), key=key))
                continue
            errors.append((f"第 {line} 行：找不到文件 {row.get('path')}",
                           f"line {line}: no such file {row.get('path')}"))
        if key and not problems:
            out[key] = meta
    if errors:
        shown = errors[:10] + ([("……", "…")] if len(errors) > 10 else [])
        raise ConfigError(f"清单 {path} 有 {len(errors)} 处错误：" + "；".join(z for z, _ in shown),
                          f"manifest {path} has {len(errors)} error(s): " + "; ".join(e for _, e in shown))
    return out


