"""The directory of an OLE2 compound file (Word 97-2003 ``.doc``, WPS ``.wps``, and the
container Office puts a password-protected ``.docx`` in): which streams it holds.

Just enough of [MS-CFB] to tell those apart before anything is converted: the header, the
FAT (with its DIFAT chain) and the directory entries.  Every offset is checked; a damaged
file raises :class:`auditor.errors.CorruptFile`.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

from auditor.errors import CorruptFile

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_MAX_CHAIN = 1 << 20        # sectors followed before a chain is called a loop


def is_ole2(head: bytes) -> bool:
    return head[:8] == MAGIC


@dataclass(frozen=True)
class Entry:
    name: str
    kind: int            # 1 storage, 2 stream, 5 root
    start: int           # first sector
    size: int


def _damaged(what: str) -> CorruptFile:
    return CorruptFile(f"OLE2 复合文档已损坏（{what}）", f"the OLE2 compound file is damaged ({what})")


class _File:
    def __init__(self, data: bytes):
        if len(data) < 512 or data[:8] != MAGIC:
            raise _damaged("header")
        self.data = data
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            raise _damaged("sector size")
        self.size = 1 << shift
        self.fat = self._fat()

    def sector(self, n: int) -> bytes:
        start = (n + 1) * self.size
        if n < 0 or start >= len(self.data):        # the last sector may be short
            raise _damaged(f"sector {n}")
        return self.data[start:start + self.size]

    def _fat(self) -> list[int]:
        data, per = self.data, self.size // 4
        n_fat, first_difat, n_difat = (struct.unpack_from("<I", data, o)[0] for o in (0x2C, 0x44, 0x48))
        sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
        difat = first_difat
        for _ in range(min(n_difat, _MAX_CHAIN)):
            if difat >= _END:
                break
            entries = struct.unpack(f"<{per}I", self.sector(difat).ljust(self.size, b"\xff"))
            sectors.extend(s for s in entries[:-1] if s < _END)
            difat = entries[-1]
        fat: list[int] = []
        for s in sectors[:max(n_fat, 1)]:
            fat.extend(struct.unpack(f"<{per}I", self.sector(s).ljust(self.size, b"\xff")))
        return fat

    def chain(self, start: int):
        """The sectors of a chain starting at ``start``."""
        n, seen = start, 0
        while n < _END:
            if n >= len(self.fat) or seen > _MAX_CHAIN:
                raise _damaged("sector chain")
            yield n
            n, seen = self.fat[n], seen + 1


def directory(data: bytes) -> list[Entry]:
    """The directory entries of a compound file."""
    f = _File(data)
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    out = []
    for s in f.chain(first_dir):
        block = f.sector(s)
        for off in range(0, len(block) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", block, off + 0x40)
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = block[off:off + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", block, off + 0x74)
            out.append(Entry(name, kind, start, size))
    return out


def stream_head(data: bytes, entry: Entry) -> bytes:
    """The first sector of a stream kept in the FAT (a stream of 4096 bytes or more)."""
    return _File(data).sector(entry.start)
