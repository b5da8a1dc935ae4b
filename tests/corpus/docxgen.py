"""Render a known report as a Word document (python-docx), the way staff type one in Word.

Options mirror real documents: merged header cells (``gridSpan``) and vertically merged
row groups (``vMerge``) from the report's colspans and rowspans; numbers split over runs
with different formatting; long labels broken over two paragraphs of a cell; the requests
table split in two at a page break with its header rows repeated; headings in Word's
heading styles or as bold body text; blank, ``/`` and ``—`` cells (:func:`with_blanks`).
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from tests.corpus.document import Block, Cell, Report, Table


@dataclass
class DocxStyle:
    split_runs: bool = True          # "1234" typed as runs "12" + "34" in different fonts
    split_table: bool = False        # the requests table split in two at a page break
    repeat_header: bool = True       # … its header rows repeated in the second part
    heading_styles: bool = True      # headings in "Heading 1" (else bold body text)
    paragraph_labels: bool = False   # long labels broken over two paragraphs of their cell


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


def _grid(table: Table) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every cell where it starts, its rowspans and colspans laid out."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return out


def _table(doc, table: Table, style: DocxStyle) -> None:
    t = doc.add_table(rows=len(table.rows), cols=len(table.widths))
    t.style = "Table Grid"
    for r, c, cell in _grid(table):
        target = t.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(t.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        text = cell.text
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
    for block in report.blocks:
        if block.kind == "title":
            doc.add_heading(block.text, 0) if style.heading_styles else doc.add_paragraph().add_run(block.text)
        elif block.kind == "heading":
            if style.heading_styles:
                doc.add_heading(block.text, 1)
            else:
                doc.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "para":
            doc.add_paragraph(block.text)
        elif style.split_table and block.table.key == "requests":
            first, second = _split(block.table)
            _table(doc, first, style)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            header = block.table.rows[:3] if style.repeat_header else []
            _table(doc, Table(second.widths, header + second.rows, second.key), style)
        else:
            _table(doc, block.table, style)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["Block", "DocxStyle", "render_docx", "with_blanks"]
