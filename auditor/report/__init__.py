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
import sys
import tempfile
from dataclasses import dataclass
from typing import Callable

from auditor.errors import ConfigError

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
    (0666 less the umask, e.g. 0644), as any program's files."""
    if not output:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), output)
    fd, tmp = tempfile.mkstemp(prefix=".auditor-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
