"""Render a known report as a Word document (python-docx), the way staff type one in Word.

Options mirror real documents: merged header cells (``gridSpan``) and vertically merged
row groups (``vMerge``) from the report's colspans and rowspans; numbers split over runs
with different formatting; long labels broken over two paragraphs of a cell; the requests
table split in two at a page break with its header rows repeated; headings in Word's
heading styles or as bold body text; blank, ``/`` and ``—`` cells (:func:`with_blanks`).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from tests.corpus.document import Block, Report, Table
from tests.corpus.pdfgen import _place     # (row, column, cell) of each cell, spans laid out


@dataclass
class DocxStyle:
    split_runs: bool = True          # "1234" typed as runs "12" + "34" in different fonts
    split_table: bool = False        # the requests table split in two at a page break
    repeat_header: bool = True       # … its header rows repeated in the second part
    heading_styles: bool = True      # headings in "Heading 1" (else bold body text)
    paragraph_labels: bool = False   # long labels broken over two paragraphs of their cell
    auto_numbering: bool = False     # "一、" of headings and "1." of table labels drawn by Word's
                                     # list numbering, not typed (each label group restarts at 1)


def with_blanks(report: Report, blanks: dict[tuple[str, str, str], str]) -> Report:
    """Put ``text`` ("", "/", "—" …) in the cells ``(table, row, column)`` of ``report``: its
    tables hold None there and its table blocks the text (every value is distinct, so the
    block cell is found by its value)."""
    for (table, row, column), text in blanks.items():
        old = report.tables[table][row][column]
        old_text = f"{old:g}" if isinstance(old, float) else str(old)
        report.tables[table][row][column] = None
        cells = [c for b in report.blocks if b.table is not None for r in b.table.rows for c in r
                 if c.text == old_text]
        assert len(cells) == 1, (table, row, column, old_text)
        cells[0].text = text
    return report


def _runs(paragraph, text: str, style: DocxStyle) -> None:
    """Write ``text`` as Word does when its parts were typed or formatted separately."""
    if style.split_runs and len(text) >= 2 and text[0].isdigit():
        mid = len(text) // 2
        a = paragraph.add_run(text[:mid])
        a.font.name = "宋体"
        b = paragraph.add_run(text[mid:] + " ")        # a trailing space, as typed
        b.font.size = 133350                           # 10.5 pt in EMU
        return
    paragraph.add_run(text)


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEADING_NUM, ITEM_ABSTRACT = 90, 91
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_ITEM = re.compile(r"^(\d+)\.(?=\D)")


class _Lists:
    """Word list numbering added to a python-docx document: a chineseCounting "%1、" list for
    headings, a decimal "%1." list restarted (a new w:num with a startOverride) for each group
    of numbered table labels."""

    def __init__(self, doc):
        from lxml import etree
        self.etree = etree
        self.root = doc.part.numbering_part.element
        self.next_id = HEADING_NUM + 1
        for abstract, fmt, text in ((HEADING_NUM, "chineseCounting", "%1、"), (ITEM_ABSTRACT, "decimal", "%1.")):
            self._insert_abstract(f'<w:abstractNum {W_NS} w:abstractNumId="{abstract}"><w:lvl w:ilvl="0">'
                                  f'<w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                                  f'<w:suff w:val="nothing"/></w:lvl></w:abstractNum>')
        self.root.append(etree.fromstring(f'<w:num {W_NS} w:numId="{HEADING_NUM}">'
                                          f'<w:abstractNumId w:val="{HEADING_NUM}"/></w:num>'))

    def _insert_abstract(self, xml: str) -> None:
        el = self.etree.fromstring(xml)
        nums = self.root.findall(el.tag.replace("abstractNum", "num"))
        (nums[0].addprevious(el) if nums else self.root.append(el))

    def restart(self) -> int:
        """A new list of numbered items starting at 1."""
        num = self.next_id
        self.next_id += 1
        self.root.append(self.etree.fromstring(
            f'<w:num {W_NS} w:numId="{num}"><w:abstractNumId w:val="{ITEM_ABSTRACT}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        return num

    def number(self, paragraph, num: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(self.etree.fromstring(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'))


def _table(doc, table: Table, style: DocxStyle, lists: _Lists | None) -> None:
    t = doc.add_table(rows=len(table.rows), cols=len(table.widths))
    t.style = "Table Grid"
    item = None
    grid = [list(row.cells) for row in t.rows]    # once: Table.cell() walks the whole table each call
    for r, c, cell in _place(table):
        target = grid[r][c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(grid[r + cell.rowspan - 1][c + cell.colspan - 1])
        text = cell.text
        m = _ITEM.match(text) if lists else None
        if m:
            item = lists.restart() if m.group(1) == "1" else item
            lists.number(target.paragraphs[0], item)
            text = text[m.end():]
        if style.paragraph_labels and len(text) > 10 and not text[0].isdigit():
            cut = len(text) // 2
            target.paragraphs[0].add_run(text[:cut])
            target.add_paragraph(text[cut:])
        else:
            _runs(target.paragraphs[0], text, style)


def _split(table: Table) -> tuple[Table, Table]:
    """The requests table cut before its results block; the second part repeats the header."""
    k = next(i for i, row in enumerate(table.rows) if row[0].text.startswith("三、"))
    return Table(table.widths, table.rows[:k], table.key), Table(table.widths, table.rows[k:], table.key)


def render_docx(report: Report, style: DocxStyle | None = None) -> bytes:
    """The report as the bytes of a DOCX document."""
    import docx
    from docx.enum.text import WD_BREAK

    style = style or DocxStyle()
    doc = docx.Document()
    lists = _Lists(doc) if style.auto_numbering else None
    for block in report.blocks:
        if block.kind == "title":
            doc.add_heading(block.text, 0) if style.heading_styles else doc.add_paragraph().add_run(block.text)
        elif block.kind == "heading":
            text = _HEADING.sub("", block.text) if lists else block.text
            if style.heading_styles:
                p = doc.add_heading(text, 1)
            else:
                p = doc.add_paragraph()
                p.add_run(text).bold = True
            if lists:
                lists.number(p, HEADING_NUM)
        elif block.kind == "para":
            doc.add_paragraph(block.text)
        elif style.split_table and block.table.key == "requests":
            first, second = _split(block.table)
            _table(doc, first, style, lists)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            header = block.table.rows[:3] if style.repeat_header else []
            _table(doc, Table(second.widths, header + second.rows, second.key), style, lists)
        else:
            _table(doc, block.table, style, lists)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["Block", "DocxStyle", "render_docx", "with_blanks"]
