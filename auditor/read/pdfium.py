"""PDF → :class:`auditor.layout.Layout` with PDFium (pypdfium2), the default engine.

PDFium interprets the page content natively, several times faster than pdfminer.six; this
module asks it, per page, for what :mod:`auditor.read.pdflayout` needs — glyphs with the
boxes pdfminer gives them and the ruling segments of the drawn paths — so that both engines
give the same Layout:

* a glyph's box is pdfminer's: from the character's origin, its advance (the font's widths in
  the PDF) and the font's descent as its descriptor gives it (:mod:`auditor.read.pdfbytes`;
  PDFium puts the font's own metrics where a descriptor says 0, as LibreOffice's do), one font
  size tall — not PDFium's box of the glyph's outline, which depends on the fonts installed on the
  machine, nor its "loose" box, which starts left of the origin where the outline does and
  whose right edge is sometimes the next character's position;
* paths are read point by point from the page objects (forms included), as pdfminer sees them:
  one subpath at a time, the end point of each segment, the start point again when closed
  (each path's points in one read of PDFium's array where a check at start-up found the
  layout this module expects, three PDFium calls per point otherwise);
* page space is pdfminer's: the media box's lower-left corner at 0,0.

Where PDFium cannot give pdfminer's glyphs, that page is read by pdfminer instead (the
document's other pages stay PDFium's; ``layout.meta["pages_read_by_pdfminer"]`` lists them):
characters without a Unicode mapping (PDFium's own mapping-error signal; pdfminer reads them
as ``(cid:N)``, which the "unreadable font" error counts), vertical writing (Identity-V
fonts: PDFium's box is not pdfminer's), fonts whose widths have fractions (Chromium writes
them; PDFium keeps widths as whole numbers), turned, mirrored or overprinted
text, turned pages
(/Rotate: in pdfminer's page space their glyphs would be made of PDFium's 32-bit floats,
which break ties pdfminer's exact ones keep), and text objects PDFium's text page leaves out
(it skips a text object whose glyphs have no outline — a font neither embedded nor on the
machine — and may drop a repeated one that pdfminer keeps).  A file whose cross-reference
table does not point at its objects (PDFium would repair it and read what is left; pdfminer
refuses it) or that names a vertical CMap is read by pdfminer whole.

Each document is opened, read and closed within one call: nothing is shared between
documents, so a worker process may read one file after another.  PDFium is native code: a
file that crashes or hangs it is the worker's time limit's to stop.
"""
from __future__ import annotations

import ctypes
import functools
import re
import struct
from types import SimpleNamespace

from auditor.layout import Layout
from auditor.read.pdfbytes import FontFacts, font_facts, names_vertical_cmap, subset_tag_off, xref_consistent
from auditor.read.pdflayout import (Glyph, PageData, Seg, build_layout, check_pdf_bytes, corrupt,
                                    encrypted, few_collections, path_rules)

EXTRACTOR = "PDFium (pypdfium2) + rule grid"


class _Fallback(Exception):
    """This page's glyphs cannot be had from PDFium as pdfminer gives them."""


def read_pdfium(data: bytes) -> Layout:
    """Read a PDF's bytes into a Layout (raises ScannedPDF, EncryptedPDF, CorruptFile, EmptyFile
    as the pdfminer engine does)."""
    check_pdf_bytes(data)
    if not xref_consistent(data) or names_vertical_cmap(data):
        from auditor.read.pdf import read_pdf
        return read_pdf(data)
    with few_collections():
        pages, fallback = _read_pages(data)
        if fallback:
            from auditor.read.pdf import read_pages
            pages.update(read_pages(data, set(fallback)))
        layout = build_layout([pages[n] for n in sorted(pages)], EXTRACTOR)
    if fallback:
        layout.meta["pages_read_by_pdfminer"] = fallback
    return layout


def _open(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise encrypted() from None
        raise corrupt() from None


def _read_pages(data: bytes) -> tuple[dict[int, PageData], list[int]]:
    """The pages PDFium can read as pdfminer would, by number, and the numbers of the others."""
    import pypdfium2 as pdfium
    doc = _open(data)
    facts = font_facts(data)
    pages: dict[int, PageData] = {}
    fallback: list[int] = []
    try:
        count = len(doc)
        if count == 0:
            raise corrupt()
        for index in range(count):
            try:
                page = doc[index]
            except pdfium.PdfiumError:
                raise corrupt() from None
            try:
                pages[index + 1] = _page_data(index + 1, page, facts)
            except (_Fallback, pdfium.PdfiumError):   # pdfminer reads it, or says what is wrong
                fallback.append(index + 1)
            finally:
                page.close()
    finally:
        doc.close()
    return pages, fallback


def _page_data(number: int, page, facts: FontFacts) -> PageData:
    """One page's glyphs and ruling segments in pdfminer's page space (``facts``: what the
    file's bytes say of its fonts)."""
    x0, y0, x1, y1 = page.get_mediabox()
    if page.get_rotation():
        raise _Fallback
    segs: list[Seg] = []
    texts: set[int] = set()                   # the page's text objects
    # Page objects first: PDFium's text page then includes text objects it may otherwise skip.
    images = _walk(page, (1, 0, 0, 1, -x0, -y0), segs, texts)
    textpage = page.get_textpage()
    try:
        glyphs, seen = _glyphs(textpage, -x0, -y0, facts)
    finally:
        textpage.close()
    _check_left_out(texts, seen)
    glyphs.sort(key=lambda g: (-g.y1, g.x0, g.x1, g.y0, g.text))
    return PageData(number, abs(x1 - x0), abs(y1 - y0), glyphs, segs, images)


# --------------------------------------------------------------------------
# Glyphs
# --------------------------------------------------------------------------

class _Handle(ctypes.c_void_p):
    """A pointer PDFium returned, kept as a ctypes object so that it goes back to PDFium
    without a conversion (ctypes turns a plain ``c_void_p`` result into an int)."""


@functools.cache
def _lib() -> SimpleNamespace:
    """PDFium's functions of the per-character and per-segment loops, declared without argument
    types: ctypes then passes ctypes objects and small ints as they are, where pypdfium2's typed
    declarations convert every argument on every call (measured: 40% of a call).  Callers pass
    handles as ``c_void_p``/:class:`_Handle` objects, indices as ints, results through
    pointers.  Built once per process; it holds no document."""
    import pypdfium2.raw as raw
    from pypdfium2_raw.bindings import _libs
    lib = _libs["pdfium"]
    I = ctypes.c_int

    def fn(name, restype):
        f = lib[name]
        f.restype, f.argtypes = restype, None
        return f
    return SimpleNamespace(
        count=fn("FPDFText_CountChars", I),
        text=fn("FPDFText_GetText", I),
        unicode=fn("FPDFText_GetUnicode", ctypes.c_uint),
        generated=fn("FPDFText_IsGenerated", I),
        unmapped=fn("FPDFText_HasUnicodeMapError", I),
        text_object=fn("FPDFText_GetTextObject", ctypes.c_void_p),    # an int: a dict key
        char_matrix=fn("FPDFText_GetMatrix", I),
        char_font_size=fn("FPDFText_GetFontSize", ctypes.c_double),
        text_font=fn("FPDFTextObj_GetFont", ctypes.c_void_p),         # an int: a dict key
        origin=fn("FPDFText_GetCharOrigin", I),
        loose_box=fn("FPDFText_GetLooseCharBox", I),
        page_count=fn("FPDFPage_CountObjects", I),
        page_object=fn("FPDFPage_GetObject", _Handle),
        form_count=fn("FPDFFormObj_CountObjects", I),
        form_object=fn("FPDFFormObj_GetObject", _Handle),
        object_type=fn("FPDFPageObj_GetType", I),
        object_matrix=fn("FPDFPageObj_GetMatrix", I),
        object_bounds=fn("FPDFPageObj_GetBounds", I),
        text_font_size=fn("FPDFTextObj_GetFontSize", I),
        draw_mode=fn("FPDFPath_GetDrawMode", I),
        segment_count=fn("FPDFPath_CountSegments", I),
        glyph_width=fn("FPDFFont_GetGlyphWidth", I),
        segment=fn("FPDFPath_GetPathSegment", _Handle),
        segment_address=fn("FPDFPath_GetPathSegment", ctypes.c_void_p),   # an int
        segment_type=fn("FPDFPathSegment_GetType", I),
        segment_point=fn("FPDFPathSegment_GetPoint", I),
        segment_close=fn("FPDFPathSegment_GetClose", I),
        moveto=raw.FPDF_SEGMENT_MOVETO, bezierto=raw.FPDF_SEGMENT_BEZIERTO,
    )


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _glyphs(textpage, dx: float, dy: float, facts: FontFacts) -> tuple[list[Glyph], set[int]]:
    """The page's glyphs (boxes as pdfminer's, moved by dx, dy) and the text objects they come
    from; ``facts``: what the file's bytes say of its fonts."""
    api = _lib()
    tp = ctypes.c_void_p(_address(textpage.raw))
    buffers = _Buffers()
    ox, oy, pox, poy = buffers.ox, buffers.oy, buffers.pox, buffers.poy
    text_object, unmapped, origin = api.text_object, api.unmapped, api.origin
    objects: dict[int, _TextObject] = {}
    fonts: dict[int, _Font] = {}
    out: list[Glyph] = []
    seen: set[int] = set()
    last_key = last_x = last = None           # last: the previous character's glyph, if kept
    scale = y0 = y1 = height = advances = font = None     # the current text object's
    halves = False                            # high surrogates kept for their low halves
    for i, ch in enumerate(_page_text(tp)):
        if ch <= " ":
            if api.generated(tp, i) == 1:
                continue                      # a space or line break PDFium put in
            seen.add(text_object(tp, i))
            if ch.isspace():
                continue
        key = text_object(tp, i)
        if unmapped(tp, i) == 1:
            raise _Fallback
        origin(tp, i, pox, poy)               # pdfminer's glyph starts at the origin
        x = ox.value
        if key != last_key:
            seen.add(key)
            obj = objects.get(key)
            if obj is None:
                obj = objects[key] = _text_object(tp, i, key, fonts, facts, buffers)
            if obj.y0 is None:                # a text object's characters share its baseline
                obj.place(oy.value, dy)
            scale, y0, y1, height, font = obj.scale, obj.y0, obj.y1, obj.height, obj.font
            advances = font.widths
        elif x == last_x:
            if "\udc00" <= ch <= "\udfff":   # the second half of a surrogate pair
                if last is not None:
                    last.text += ch
                continue
            # Text running down (vertical writing), several Unicode characters of one code,
            # characters drawn over each other: pdfminer's glyphs are not to be had here.
            raise _Fallback
        width = advances.get(ch)
        if width is None:
            width = advances[ch] = font.advance(ch, buffers)
        # pdfminer's advance is the font's /W width; the loose box's may be PDFium's own metric
        right = x + scale * width if width else _loose_right(tp, i, x)
        last_key, last_x = key, x
        if "\ud800" <= ch <= "\udbff":        # judged with its second half, below
            halves = True
        elif right <= x or ch.isspace():      # pdfminer's glyphs that draw nothing
            last = None
            continue
        last = Glyph(ch, x + dx, right + dx, y0, y1, height)
        out.append(last)
    if halves:
        for g in out:
            if len(g.text) > 1:               # a surrogate pair: one character
                g.text = g.text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        out = [g for g in out if g.x1 > g.x0 and g.text.strip()]
    return out, seen


def _loose_right(tp, i: int, x: float) -> float:
    """The right edge of character ``i``'s loose box, for a character whose advance the font
    does not give; _Fallback unless that box starts at its origin ``x`` (not so where the font
    has no usable ascent and descent: PDFium then gives the outline's box)."""
    box = (ctypes.c_float * 4)()              # FS_RECTF: left, top, right, bottom
    _lib().loose_box(tp, i, ctypes.byref(box))
    if abs(box[0] - x) > 0.01:
        raise _Fallback
    return box[2]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _page_text(tp) -> str:
    """The characters of a text page, one per index (a surrogate pair as its two halves): its
    text in one call, or, where that does not give one UTF-16 unit per character, each
    character's code."""
    api = _lib()
    count = api.count(tp)
    if count <= 0:
        return ""
    # room for two units a character: a PDFium keeping characters beyond U+FFFF whole would
    # write a surrogate pair for each (this one keeps the halves as characters of their own)
    buf = (ctypes.c_ushort * (2 * count + 1))()
    if api.text(tp, 0, count, buf) == count + 1:
        text = bytes(buf)[:2 * count].decode("utf-16-le", "surrogatepass")
        if len(text) == count and not _SURROGATE.search(text):
            return text
    return "".join(map(chr, (api.unicode(tp, i) for i in range(count))))


class _Buffers:
    """The out-parameters of the per-object calls, made once per page."""
    __slots__ = ("mat", "pmat", "thousand", "width", "pwidth", "ox", "oy", "pox", "poy")

    def __init__(self):
        self.mat = (ctypes.c_float * 6)()     # FS_MATRIX: a, b, c, d, e, f
        self.thousand, self.width = ctypes.c_float(1000), ctypes.c_float(0)
        self.ox, self.oy = ctypes.c_double(), ctypes.c_double()
        self.pmat, self.pwidth, self.pox, self.poy = (
            ctypes.pointer(v) for v in (self.mat, self.width, self.ox, self.oy))


class _Font:
    """A font of the page: its handle, its descent per unit of size and the advances asked of
    it so far, by character."""
    __slots__ = ("handle", "descent", "widths")

    def __init__(self, font: int, facts: FontFacts):
        self.handle = ctypes.c_void_p(font)
        self.descent = _descent(self.handle, facts)
        self.widths: dict[str, float] = {}

    def advance(self, ch: str, buffers: _Buffers) -> float:
        """The advance of a character per unit of font size, from the font's widths in the PDF
        (0: not known)."""
        if not _lib().glyph_width(self.handle, ord(ch), buffers.thousand, buffers.pwidth):
            return 0.0
        return buffers.width.value / 1000


class _TextObject:
    """What the glyphs of one text object share: the horizontal scale of its advances, its
    vertical extent (known once its baseline is) and its font."""
    __slots__ = ("scale", "v", "font", "y0", "y1", "height")

    def __init__(self, a: float, d: float, size: float, font: _Font):
        self.scale, self.v, self.font = a * size, d * size, font
        self.y0 = self.y1 = self.height = None

    def place(self, baseline: float, dy: float) -> None:
        """Set the extent from the baseline (and the shift into page space): pdfminer's box,
        from the descent below the baseline, one font size tall."""
        self.y0 = baseline + self.v * self.font.descent + dy
        self.y1 = self.y0 + self.v
        self.height = max(self.y1 - self.y0, 1.0)


def _text_object(tp, i: int, key: int, fonts: dict, facts: FontFacts, buffers: _Buffers) -> _TextObject:
    """The text object ``key`` of character ``i``; _Fallback when its text is turned, mirrored
    or slanted (its box would not be pdfminer's) or its font is named after a vertical CMap.
    ``fonts``: the page's fonts met so far; ``facts``: what the file's bytes say of fonts."""
    api = _lib()
    api.char_matrix(tp, i, buffers.pmat)
    a, b, c, d = buffers.mat[:4]
    if b != 0 or c != 0 or a <= 0 or d <= 0:
        raise _Fallback
    handle = api.text_font(ctypes.c_void_p(key))
    if not handle:
        raise _Fallback
    font = fonts.get(handle)
    if font is None:
        font = fonts[handle] = _Font(handle, facts)
    return _TextObject(a, d, api.char_font_size(tp, i), font)


def _descent(font: ctypes.c_void_p, facts: FontFacts) -> float:
    """A font's descent per unit of font size (negative, as pdfminer forces it): its descriptor's
    as pdfminer reads it where the file shows it, else PDFium's; _Fallback for a vertical font
    or one whose widths have fractions (PDFium's advances would not be pdfminer's)."""
    import pypdfium2.raw as raw
    font = ctypes.cast(font, raw.FPDF_FONT)
    name = subset_tag_off(_base_name(font))
    keys = (name, name.removesuffix(b"-Identity-H"))
    if name.endswith(b"-V") or any(key in facts.fractional for key in keys):
        raise _Fallback
    for key in keys:
        if key in facts.descents:
            if facts.descents[key] is None:
                raise _Fallback
            return facts.descents[key]
    descent = ctypes.c_float(0)
    if not raw.FPDFFont_GetDescent(font, ctypes.c_float(1000), descent):
        raise _Fallback
    return -abs(descent.value) / 1000


def _base_name(font) -> bytes:
    """A font's /BaseFont."""
    import pypdfium2.raw as raw
    size = 256
    while True:
        name = ctypes.create_string_buffer(size)
        needed = raw.FPDFFont_GetBaseFontName(font, name, size)
        if needed <= size:
            return name.value
        size = needed


def _check_left_out(texts: set[int], seen: set[int]) -> None:
    """_Fallback when the text page left out a text object pdfminer would read: one without
    width (its glyphs have no outline here), or one that does not merely repeat, a fraction of
    a character away, an object the text page kept (fake bold, which both engines drop)."""
    left_out = [key for key in texts if key not in seen]
    if not left_out:
        return
    kept = [_text_bounds(k) for k in seen if k in texts]
    for key in left_out:
        l, b, r, t, size = _text_bounds(key)
        if not r - l > 0:
            raise _Fallback
        tol = 0.05 * size       # pdfminer drops a repeated glyph within 0.3 of its width
        if not any(abs(l - k[0]) < tol and abs(r - k[2]) < tol and abs(b - k[1]) < tol
                   and abs(t - k[3]) < tol for k in kept):
            raise _Fallback


# --------------------------------------------------------------------------
# Page objects: paths and text objects
# --------------------------------------------------------------------------

def _walk(page, m, segs: list[Seg], texts: set[int]) -> int:
    """Collect the ruling segments of the page's paths and its text objects (forms entered,
    ``m``: the page's matrix); return the number of images.  Per path: a subpath at a time as
    pdfminer paints it, only if painted (this runs for every path: PDFium's functions and the
    out-parameters are bound once per page)."""
    import pypdfium2.raw as raw
    api = _lib()
    object_type, object_matrix, draw_mode = api.object_type, api.object_matrix, api.draw_mode
    PATH, TEXT, IMAGE, FORM = (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE,
                               raw.FPDF_PAGEOBJ_FORM)
    moveto, bezierto = api.moveto, api.bezierto
    mat = (ctypes.c_float * 6)()              # FS_MATRIX's layout: read in one slice
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    pmat, pfill, pstroke = (ctypes.pointer(v) for v in (mat, fill, stroke))
    points, closes = (_points_in_memory, bool) if _segments_readable() else (_points, api.segment_close)

    def walk(get, owner, count: int, m) -> int:
        images = 0
        for k in range(count):
            obj = get(owner, k)
            kind = object_type(obj)
            if kind == TEXT:
                texts.add(obj.value)
            elif kind == IMAGE:
                images += 1
            elif kind == FORM:
                object_matrix(obj, pmat)
                images += walk(api.form_object, obj, api.form_count(obj), _mul(mat[:], m))
            elif kind == PATH and draw_mode(obj, pfill, pstroke) and (fill.value or stroke.value):
                object_matrix(obj, pmat)
                path_rules_of(obj, _mul(mat[:], m), bool(stroke.value))
        return images

    def path_rules_of(path, m, stroked: bool) -> None:
        a, b, c, d, e, f = m
        pts: list[tuple[float, float]] = []
        marks: list = []                      # what tells whether each point closes its subpath
        bezier = 0
        for x, y, kind, mark in points(path):
            pt = (a * x + c * y + e, b * x + d * y + f)
            if kind == moveto:
                if len(pts) > 1:
                    segs.extend(_subpath_rules(pts, marks, stroked, closes))
                pts, marks, bezier = [pt], [None], 0
                continue
            if kind == bezierto:
                bezier += 1
                if bezier % 3:                # control points: pdfminer keeps the end point only
                    continue
            if pts:
                pts.append(pt)
                marks.append(mark)
        if len(pts) > 1:
            segs.extend(_subpath_rules(pts, marks, stroked, closes))

    handle = ctypes.c_void_p(_address(page.raw))
    return walk(api.page_object, handle, api.page_count(handle), m)


def _text_bounds(key: int) -> tuple:
    """(left, bottom, right, top, font size) of a text object in user space (the size as drawn:
    the font size scaled by the object's matrix)."""
    import pypdfium2.raw as raw
    api = _lib()
    obj = ctypes.c_void_p(key)
    l, b, r, t, size = (ctypes.c_float() for _ in range(5))
    api.object_bounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t))
    api.text_font_size(obj, ctypes.byref(size))
    mat = raw.FS_MATRIX()
    api.object_matrix(obj, ctypes.byref(mat))
    scale = abs(mat.a * mat.d - mat.b * mat.c) ** 0.5
    return l.value, b.value, r.value, t.value, abs(size.value) * scale or 1.0


def _mul(m1, m2) -> tuple:
    """The matrix product m1 × m2 (apply m1, then m2)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _subpath_rules(pts: list, marks: list, stroked: bool, closes) -> list[Seg]:
    """The rules of one subpath; a point whose segment closes the subpath (``closes(mark)``)
    adds the start point again (asked only where it can matter: the edges of a stroked shape
    of three points or more, a thin shape being ruled by its extent, which the start point
    does not change)."""
    if stroked and len(pts) > 2:
        closed = [pts[0]]
        for pt, mark in zip(pts[1:], marks[1:]):
            closed.append(pt)
            if closes(mark):
                closed.append(pts[0])
        pts = closed
    return path_rules(pts, stroked, False)


# --------------------------------------------------------------------------
# A path's points: through PDFium's functions, or read from its memory
# --------------------------------------------------------------------------

def _points(path):
    """(x, y, kind, segment) of each segment of a path, through PDFium's functions: three
    calls per segment."""
    api = _lib()
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.pointer(x), ctypes.pointer(y)
    segment, segment_type, segment_point = api.segment, api.segment_type, api.segment_point
    for i in range(api.segment_count(path)):
        seg = segment(path, i)
        kind = segment_type(seg)
        segment_point(seg, px, py)
        yield x.value, y.value, kind, seg


# PDFium keeps a path's segments in one array of {float x, y; uint8 kind; bool close} (its
# CFX_Path::Point) and FPDFPath_GetPathSegment returns the address of one of them.
_POINT = struct.Struct("<ffBB2x")


def _points_in_memory(path):
    """(x, y, kind, closes) of each segment of a path, read from PDFium's array in one go: what
    :func:`_points` gives, for two calls a path.  Used only where :func:`_segments_readable`
    found that layout."""
    api = _lib()
    count = api.segment_count(path)
    address = api.segment_address(path, 0) if count > 0 else None
    if not address:
        return ()
    return _POINT.iter_unpack(ctypes.string_at(address, _POINT.size * count))


@functools.cache
def _segments_readable() -> bool:
    """Does this PDFium keep path segments as :data:`_POINT` says?  Checked once per process on
    a path built for it (every kind of segment, a closing one, odd coordinates): each segment's
    address, point, kind and close flag read from memory must be what PDFium's functions say."""
    import pypdfium2.raw as raw
    api = _lib()
    path = None
    try:
        path = raw.FPDFPageObj_CreateNewPath(10.5, 20.25)
        raw.FPDFPath_LineTo(path, 30.75, -40.5)
        raw.FPDFPath_BezierTo(path, 50, 60, 70.125, 80, 90, 100)
        raw.FPDFPath_Close(path)
        raw.FPDFPath_MoveTo(path, 110, 120)
        raw.FPDFPath_LineTo(path, 1e-3, 1e6)
        handle = ctypes.c_void_p(_address(path))
        count = api.segment_count(handle)
        if count != 7:
            return False
        base = api.segment_address(handle, 0)
        by_api = [(x, y, kind, bool(api.segment_close(seg)))
                  for x, y, kind, seg in _points(handle)]
        in_memory = [(x, y, kind, bool(close)) for x, y, kind, close in _points_in_memory(handle)]
        stride = all(api.segment_address(handle, i) == base + i * _POINT.size for i in range(count))
        return stride and by_api == in_memory and any(c for *_, c in by_api)
    except Exception:                             # noqa: BLE001 — any surprise: use the functions
        return False
    finally:
        if path:
            raw.FPDFPageObj_Destroy(path)

