"""A minimal OLE2 compound file writer ([MS-CFB] version 3, 512-byte sectors), for the files a
Word reader must tell apart without LibreOffice: a Word 97-2003 document (a ``WordDocument``
stream whose FIB may say "encrypted"), a password-protected DOCX (``EncryptionInfo`` and
``EncryptedPackage``), an Excel workbook (``Workbook``).
"""
from __future__ import annotations

import struct

from auditor.read.ole import MAGIC

SECTOR = 512
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0"
    return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, FREE, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file whose root storage holds ``streams`` (each padded to 4096 bytes, so all
    sit in the FAT, not in a mini stream)."""
    streams = {k: v.ljust(4096, b"\0") for k, v in streams.items()}
    fat = [FATSECT, END]                     # sector 0: the FAT, sector 1: the directory
    entries, data = [], b""
    names = list(streams)
    for i, name in enumerate(names):
        body = streams[name]
        n = -(-len(body) // SECTOR)
        start = len(fat)
        fat.extend(range(start + 1, start + n))
        fat.append(END)
        data += body.ljust(n * SECTOR, b"\0")
        entries.append(_entry(name, 2, i + 2 if i + 1 < len(names) else FREE, FREE, start, len(body)))
    assert len(fat) <= SECTOR // 4 and len(entries) < 4
    root = _entry("Root Entry", 5, FREE, 1 if names else FREE, END, 0)
    directory = b"".join([root] + entries).ljust(SECTOR, b"\0")
    header = (MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + struct.pack("<108I", *[FREE] * 108))
    fat_sector = struct.pack(f"<{SECTOR // 4}I", *(fat + [FREE] * (SECTOR // 4 - len(fat))))
    return header + fat_sector + directory + data


def word97(encrypted: bool = False) -> bytes:
    """A Word 97-2003 file's container: a ``WordDocument`` stream starting with a FIB."""
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0409, 0, 0x0100 if encrypted else 0)  # flags at 0x0A
    return compound_file({"WordDocument": fib, "1Table": b""})


def encrypted_docx() -> bytes:
    """The container Office writes for a password-protected DOCX."""
    return compound_file({"EncryptionInfo": b"\x04\0\x04\0\x40\0\0\0", "EncryptedPackage": b"\0" * 64})


def workbook() -> bytes:
    return compound_file({"Workbook": b"\x09\x08"})
