"""Read: the bytes of a file → :class:`auditor.layout.Layout`.

A :class:`Reader` is one format's way in: its name, the suffixes it claims, a
``sniff`` on the first bytes, and ``read(data, path) -> Layout``.  Built-in
readers (:mod:`auditor.read.builtin`) and third-party ones are registered the
same way, through the ``auditor_register_readers`` hook; :func:`pick_reader`
chooses among them — the file's content first, its suffix second.

A reader that recognises a file but cannot read it raises an
:class:`auditor.errors.InputError` subclass (encrypted, scanned, corrupt …)
whose two messages the user sees; any other exception is a defect of the
reader.  Readers know files and bytes only: never the parser, rules or output.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Mapping

from auditor.errors import EmptyFile, InputError, PluginCrash, UnsupportedFormat
from auditor.layout import Layout
from auditor.read.builtin import READERS
from auditor.read.reader import HEAD_BYTES, Reader

__all__ = ["Reader", "HEAD_BYTES", "READERS", "pick_reader", "suffix_reader", "read_bytes", "read_file",
           "read"]


def _preferred(candidates: list[Reader], engines: Mapping[str, str]) -> Reader:
    """The candidate whose engine the settings name for its format, else the first."""
    for r in candidates:
        if r.engine and engines.get(r.format) == r.engine:
            return r
    return candidates[0]


def suffix_reader(suffix: str, readers: Iterable[Reader], engines: Mapping[str, str] | None = None
                  ) -> Reader | None:
    """The reader a file's suffix alone picks (when no sniff claims its bytes), or None."""
    suffix = suffix.lower()
    by_suffix = [r for r in readers if suffix in r.suffixes]
    return _preferred(by_suffix, engines or {}) if by_suffix else None


def pick_reader(data: bytes, suffix: str, readers: Iterable[Reader],
                engines: Mapping[str, str] | None = None) -> Reader:
    """The reader of a file: the first whose sniff claims its first bytes, else the one of its
    suffix; :class:`UnsupportedFormat` when none."""
    readers = list(readers)
    engines = engines or {}
    head = data[:HEAD_BYTES]
    for r in readers:
        if r.sniff is not None and r.sniff(head):
            return _preferred([c for c in readers if c.format == r.format], engines)
    by_suffix = suffix_reader(suffix, readers, engines)
    if by_suffix is not None:
        return by_suffix
    known = sorted({s for r in readers for s in r.suffixes})
    raise UnsupportedFormat(
        f"不支持的文件类型“{suffix or '无后缀'}”：支持 {' '.join(known)}",
        f"unsupported file type {suffix or '(no suffix)'!r}: supported are {' '.join(known)}")


def read_bytes(data: bytes, path: str = "", readers: Iterable[Reader] | None = None,
               engines: Mapping[str, str] | None = None) -> Layout:
    """Read a file's bytes into a Layout with the reader :func:`pick_reader` chooses among
    ``readers`` (the built-in ones when None)."""
    if readers is None:
        readers = READERS
    if not data.strip():
        raise EmptyFile("文件为空", "the file is empty")
    reader = pick_reader(data, Path(path).suffix, readers, engines)
    try:
        layout = reader.read(data, path)
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - a reader's defect, named with its plugin
        if not reader.plugin or reader.plugin.startswith("builtin"):
            raise
        raise PluginCrash(f"reader {reader.name}", reader.plugin, e) from e
    layout.path = path
    layout.sha256 = hashlib.sha256(data).hexdigest()
    if reader.engine:
        layout.meta.setdefault("engine", reader.engine)
    return layout


def read_file(path: str | Path) -> bytes:
    """A file's bytes; :class:`InputError` with a user message when it cannot be read."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件：{p}", f"no such file: {p}") from None
    except IsADirectoryError:
        raise InputError(f"这是文件夹，不是文件：{p}", f"is a folder, not a file: {p}") from None
    except OSError as e:
        raise InputError(f"无法读取文件：{p}（{e.strerror}）", f"cannot read {p}: {e.strerror}") from None


def read(path: str | Path, readers: Iterable[Reader] | None = None,
         engines: Mapping[str, str] | None = None) -> Layout:
    """Read the file at ``path`` (built-in readers unless ``readers`` are given)."""
    return read_bytes(read_file(path), str(path), readers, engines)
