"""Report: render results for people and machines.  Reporters never compute.

A :class:`Reporter` is an output format: its name (``--format NAME``), whether it renders a
**run** (``auditor audit``: :func:`auditor.results.run_result`) or a **scorecard**
(``auditor scorecard``: :func:`auditor.sweep.scorecard.build`), and
``render(data, lang) -> str | bytes``.  The data are language-neutral; a reporter picks the
language (:func:`auditor.results.localize`, :mod:`auditor.i18n`).  Built-in formats
(:mod:`auditor.report.builtin`) and plugins' formats register on ``auditor_register_reporters``
alike.  :func:`write_output` is the one way every output reaches a file.
"""
from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from typing import Callable

from auditor.errors import ConfigError, OutputError

RUN, SCORECARD = "run", "scorecard"


@dataclass(frozen=True)
class Reporter:
    """``render(data, lang)`` returns text (str) or, for binary formats, bytes."""
    name: str
    kind: str                       # RUN or SCORECARD
    render: Callable[[dict, str], str | bytes]
    description: str = ""
    plugin: str = ""


def reporters_of(host, kind: str) -> list[Reporter]:
    return [r for r in host.reporters if r.kind == kind]


def pick_reporter(host, kind: str, name: str) -> Reporter:
    """The reporter of ``kind`` called ``name``; a ConfigError listing every registered one."""
    found = reporters_of(host, kind)
    for r in found:
        if r.name == name:
            return r
    names = ", ".join(r.name for r in found)
    raise ConfigError(f"未知的输出格式“{name}”；可用：{names}", f"unknown format {name!r}; known: {names}")


def write_output(data: str | bytes, output: str | None) -> None:
    """Write an output: to standard output, or to ``output`` atomically (a temporary file in the
    same folder, then a rename — never a half-written file) with the usual permissions
    (0666 less the umask, e.g. 0644), as any program's files.  A link is followed (the file it
    points at is replaced, not the link); a device or a pipe (``/dev/stdout``) is written to,
    never replaced.  A failure (a full disk, a read-only folder) is an :class:`OutputError`
    naming the output and what to do."""
    if not output:
        _to_stdout(data)
        return
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    try:
        if _special(output):
            with open(output, "wb") as fh:
                fh.write(raw)
        else:
            _replace(os.path.realpath(output), raw)
    except OSError as e:
        raise cannot_write(output, e) from None


def _special(path: str) -> bool:
    """Does ``path`` exist as something else than a regular file (a device, a pipe)?"""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _replace(target: str, raw: bytes) -> None:
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), target)
    fd, tmp = tempfile.mkstemp(prefix=".auditor-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _to_stdout(data: str | bytes) -> None:
    """Write and flush standard output; a closed pipe stays a BrokenPipeError (the reader had
    enough), any other failure is an :class:`OutputError`, and what could not be written is
    dropped so that Python does not fail again when it exits."""
    try:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as e:
        _drop_stdout()
        raise cannot_write(None, e) from None


def _drop_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):    # no file descriptor (a test's capture)
        pass


_FIXES = {   # errno → (what it means, what to do), in both languages
    errno.ENOSPC: ("磁盘已满", "请腾出空间，或写到别的磁盘", "the disk is full", "free some space or write elsewhere"),
    errno.EDQUOT: ("磁盘配额已用完", "请腾出空间，或写到别的磁盘", "the disk quota is used up",
                   "free some space or write elsewhere"),
    errno.EFBIG: ("文件超过了允许的大小", "请写到别的磁盘", "the file is larger than allowed", "write elsewhere"),
    errno.EACCES: ("没有写入权限", "请换一个可写的文件夹", "no permission to write there", "choose a writable folder"),
    errno.EPERM: ("没有写入权限", "请换一个可写的文件夹", "no permission to write there", "choose a writable folder"),
    errno.EROFS: ("文件系统是只读的", "请换一个可写的文件夹", "the file system is read-only", "choose a writable folder"),
    errno.ENOENT: ("文件夹不存在", "请先创建它，或换一个位置", "the folder does not exist",
                   "create it first or choose another place"),
    errno.EISDIR: ("这是一个文件夹", "请给出文件名", "it is a folder", "give a file name"),
}


def cannot_write(output: str | None, e: OSError) -> OutputError:
    """The one-line message of an output that could not be written (None: standard output)."""
    what_zh, fix_zh, what_en, fix_en = _FIXES.get(e.errno, (e.strerror or str(e), "请检查路径，或换一个位置",
                                                           e.strerror or str(e), "check the path or choose "
                                                           "another place"))
    if output is None:
        return OutputError(f"无法写入标准输出：{what_zh}（{e.strerror}）；{fix_zh}，或用 -o 写入文件",
                           f"cannot write to standard output: {what_en} ({e.strerror}); {fix_en}, or "
                           "write to a file with -o")
    return OutputError(f"无法写入 {output}：{what_zh}（{e.strerror}）；{fix_zh}",
                       f"cannot write {output}: {what_en} ({e.strerror}); {fix_en}")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
