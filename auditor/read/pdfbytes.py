"""What a PDF's bytes say before PDFium reads it: whether its cross-reference table points at its
objects, whether it names a vertical CMap, what its font descriptors give as descents, and
which fonts have widths with fractions.

PDFium repairs what pdfminer (the reference engine) refuses, puts its own metrics where a font
descriptor says 0 and keeps widths as whole numbers; :mod:`auditor.read.pdfium` asks these first
so that it gives pdfminer's documents.  Plain byte scanning (regular expressions, zlib for object
streams), linear in the file's size.
"""
from __future__ import annotations

import re
import zlib
from typing import NamedTuple

_VERTICAL_CMAP = re.compile(rb"/Encoding\s*/[A-Za-z0-9+._-]+-V\b")


def names_vertical_cmap(data: bytes) -> bool:
    """Does the file name a vertical CMap (an encoding ending in -V)?"""
    return _VERTICAL_CMAP.search(data) is not None


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
_SUBSECTION = re.compile(rb"(\d+)\s+(\d+)\s*[\r\n]+")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")


def xref_consistent(data: bytes) -> bool:
    """Does the last cross-reference section point where its objects are?  PDFium silently
    repairs a file whose middle is missing and reads what is left; pdfminer (the reference)
    refuses it.  A file that fails this check is left to pdfminer to read or refuse.
    Cross-reference streams (compressed) are only checked for pointing at an object."""
    found = list(_STARTXREF.finditer(data[-4096:]))
    if not found:
        return False
    offset = int(found[-1].group(1))
    head = data[offset:offset + 32]
    if re.match(rb"\s*\d+\s+\d+\s+obj", head):
        return True
    if not head.lstrip().startswith(b"xref"):
        return False
    pos = offset + data[offset:].index(b"xref") + 4
    while True:
        while data[pos:pos + 1].isspace():
            pos += 1
        sub = _SUBSECTION.match(data, pos)
        if not sub:
            return data.startswith(b"trailer", pos)
        first, count = int(sub.group(1)), int(sub.group(2))
        pos = sub.end()
        for number in range(first, first + count):
            entry = _ENTRY.match(data, pos)
            if not entry:
                return False
            pos = entry.end()
            while data[pos:pos + 1].isspace():
                pos += 1
            if entry.group(3) == b"n" and int(entry.group(1)):
                at = int(entry.group(1))
                if not re.match(rb"\s*%d\s+%d\s+obj" % (number, int(entry.group(2))), data[at:at + 40]):
                    return False


_DESCRIPTOR = re.compile(rb"/Type\s*/FontDescriptor\b")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()%{}]+)")
_DESCENT = re.compile(rb"/Descent\s+([-+]?(?:\d+\.?\d*|\.\d+))(\s+\d+\s+R\b)?")
_OBJECT_STREAM = re.compile(rb"<<[^<>]*/Type\s*/ObjStm[^<>]*>>\s*stream\r?\n")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


class FontFacts(NamedTuple):
    """What a file's bytes say of its fonts, by font name without subset tag (as PDFium names a
    font): the /Descent of each descriptor as pdfminer takes it (per unit of size, forced
    negative, 0 when absent; None where descriptors of one name disagree or the descent is an
    indirect object), and the fonts whose widths (/W, /Widths) have fractions."""
    descents: dict[bytes, float | None]
    fractional: set[bytes]


def font_facts(data: bytes) -> FontFacts:
    """:class:`FontFacts` from the file's bytes and its Flate-compressed object streams (each
    decompressed once).  PDFium puts the font's own metrics where a descriptor says Ascent 0
    and Descent 0 (LibreOffice writes that), pdfminer keeps 0; PDFium keeps widths as whole
    numbers (Chromium writes fractions), pdfminer as written."""
    facts = FontFacts({}, set())
    for chunk in (data, *_object_streams(data)):
        for descriptor in _dicts_with(chunk, _DESCRIPTOR):
            _add_descent(facts.descents, descriptor)
        for font in _dicts_with(chunk, _FONT):
            name = _BASE_FONT.search(font)
            widths = _WIDTHS.search(font) if name else None
            if widths and _FRACTION.search(font, widths.end(), _array_end(font, widths.end())):
                facts.fractional.add(subset_tag_off(_unescape(name.group(1))))
    return facts


def _add_descent(descents: dict[bytes, float | None], descriptor: bytes) -> None:
    name = _FONT_NAME.search(descriptor)
    if not name:
        return
    key = subset_tag_off(_unescape(name.group(1)))
    descent = _DESCENT.search(descriptor)
    if descent is None:
        value = 0.0
    elif descent.group(2):
        value = None
    else:
        number = float(descent.group(1))
        value = (-number if number > 0 else number) * 0.001
    descents[key] = None if key in descents and descents[key] != value else value


_FONT = re.compile(rb"/Type\s*/Font\b")
_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()%{}]+)")
_WIDTHS = re.compile(rb"/W(?:idths)?\s*\[")
_FRACTION = re.compile(rb"\.\d*[1-9]")




def _array_end(text: bytes, start: int) -> int:
    """Where the array opened just before ``start`` closes (nested arrays included)."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == 0x5B:                         # [
            depth += 1
        elif c == 0x5D:                       # ]
            if not depth:
                return i
            depth -= 1
    return len(text)


def _unescape(name: bytes) -> bytes:
    """A PDF name's #xx escapes decoded."""
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)


MAX_DICTS = 2000            # font dictionaries and descriptors looked at per file, at most
BEFORE, AFTER = 2**16, 2**18  # bytes searched before and after a key for its dictionary's ends


def _dicts_with(chunk: bytes, key: re.Pattern) -> list[bytes]:
    """The dictionaries around the first :data:`MAX_DICTS` places ``key`` matches in ``chunk``
    (a hostile file of many keys costs a bounded time; the fonts left out keep PDFium's values)."""
    out = []
    for n, match in enumerate(key.finditer(chunk)):
        if n == MAX_DICTS:
            break
        found = _enclosing_dict(chunk, match.start())
        if found:
            out.append(found)
    return out


def _enclosing_dict(chunk: bytes, pos: int, steps: int = 64) -> bytes | None:
    """The dictionary ``<< … >>`` around ``pos`` (nested ones inside it, as a descriptor's
    /Style, included); None where it is not found within ``steps`` delimiters, :data:`BEFORE`
    bytes before ``pos`` and :data:`AFTER` after."""
    depth, i, start = 0, pos, -1
    floor, ceiling = max(0, pos - BEFORE), pos + AFTER
    for _ in range(steps):                    # back to the << that opens it
        opens, closes = chunk.rfind(b"<<", floor, i), chunk.rfind(b">>", floor, i)
        if opens < 0:
            return None
        if closes > opens:
            depth, i = depth + 1, closes
        elif depth:
            depth, i = depth - 1, opens
        else:
            start = opens
            break
    if start < 0:
        return None
    depth, i = 0, start + 2
    for _ in range(steps):                    # on to the >> that closes it
        opens, closes = chunk.find(b"<<", i, ceiling), chunk.find(b">>", i, ceiling)
        if closes < 0:
            return None
        if 0 <= opens < closes:
            depth, i = depth + 1, opens + 2
        elif depth:
            depth, i = depth - 1, closes + 2
        else:
            return chunk[start:closes + 2]
    return None


_SUBSET_TAG = re.compile(rb"^[A-Z]{6}\+")


def subset_tag_off(name: bytes) -> bytes:
    """``ABCDEF+SimSun`` → ``SimSun``."""
    return _SUBSET_TAG.sub(b"", name)


def _object_streams(data: bytes, limit: int = 64 * 2**20) -> list[bytes]:
    """The decompressed contents of the file's Flate-compressed object streams (at most
    ``limit`` bytes in all); the others, and what does not decompress, left out."""
    out, total = [], 0
    view = memoryview(data)                   # the rest of the file, not copied per stream
    for match in _OBJECT_STREAM.finditer(data):
        if b"/FlateDecode" not in match.group(0) or b"/DecodeParms" in match.group(0):
            continue
        try:
            content = zlib.decompressobj().decompress(view[match.end():], limit - total)
        except zlib.error:
            continue
        out.append(content)
        total += len(content)
        if total >= limit:
            break
    return out
