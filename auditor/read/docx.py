"""Word documents (DOCX, Office Open XML; also .docm and templates, macros never run) →
:class:`auditor.layout.Layout`, with python-docx.

python-docx opens the package; the body is walked in document order on its XML:

* a paragraph gives one line per text line (``<w:br/>`` ends a line; columns typed with tabs
  are cells, as in a tab-separated text line), its runs joined —
  a number Word split over several runs reads as one number; deleted revisions, hidden
  runs and field codes are left out, inserted revisions and hyperlinks kept; the label of
  Word's automatic numbering (``一、``, ``（二）``, ``1.``) is put in front (:mod:`.wordnum`);
* a table gives one line per row, its cells exact (an empty cell is a blank of the report)
  and in grid order, a merged cell once, in the row where it starts — a horizontal span
  (``gridSpan``) is one cell, a vertically merged cell (``vMerge``) appears in its first row
  only: the lines the HTML reader gives for ``colspan`` / ``rowspan``;
* a table that goes on from the previous one (only empty paragraphs between them and the
  same grid of columns: Word's split of a table across a page) keeps the previous table's
  number, and header rows it repeats are dropped;
* a table holding tables is a layout table: its cells are read as running text;
* an imported web page or text file (``altChunk``, what CMS "export to Word" tools write) is
  read in its place by the HTML or text reader.

Evidence: ``Line.number`` is the paragraph's index in the document (1-based, every
paragraph counted in body order, those in table cells too; a table row has its first
paragraph's index); ``Line.table`` the table's index as the other readers give it, and
``Line.refs`` each cell's Word table, row and grid column (1-based), which the parser
carries into the document's ``cells[].source``.

Bad input is refused with one line: a corrupt or truncated package, a DOCX named ``.doc``,
a package whose parts would decompress to more than :data:`MAX_PART_BYTES` (a bomb).  A
password-protected DOCX is no ZIP but an OLE2 container: :mod:`.legacy_word` refuses it.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from auditor.errors import CorruptFile, TooLarge, WrongSuffix
from auditor.layout import Layout, Line
from auditor.normalize import normalize_line
from auditor.read.html import join_lines
from auditor.read.ooxml import W, child_val, int_or
from auditor.read.wordnum import Numbering

MAX_PART_BYTES = 50 * 1024 * 1024        # document.xml and every other part but images and
                                         # embedded objects, decompressed
MAX_TOTAL_BYTES = 400 * 1024 * 1024      # the whole package, decompressed (images included)
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo", W + "smartTag"}
_SKIPPED = {W + "del", W + "moveFrom", W + "txbxContent", W + "instrText", W + "delText",
            W + "rPr", W + "pPr", W + "fldData"}
_TEXT = {W + "t": None, W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n",
         W + "noBreakHyphen": "-"}
_NUMERIC = re.compile(r"\d")
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


# --------------------------------------------------------------------------
# The package
# --------------------------------------------------------------------------

def check_package(data: bytes) -> None:
    """Refuse a corrupt ZIP, one without ``word/document.xml`` and a decompression bomb
    (sizes as the ZIP declares them: zipfile never inflates a member past its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError) as e:
        # NotImplementedError: a zip version or compression method zipfile does not know
        raise CorruptFile(f"Word 文件已损坏或不完整（{e}）", f"the Word file is damaged or truncated ({e})") \
            from None
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise CorruptFile("ZIP 文件中没有 Word 正文（word/document.xml）：不是 DOCX 文档",
                          "the ZIP holds no Word body (word/document.xml): not a DOCX document")
    big = next((i for i in infos if not i.filename.startswith(("word/media/", "word/embeddings/"))
                and i.file_size > MAX_PART_BYTES), None)
    total = sum(i.file_size for i in infos)
    if big is not None or total > MAX_TOTAL_BYTES:
        what = f"{big.filename} {big.file_size // 2**20} MB" if big else f"{total // 2**20} MB"
        raise TooLarge(f"Word 文件解压后过大（{what}），疑似压缩炸弹，已拒绝读取",
                       f"the Word file would decompress to too much ({what}): refused as a possible "
                       f"zip bomb")


_MAIN_TYPES = {f"application/vnd.{kind}.main+xml" for kind in (
    "openxmlformats-officedocument.wordprocessingml.document",      # .docx
    "openxmlformats-officedocument.wordprocessingml.template",      # .dotx
    "ms-word.document.macroEnabled", "ms-word.template.macroEnabledTemplate")}   # .docm, .dotm


def open_document(data: bytes):
    """The main document part of a DOCX's bytes (python-docx's package; a ``.docm`` or template
    too, whose macros are never run) and its ``<w:body>``; a one-line error when unreadable."""
    check_package(data)
    from docx.opc.exceptions import PackageNotFoundError
    from docx.opc.package import OpcPackage
    from docx.oxml.parser import parse_xml
    from lxml import etree
    try:
        part = OpcPackage.open(io.BytesIO(data)).main_document_part
        if part.content_type not in _MAIN_TYPES:
            raise CorruptFile(f"ZIP 文件的主体不是 Word 正文（{part.content_type}）",
                              f"the package's main part is no Word document ({part.content_type})")
        element = part.element if hasattr(part, "element") else parse_xml(part.blob)
        body = element.find(W + "body")
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error,
            EOFError, NotImplementedError, TypeError, AttributeError) as e:
        # TypeError, AttributeError: python-docx's package loader on a content-types or
        # relationships part that lacks an attribute or element it expects
        raise CorruptFile(f"Word 文件已损坏（{type(e).__name__}: {e}）",
                          f"the Word file is damaged ({type(e).__name__}: {e})") from None
    if body is None:
        raise CorruptFile("Word 文件没有正文（w:body）", "the Word file has no body (w:body)")
    return part, body


# --------------------------------------------------------------------------
# Text of paragraphs and cells
# --------------------------------------------------------------------------

def _hidden(run) -> bool:
    """A run formatted as hidden text (``<w:vanish/>``)."""
    rpr = run.find(W + "rPr")
    if rpr is None:
        return False
    v = rpr.find(W + "vanish")
    return v is not None and v.get(W + "val", "true") not in ("0", "false", "off")


def paragraph_text(p) -> str:
    """The raw text of a ``<w:p>``: its runs in order, ``\\n`` for a line break."""
    out: list[str] = []

    def walk(el):
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag in _TEXT:
                out.append((child.text or "") if _TEXT[tag] is None else _TEXT[tag])
            elif tag == W + "r" and _hidden(child):
                continue
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _blocks(el):
    """The paragraphs and tables under ``el`` in document order (content controls and
    inserted revisions opened)."""
    for child in el:
        if child.tag in (W + "p", W + "tbl", W + "altChunk"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _children(el, tag: str):
    """``el``'s ``tag`` children, looking through content-control and custom-XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


# --------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------

def numbering_of(part) -> Numbering:
    """The document's list numbering (its numbering and styles parts, when it has them)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.parser import parse_xml
    from lxml import etree
    parts = []
    for rel in (RT.NUMBERING, RT.STYLES):
        try:
            related = part.part_related_by(rel)
        except KeyError:
            parts.append(None)
            continue
        try:
            parts.append(related.element if hasattr(related, "element") else parse_xml(related.blob))
        except etree.XMLSyntaxError as e:
            raise CorruptFile(f"Word 文件已损坏（{e}）", f"the Word file is damaged ({e})") from None
    return Numbering(*parts)


def _labelled(label: str, text: str) -> str:
    """A paragraph's text behind its list label (a space when the text starts with a digit or
    Latin letter, which the label would otherwise run into)."""
    if not label or not text.strip():
        return text
    return label + (" " if text.lstrip()[:1].isascii() and text.lstrip()[:1].isalnum() else "") + text


class _Walker:
    """Walks the body, numbering paragraphs and tables, and collects the lines."""

    def __init__(self, numbering: Numbering, parts: dict):
        self.numbering = numbering
        self.parts = parts          # relationship id → part of the document (for altChunks)
        self.chunks = 0
        self.skipped: list[str] = []
        self.lines: list[Line] = []
        self.paragraphs = 0         # every <w:p> met so far
        self.word_tables = 0        # every <w:tbl> met so far (Word's numbering)
        self.tables = -1            # index of the last table given lines
        self.last: dict | None = None   # the table the next one may continue: grid, header rows
        self.joined: list[tuple[int, int]] = []

    def blocks(self, el) -> None:
        for block in _blocks(el):
            if block.tag == W + "p":
                self.paragraph(block)
            elif block.tag == W + "tbl":
                self.table(block)
            else:
                self.chunk(block)

    def chunk(self, el) -> None:
        """An ``altChunk``: a web page or text file imported whole (what CMS "export to Word"
        tools write), read by its own reader in its place; another kind is noted as skipped."""
        part = self.parts.get(el.get(_R_ID) or "")
        kind = getattr(part, "content_type", "missing part")
        if kind in ("text/html", "application/xhtml+xml"):
            from auditor.read.html import read_html
            chunk = read_html(part.blob)
        elif kind == "text/plain":
            from auditor.read.text import read_text
            chunk = read_text(part.blob)
        else:
            self.skipped.append(kind)
            return
        self.chunks += 1
        self.paragraphs += 1       # the chunk stands where a paragraph would: its lines share the number
        offset = self.tables + 1
        for line in chunk.lines:
            self.lines.append(Line(line.text, self.paragraphs, cells=line.cells, exact_cells=line.exact_cells,
                                   table=None if line.table is None else line.table + offset))
        self.tables = max([self.tables] + [l.table for l in self.lines if l.table is not None])
        self.last = None

    def paragraph(self, p) -> None:
        self.paragraphs += 1
        lines = [line for line in map(self.line, self.text(p).split("\n")) if line is not None]
        self.lines.extend(lines)
        if lines:
            self.last = None        # text between two tables: the second one is a new table

    def line(self, raw: str) -> Line | None:
        """One text line of a paragraph; columns typed with tabs become cells, empty ones padding
        (as in a tab-separated text line)."""
        if "\t" in raw.strip():
            cells = [normalize_line(c) for c in raw.split("\t")]
            return Line("\t".join(cells), self.paragraphs, cells=cells)
        text = normalize_line(raw)
        return Line(text, self.paragraphs) if text else None

    def text(self, p) -> str:
        """A paragraph's text with the label Word's list numbering draws in front of it."""
        return _labelled(self.numbering.label(p), paragraph_text(p))

    def cell_text(self, tc) -> str:
        """A cell's paragraphs joined as the HTML reader joins a cell's lines."""
        parts = []
        for p in tc.iter(W + "p"):
            self.paragraphs += 1
            parts.extend(self.text(p).split("\n"))
        return join_lines(parts)

    def table(self, tbl) -> None:
        self.word_tables += 1
        number = self.word_tables
        if tbl.find(".//" + W + "tbl") is not None:    # a layout table: its cells are running text
            self.last = None
            for tc in (tc for tr in _children(tbl, W + "tr") for tc in _children(tr, W + "tc")):
                self.blocks(tc)
            self.last = None
            return
        grid = tuple(int_or(c.get(W + "w"), 0) for c in tbl.iterfind(f"{W}tblGrid/{W}gridCol"))
        rows = self.rows(tbl, number)
        cont = self.last is not None and self.last["columns"] == len(grid) and len(grid) > 0
        if cont:
            rows = _without_repeated_header(rows, self.last["header"])
            self.joined.append((self.last["word"], number))
        rows = [r for r in rows if any(r.cells)]
        if not rows and not cont:
            return
        if not cont:
            self.tables += 1
            self.last = {"columns": len(grid), "header": rows, "word": number}
        else:
            self.last["word"] = number
        self.lines.extend(Line(r.text, r.number, cells=r.cells, exact_cells=True, table=self.tables,
                               refs=r.refs) for r in rows)

    def rows(self, tbl, number: int) -> list[Line]:
        """One line per ``<w:tr>``: the cells that start in it, with their Word positions."""
        out = []
        for r, tr in enumerate(_children(tbl, W + "tr"), start=1):
            first = self.paragraphs + 1
            if tr.find(f"{W}trPr/{W}del") is not None:       # a row deleted with changes tracked
                self.paragraphs += sum(1 for _ in tr.iter(W + "p"))
                continue
            column = int_or(child_val(tr, f"{W}trPr/{W}gridBefore"), 0)
            cells, refs = [], []
            for tc in _children(tr, W + "tc"):
                span = max(1, int_or(child_val(tc, f"{W}tcPr/{W}gridSpan"), 1))
                vmerge = child_val(tc, f"{W}tcPr/{W}vMerge")
                hmerge = child_val(tc, f"{W}tcPr/{W}hMerge")
                text = self.cell_text(tc)
                if (vmerge is None or vmerge == "restart") and (hmerge is None or hmerge == "restart"):
                    cells.append(text)
                    refs.append({"table": number, "row": r, "column": column + 1})
                column += span
            out.append(Line("\t".join(cells), first, cells=cells, exact_cells=True, refs=refs))
        return out


def _without_repeated_header(rows: list[Line], header: list[Line]) -> list[Line]:
    """Drop the leading rows of a continued table that repeat the first part's first rows
    (rows without a number: a header Word or the author repeated after the page break)."""
    k = 0
    while k < len(rows) and k < len(header) and rows[k].cells == header[k].cells \
            and not any(_NUMERIC.search(c) for c in rows[k].cells):
        k += 1
    return rows[k:]


def read_docx(data: bytes, path: str = "") -> Layout:
    """Read a DOCX's bytes into a Layout (CorruptFile, TooLarge, WrongSuffix on bad input)."""
    if Path(path).suffix.lower() in (".doc", ".wps"):
        raise WrongSuffix(f"文件名为 {Path(path).suffix}，内容却是 DOCX：请把后缀改为 .docx",
                          f"the file is named {Path(path).suffix} but holds a DOCX document: "
                          f"rename it to .docx")
    part, body = open_document(data)
    walker = _Walker(numbering_of(part), part.related_parts)
    walker.blocks(body)
    notes = [{"code": "docx-table-joined",
              "message": f"Word 第{a}、{b}个表格按一个表格读取（跨页拆分的表格）",
              "message_en": f"Word tables {a} and {b} were read as one table (a table split across a page)"}
             for a, b in walker.joined]
    if walker.chunks:
        notes.append({"code": "docx-imported-chunk",
                      "message": f"读取了 Word 文档中嵌入的 {walker.chunks} 个网页/文本片段（altChunk）",
                      "message_en": f"read {walker.chunks} web page or text chunk(s) imported into the Word "
                                    f"document (altChunk)"})
    if walker.skipped:
        notes.append({"code": "docx-chunk-skipped",
                      "message": f"Word 文档中嵌入的片段未读取（类型：{'、'.join(walker.skipped)}）",
                      "message_en": f"chunks imported into the Word document were not read (types: "
                                    f"{', '.join(walker.skipped)})"})
    return Layout(lines=walker.lines, format="docx",
                  meta={"paragraphs": walker.paragraphs, "word_tables": walker.word_tables},
                  notes=notes)
