"""The OCR reader on scans of the generated reports and on small drawn tables.

Skips without the ``ocr`` extra.  The report scans also need a CJK font that pdfium can use to
draw the generated PDFs (``apt-get install fonts-arphic-uming``); the drawn tables need none.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rapidocr_onnxruntime")
pytest.importorskip("pypdfium2")

from auditor.errors import CorruptFile, InputError, ScannedPDF  # noqa: E402
from auditor.parse import parse_layout  # noqa: E402
from auditor.read import ocr, read_bytes  # noqa: E402
from tests.corpus import scangen  # noqa: E402
from tests.corpus.document import make_report  # noqa: E402
from tests.corpus.pdfgen import Style, render_pdf  # noqa: E402
from tests.read.helpers import cell_count, layout_json, rows_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
needs_cjk = pytest.mark.skipif(not scangen.renders_cjk(), reason="no CJK font for pdfium "
                               "(apt-get install fonts-arphic-uming)")

# (template, dpi, container, style, damage): both resolutions, ruled and unruled tables, both
# directions of skew, noise and blur
SCANS = {
    "2021-150dpi-pdf": ("2021", 150, "pdf", Style(), scangen.Damage(degrees=1.2, noise=6, blur=0.6)),
    "2019-200dpi-tiff-unruled": ("2019", 200, "tiff", Style(ruled=False),
                                 scangen.Damage(degrees=-0.8, noise=8, blur=0.8, seed=5)),
}


@pytest.fixture(scope="module")
def scans():
    cache = {}

    def get(name):
        if name not in cache:
            template, dpi, kind, style, damage = SCANS[name]
            report = make_report(template, start=11 if template == "2021" else 301)
            images = scangen.pages(render_pdf(report, style), dpi, damage)
            data = scangen.image_pdf(images, dpi) if kind == "pdf" else scangen.tiff(images, dpi)
            cache[name] = report, read_bytes(data, f"{name}.{kind}")
        return cache[name]
    return get


def _cells(expected: dict, doc: dict):
    """(want, got) for every cell of the known report."""
    for table, rows in expected.items():
        for row, cells in rows.items():
            for col, want in cells.items():
                yield want, ((doc.get("tables") or {}).get(table) or {}).get(row, {}).get(col)


def _same(want, got) -> bool:
    return isinstance(got, (int, float)) and abs(got - want) < 1e-6


@needs_cjk
@pytest.mark.parametrize("name", sorted(SCANS))
def test_scanned_report_read_cell_for_cell(scans, name):
    report, layout = scans(name)
    doc = parse_layout(layout)
    pairs = list(_cells(report.tables, doc))
    assert len(pairs) == cell_count(report.tables)
    exact = sum(_same(w, g) for w, g in pairs)
    assert exact >= 0.99 * len(pairs), f"{exact} of {len(pairs)} cells exact"
    wrong = [(w, g) for w, g in pairs if g is not None and not _same(w, g)]
    assert wrong == []                               # a number read is the report's number
    assert sorted(doc["sections"]) == sorted(["overall", "proactive", "requests", "review_litigation",
                                              "problems", "other"])
    assert doc["statistics_period"]["start"] == f"{report.year}-01-01"
    assert (doc["agency"], doc["year"], doc["template"]) == (report.agency, report.year, report.template)
    assert all(c.get("page") for c in doc["cells"])


@needs_cjk
@pytest.mark.parametrize("name", sorted(SCANS))
def test_skew_is_measured_and_undone(scans, name):
    _, layout = scans(name)
    degrees = SCANS[name][4].degrees
    skews = [n for n in layout.notes if n["code"] == "ocr-deskewed"]
    assert len(skews) == layout.pages
    assert all(abs(n["degrees"] - degrees) <= 0.1 for n in skews)


@needs_cjk
def test_ruled_rows_come_out_as_exact_cells(scans):
    _, layout = scans("2021-150dpi-pdf")
    assert layout.format == "pdf" and layout.pages == 2
    assert ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] in rows_of(layout, 1)
    row = next(l for l in layout.lines if l.cells and l.cells[0] == "2.其他法律行政法规禁止公开")
    assert row.exact_cells and row.cells[1:] == [str(n) for n in range(56, 63)]
    assert {l.table for l in layout.lines if l.table is not None} == {0, 1, 2}


@needs_cjk
def test_mixed_pdf_text_pages_as_text_image_pages_by_ocr():
    report = make_report("2021")
    text = render_pdf(report, Style())
    scan = scangen.image_pdf(scangen.pages(text, 150, scangen.Damage(noise=5)), 150)
    layout = read_bytes(scangen.mixed_pdf(text, scan, {1}), "mixed.pdf")
    doc = parse_layout(layout)
    assert all(_same(w, g) for w, g in _cells(report.tables, doc))
    assert [l.table for l in layout.lines if l.table is not None] == sorted(
        l.table for l in layout.lines if l.table is not None)
    assert {l.page for l in layout.lines} == {1, 2}
    assert not any(n["code"] == "pdf-pages-without-text" for n in layout.notes)
    assert layout.meta["ocr_pages"] == [2] and layout.meta["extractor"].startswith(("pdfminer", "PDFium"))


# --------------------------------------------------------------------------
# Small drawn tables (no CJK font needed): blanks, placeholders, zeros, uncertainty
# --------------------------------------------------------------------------

def _drawn_table(rows: list[list[str]], dpi: int = 150, smudge: tuple[int, int] | None = None):
    """A ruled table drawn with Pillow's default font; ``smudge``: (row, col) of a cell whose
    text is half rubbed out."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont
    px = dpi / 72
    font = ImageFont.load_default(size=round(10 * px))
    cw, ch, x0, y0 = round(54 * px), round(22 * px), round(50 * px), round(70 * px)
    image = Image.new("L", (round(8.27 * dpi), round(2.5 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    draw.text((x0, round(30 * px)), "Statistics of requests", fill=0, font=font)
    ncols = max(len(r) for r in rows)
    for r in range(len(rows) + 1):
        draw.line([(x0, y0 + r * ch), (x0 + ncols * cw, y0 + r * ch)], fill=0, width=1)
    for c in range(ncols + 1):
        draw.line([(x0 + c * cw, y0), (x0 + c * cw, y0 + len(rows) * ch)], fill=0, width=1)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            draw.text((x0 + c * cw + round(12 * px), y0 + r * ch + round(5 * px)), text, fill=0, font=font)
            if smudge == (r, c):
                left = x0 + c * cw + round(12 * px) + round(draw.textlength(text[:-1], font=font))
                draw.rectangle([left + round(2 * px), y0 + r * ch + round(9 * px),
                                left + round(8 * px), y0 + r * ch + round(17 * px)], fill=255)
    return np.array(image)


ROWS = [["12", "345", "", "/", "0", "6789", "1.5"], ["7", "0", "0", "28", "/", "", "903"]]


def test_blank_slash_and_zero_stay_distinct():
    layout = read_bytes(scangen.png(_drawn_table(ROWS), 150), "table.png")
    assert layout.format == "image" and layout.pages == 1
    table = [l for l in layout.lines if l.table is not None]
    assert [l.cells for l in table] == ROWS
    assert all(l.exact_cells for l in table)
    assert not [n for n in layout.notes if n["code"] == "ocr-uncertain"]


def test_black_and_white_scan():
    import io

    from PIL import Image
    image = Image.fromarray(_drawn_table(ROWS)).point(lambda v: 255 if v > 160 else 0).convert("1")
    buf = io.BytesIO()
    image.save(buf, format="TIFF", compression="group4", dpi=(150, 150))      # fax-style G4
    layout = read_bytes(buf.getvalue(), "bilevel.tif")
    rows = [l.cells for l in layout.lines if l.table is not None]
    for row, want in zip(rows, ROWS, strict=True):
        for got, expected in zip(row, want, strict=True):
            if expected.replace(".", "", 1).isdigit() or expected == "":
                assert got == expected                # numbers and blanks exact
            else:                                     # a thin "/" may come back as "!": never a number
                assert not got.replace(".", "", 1).isdigit() and got


def test_rubbed_out_digit_is_never_read_as_another_number():
    layout = read_bytes(scangen.png(_drawn_table(ROWS, smudge=(1, 6)), 150), "smudged.png")
    row = [l for l in layout.lines if l.table is not None][1]
    assert row.cells[:6] == ROWS[1][:6]
    cell = row.cells[6]
    if cell != "903":                                 # not read as the report's number: marked
        assert not cell.replace(".", "").isdigit()
        note = next(n for n in layout.notes if n["code"] == "ocr-uncertain")
        assert note["page"] == 1 and len(note["box"]) == 4 and note["message"] and note["message_en"]


def test_blurred_table_never_gives_a_wrong_number_or_blank():
    import cv2
    layout = read_bytes(scangen.png(cv2.GaussianBlur(_drawn_table(ROWS), (0, 0), 1.5), 150), "blur.png")
    rows = [l.cells for l in layout.lines if l.table is not None]
    assert len(rows) == 2 and all(len(r) == len(ROWS[0]) for r in rows)
    for row, want in zip(rows, ROWS):
        for got, expected in zip(row, want):
            number = got.replace(".", "", 1).isdigit()
            assert got == expected or not number, (got, expected)    # a number read is the right one
            assert got != "" or expected == "", (got, expected)      # a blank read is a blank


def test_page_too_blurred_to_read_is_a_clear_error():
    import cv2
    with pytest.raises(ScannedPDF) as e:
        read_bytes(scangen.png(cv2.GaussianBlur(_drawn_table(ROWS), (0, 0), 3.0), 150), "blur.png")
    assert "模糊" in e.value.zh and "blurred" in e.value.en


@pytest.mark.parametrize("quarters", [1, 2, 3])
def test_page_turned_upside_down_or_sideways_is_turned_upright(quarters):
    import numpy as np
    image = np.ascontiguousarray(np.rot90(_drawn_table(ROWS), quarters))
    layout = read_bytes(scangen.png(image, 150), "turned.png")
    assert [l.cells for l in layout.lines if l.table is not None] == ROWS
    assert [n["degrees"] for n in layout.notes if n["code"] == "ocr-turned"] == [90 * (4 - quarters)]


_SUBPROCESS = """
import sys
from auditor.read import read_bytes
from tests.read.helpers import layout_json
sys.stdout.write(layout_json(read_bytes(open(sys.argv[1], "rb").read(), sys.argv[1])))
"""


def test_same_document_in_separate_processes(tmp_path):
    path = tmp_path / "skewed.png"
    path.write_bytes(scangen.png(scangen.damaged(_drawn_table(ROWS), scangen.Damage(0.7, 6, 0.5)), 150))
    outputs = [subprocess.run([sys.executable, "-c", _SUBPROCESS, str(path)], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout for _ in range(2)]
    here = layout_json(read_bytes(path.read_bytes(), str(path)))
    assert outputs[0] == outputs[1] == here
    assert '"ocr-deskewed"' in here


# --------------------------------------------------------------------------
# Bad input: a clear error, never a crash
# --------------------------------------------------------------------------

def test_blank_page_is_a_clear_error():
    import numpy as np
    with pytest.raises(ScannedPDF) as e:
        read_bytes(scangen.png(np.full((1754, 1240), 255, np.uint8), 150), "blank.png")
    assert "OCR" in e.value.zh and "OCR" in e.value.en


def test_decompression_bomb_is_refused_before_decoding():
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))
    with pytest.raises(ocr.ImageTooLarge) as e:
        read_bytes(bomb, "bomb.png")
    assert "megapixels" in e.value.en and "百万像素" in e.value.zh


def test_image_over_the_pixel_cap_is_refused():
    big = scangen.png(__import__("numpy").full((8000, 8000), 255, "uint8"), 600)   # 64 Mpx
    with pytest.raises(ocr.ImageTooLarge) as e:
        read_bytes(big, "big.png")
    assert "8000×8000" in e.value.en


def test_corrupt_image_is_a_clear_error():
    with pytest.raises(CorruptFile):
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, "broken.png")


def test_too_many_pages_is_a_clear_error():
    import numpy as np
    page = np.full((40, 30), 255, np.uint8)
    page[10:12, 5:25] = 0
    data = scangen.image_pdf([page] * (ocr.MAX_PAGES + 1), 10)
    with pytest.raises(InputError) as e:
        read_bytes(data, "long.pdf")
    assert isinstance(e.value, ocr.TooManyPages) and str(ocr.MAX_PAGES) in e.value.en
