"""The two PDF engines give the same documents: PDFium (the default) and pdfminer.six (the reference).

Every PDF of the generated corpus, the samples and ../shared/real is read with both engines;
the layouts (lines, cells, tables, pages, notes) and the parsed documents must be identical.
Known differences, none in a cell that matters:

* ``layout.meta`` (``engine``, ``extractor``) names the engine;
* a PDF encrypted with an owner password only whose CID fonts pdfminer cannot decode
  (reportlab's encrypted CIDSystemInfo strings): pdfminer gives "unreadable font", PDFium
  reads the text (see ``test_pdf_errors.test_pdf_with_owner_password_only_opens``).
"""
from __future__ import annotations

import io
import json
from dataclasses import asdict

import pytest

from auditor.errors import InputError
from auditor.parse import parse_layout
from auditor.read import read_bytes
from tests.conftest import REAL, ROOT
from tests.corpus.document import make_report
from tests.corpus.pdfgen import FONT, Style, render_pdf, scanned_pdf
from tests.read.test_pdf_corpus import STYLES

ENGINES = ("pdfium", "pdfminer")


def _outcome(data: bytes, name: str, engine: str):
    """What an engine makes of a file: (layout without its engine's name, document) or the error."""
    try:
        layout = read_bytes(data, name, engines={"pdf": engine})
    except InputError as e:
        return ("error", type(e).__name__, e.zh, e.en)
    assert layout.meta.pop("engine") == engine
    layout.meta.pop("extractor")
    layout.meta.pop("pages_read_by_pdfminer", None)
    try:
        doc = parse_layout(layout)
    except InputError as e:
        doc = ("error", type(e).__name__, e.en)
    return json.dumps([asdict(layout), doc], ensure_ascii=False, sort_keys=True)


def _assert_same(data: bytes, name: str) -> str:
    pdfium, pdfminer = (_outcome(data, name, e) for e in ENGINES)
    assert pdfium == pdfminer, name
    return pdfium


def _corpus() -> list[tuple[str, bytes]]:
    files = [(f"{template}-{name}.pdf", render_pdf(make_report(template, start=11 if template == "2021" else 301),
                                                   style))
             for template in ("2021", "2019") for name, style in sorted(STYLES.items())]
    files += [(p.name, p.read_bytes()) for p in sorted((ROOT / "samples").glob("*.pdf"))]
    files += [(p.name, p.read_bytes()) for p in sorted((REAL / "files").glob("*.pdf"))]
    return files


def test_both_engines_same_documents_on_every_pdf():
    files = _corpus()
    assert len(files) >= 16
    outcomes = [_assert_same(data, name) for name, data in files]
    assert sum(o.startswith("[") for o in outcomes) >= 16      # documents, not errors, compared
    real = [data for name, data in files if name == "huaian-2024.pdf"]
    for data in real:               # fonts embedded: PDFium reads every page on any machine
        assert "pages_read_by_pdfminer" not in read_bytes(data, "huaian-2024.pdf").meta


# --------------------------------------------------------------------------
# Page boxes, turned pages, vertical writing
# --------------------------------------------------------------------------

def _transformed(data: bytes, rotate: int = 0, shift: tuple[float, float] = (0, 0)) -> bytes:
    """The PDF with every page turned by ``rotate`` and its media box moved by ``shift``."""
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(data)
    try:
        for page in doc:
            if rotate:
                page.set_rotation(rotate)
            l, b, r, t = page.get_mediabox()
            page.set_mediabox(l + shift[0], b + shift[1], r + shift[0], t + shift[1])
        buf = io.BytesIO()
        doc.save(buf)
    finally:
        doc.close()
    return buf.getvalue()


def _vertical_pdf() -> bytes:
    """A page with a vertical title (Identity-V style CMap) beside horizontal text."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas
    for name, vertical in (("STSong-Light-V", True), (FONT, False)):
        if name not in pdfmetrics.getRegisteredFontNames():
            font = UnicodeCIDFont(FONT, isVertical=vertical)
            font.name = font.fontName = name
            pdfmetrics.registerFont(font)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setFont("STSong-Light-V", 12)
    c.drawString(500, 700, "某某县政府信息公开工作年度报告")
    c.setFont(FONT, 12)
    c.drawString(72, 700, "一、总体情况")
    c.drawString(72, 680, "本年度新收申请 12 件。")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("rotate,shift", [(0, (37, -55)), (90, (0, 0)), (180, (0, 0)), (270, (20, 30))])
def test_page_boxes_and_turned_pages(rotate, shift):
    data = _transformed(render_pdf(make_report("2021"), Style()), rotate, shift)
    _assert_same(data, "turned.pdf")
    layout = read_bytes(data, "turned.pdf")
    if rotate:                         # pdfminer's page space of a turned page: pdfminer reads it
        assert layout.meta["pages_read_by_pdfminer"] == list(range(1, layout.pages + 1))
    else:
        # a moved media box changes nothing on the page, nor which pages PDFium reads (all,
        # unless the machine lacks a CJK font for the generated PDFs' fonts, not embedded)
        unmoved = read_bytes(render_pdf(make_report("2021"), Style()), "x.pdf")
        assert layout.meta.get("pages_read_by_pdfminer") == unmoved.meta.get("pages_read_by_pdfminer")
        back = _transformed(data, 0, (-shift[0], -shift[1]))
        assert _lines(data) == _lines(back) == _lines(render_pdf(make_report("2021"), Style()))


def _lines(data: bytes) -> list:
    return [asdict(line) for line in read_bytes(data, "x.pdf").lines]


def test_vertical_writing():
    data = _vertical_pdf()
    _assert_same(data, "vertical.pdf")
    layout = read_bytes(data, "vertical.pdf")
    assert "一、总体情况" in [l.text for l in layout.lines]


def test_pdfium_pages_match_pdfminer_glyph_for_glyph():
    """Below the layout: the same glyphs and ruling segments, within PDFium's 32-bit floats, on
    every page PDFium reads.  (Which pages those are depends on the machine's fonts: without a
    CJK font, PDFium's text page skips a one-character text object in a font that is not
    embedded, and that page goes to pdfminer.)
    (Not with fake bold: PDFium's text page drops the repeated text object, pdfminer keeps its
    glyphs and the layout drops them.)"""
    from auditor.read.pdf import read_pages
    from auditor.read.pdfium import _read_pages
    files = [render_pdf(make_report("2021"), Style(rules="rects")), render_pdf(make_report("2019"), Style()),
             _path_pdf()]
    files += [p.read_bytes() for p in sorted((REAL / "files").glob("*.pdf"))]
    compared = sum(_same_pages(read_pages(data), *_read_pages(data)) for data in files)
    assert compared >= (7 if (REAL / "files" / "huaian-2024.pdf").exists() else 2)


def _same_pages(reference: dict, pages: dict, fallback: list) -> int:
    assert sorted(list(pages) + fallback) == sorted(reference)
    for n, page in pages.items():
        ref = reference[n]
        assert (page.width, page.height) == (ref.width, ref.height)
        assert [g.text for g in page.glyphs] == [g.text for g in ref.glyphs]
        for g, r in zip(page.glyphs, ref.glyphs):
            assert max(abs(g.x0 - r.x0), abs(g.x1 - r.x1), abs(g.y0 - r.y0), abs(g.y1 - r.y1),
                       abs(g.size - r.size)) < 0.001, (g, r)
        key = lambda s: (s.horizontal, round(s.pos, 2), round(s.a, 2), round(s.b, 2))  # noqa: E731
        assert sorted(map(key, page.segs)) == sorted(map(key, ref.segs))
    return len(pages)


def _path_pdf() -> bytes:
    """Paths of every kind in one content stream: lines, a closed curve, a rectangle, a path
    of several subpaths, a closed subpath followed by a moveto, a path in a form."""
    content = (b"0.5 w 72 700 m 500 700 l S 72 650 m 150 600 200 620 250 650 c h S "
               b"100 500 200 80 re f 100 400 m 300 400 l 100 380 m 300 380 l 300 200 l S "
               b"50 50 m h 60 60 m 90 60 l S q 1 0 0 1 20 30 cm /Fm1 Do Q")
    form = b"100 100 m 100 300 l 150 300 l h B"
    return _one_page_pdf(
        content, b"<< /XObject << /Fm1 5 0 R >> >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d >>\nstream\n%s\nendstream"
        % (len(form), form))


def test_path_segments_read_from_pdfium_memory_are_what_its_functions_give():
    """The PDFium engine reads a path's segments from PDFium's array where a check at start-up
    found the layout it expects: the points, kinds and close flags of every path of these
    files must be what PDFium's functions give, one by one."""
    import ctypes
    import pypdfium2 as pdfium
    from auditor.read import pdfium as engine
    if not engine._segments_readable():
        pytest.skip("this PDFium keeps path segments otherwise: the engine asks its functions")
    api = engine._lib()
    files = [_path_pdf(), render_pdf(make_report("2021"), Style(rules="rects"))]
    files += [p.read_bytes() for p in sorted((REAL / "files").glob("*.pdf"))]
    compared = 0
    for data in files:
        doc = pdfium.PdfDocument(data)
        for page in doc:
            for obj in page.get_objects(max_depth=3):
                if obj.type != pdfium.raw.FPDF_PAGEOBJ_PATH:
                    continue
                handle = ctypes.c_void_p(engine._address(obj.raw))
                by_functions = [(x, y, kind, bool(api.segment_close(seg)))
                                for x, y, kind, seg in engine._points(handle)]
                in_memory = [(x, y, kind, bool(close))
                             for x, y, kind, close in engine._points_in_memory(handle)]
                assert in_memory == by_functions
                compared += len(in_memory)
        doc.close()
    assert compared > 100


def test_the_same_pages_through_pdfiums_functions(monkeypatch):
    """Where the segments cannot be read from memory, PDFium's functions give the same pages:
    glyphs and ruling segments (the path file: a closed curve, a filled rectangle, subpaths,
    a form's path, each one rule or none)."""
    from auditor.read import pdfium as engine
    files = [_path_pdf(), render_pdf(make_report("2021"), Style(rules="rects")),
             render_pdf(make_report("2019"), Style())]
    direct = [engine._read_pages(data) for data in files]
    assert len(direct[0][0][1].segs) == 8
    monkeypatch.setattr(engine, "_segments_readable", lambda: False)
    assert [engine._read_pages(data) for data in files] == direct


def _beyond_bmp_pdf(codes: bytes) -> bytes:
    """A line of ``codes`` (hex) in a font that maps (ToUnicode) 0002 to 一, 0001 to 𠀀 (U+20000,
    beyond the BMP: a surrogate pair, as in some Chinese names) and 0003 to the two letters of
    the ligature fi."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << "
            b"/Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def "
            b"/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange 3 beginbfchar "
            b"<0001> <D840DC00> <0002> <4E00> <0003> <00660069> endbfchar endcmap CMapName currentdict "
            b"/CMap defineresource pop end end")
    content = b"BT /F1 12 Tf 72 700 Td <%s> Tj ET" % codes
    return _one_page_pdf(
        content, b"<< /Font << /F1 5 0 R >> >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor "
        b"/FontName /SimSun /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 "
        b"/Descent -120 /CapHeight 700 /StemV 80 >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap))


@pytest.mark.parametrize("codes,text,by_pdfium", [
    (b"00020001000200020001", "一\U00020000一一\U00020000", True),
    (b"000200010002000300020001", "一\U00020000一fi一\U00020000", False),   # two letters of one code
])
def test_characters_beyond_the_bmp_and_ligatures_read_as_pdfminer_reads_them(codes, text, by_pdfium):
    """PDFium's text page keeps a surrogate pair as two characters and a ligature as two: the
    page's text taken in one call must not misplace them (the engine takes each character's
    code instead when the text holds a surrogate), and both engines read the line alike — the
    ligature's page through pdfminer (two characters at one place)."""
    data = _beyond_bmp_pdf(codes)
    _assert_same(data, "names.pdf")
    layout = read_bytes(data, "names.pdf")
    assert [l.text for l in layout.lines] == [text]
    assert ("pages_read_by_pdfminer" not in layout.meta) == by_pdfium


def _pdf_with_object_stream(objects: list[bytes], streams: dict[int, bytes]) -> bytes:
    """A PDF 1.5 whose objects (1 0 R the catalogue) sit in one compressed object stream, but for
    ``streams`` (number → stream object), with a cross-reference stream."""
    import zlib
    inline = [(n, body) for n, body in enumerate(objects, start=1) if n not in streams]
    header, bodies = b"", b""
    for n, body in inline:
        header += b"%d %d " % (n, len(bodies))
        bodies += body + b"\n"
    packed = zlib.compress(header + bodies)
    objstm = len(objects) + 1
    out, offsets = b"%PDF-1.5\n", {}
    for n, body in sorted(streams.items()):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    offsets[objstm] = len(out)
    out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (objstm, len(inline), len(header), len(packed)) + packed + b"\nendstream\nendobj\n")
    xref = objstm + 1
    rows = [b"\x00\x00\x00\x00\xff\xff"]
    index = {n: i for i, (n, _) in enumerate(inline)}
    for n in range(1, xref + 1):
        if n in index:
            rows.append(b"\x02" + objstm.to_bytes(4, "big") + index[n].to_bytes(1, "big"))
        elif n == xref:
            rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00")
        else:
            rows.append(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00")
    table = b"".join(rows)
    start = len(out)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref, xref + 1, len(table)) + table + b"\nendstream\nendobj\n")
    return out + b"startxref\n%d\n%%%%EOF\n" % start


def test_a_descriptor_in_an_object_stream_gives_pdfminers_descent():
    """A font descriptor saying Ascent 0 and Descent 0 (as LibreOffice writes them), kept in a
    compressed object stream: PDFium would use the font's own metrics, pdfminer uses 0; the
    PDFium engine finds the descriptor there and its glyphs are pdfminer's."""
    from auditor.read.pdf import read_pages
    from auditor.read.pdfbytes import font_facts
    from auditor.read.pdfium import _read_pages
    content = b"BT /F1 12 Tf 72 700 Td (Annual report 2023) Tj ET"
    data = _pdf_with_object_stream([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"",                                                    # 4: the content stream
        b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+LiberationSans /FirstChar 32 "
        b"/LastChar 121 /Widths [" + b" ".join([b"556"] * 90) + b"] /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+LiberationSans /Flags 32 "
        b"/FontBBox [-203 -303 1050 910] /ItalicAngle 0 /Ascent 0 /Descent 0 /CapHeight 700 /StemV 80 >>",
    ], {4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)})
    assert font_facts(data).descents == {b"LiberationSans": 0.0}
    assert _same_pages(read_pages(data), *_read_pages(data)) == 1
    _assert_same(data, "objstm.pdf")


def test_descriptor_descents_as_pdfminer_takes_them():
    """Descriptors by name without subset tag: nested dictionaries (a /Style) around the keys,
    a positive descent forced negative, none given is 0, an indirect descent or two
    descriptors of one name that disagree are unknown (None: that font's pages go to pdfminer)."""
    from auditor.read.pdfbytes import font_facts
    data = (b"1 0 obj << /Style << /Panose <0801> >> /Type /FontDescriptor /FontName /ABCDEF+SimSun "
            b"/Flags 6 /Descent -141 >> endobj 2 0 obj <</Type/FontDescriptor/FontName/BCDEFG+KaiTi"
            b"/Descent 212.5/Style<</Panose<01>>>>> endobj 3 0 obj << /Type /FontDescriptor "
            b"/FontName /Fang#20Song >> endobj 4 0 obj << /Type /FontDescriptor /FontName /SimHei "
            b"/Descent 9 0 R >> endobj 5 0 obj << /Type /FontDescriptor /FontName /CDEFGH+SimSun "
            b"/Descent -120 >> endobj 6 0 obj << /Type /FontDescriptor /FontName /DEFGHI+Heiti "
            b"/Descent -120 >> endobj 7 0 obj << /Type /FontDescriptor /FontName /EFGHIJ+Heiti "
            b"/Descent -120 >> endobj")
    assert font_facts(data).descents == {b"SimSun": None, b"KaiTi": -212.5 * 0.001, b"Fang Song": 0.0,
                                   b"SimHei": None, b"Heiti": -120 * 0.001}


def test_fonts_with_fractional_widths_are_read_by_pdfminer():
    """Widths with fractions (Chromium writes /W [0 [777.83203 …]]): PDFium keeps a CID font's
    widths as whole numbers, so such a font's pages go to pdfminer; whole widths stay PDFium's."""
    from auditor.read.pdfbytes import font_facts
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange "
            b"<0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <0041> <0002> <0042> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")

    def page(widths: bytes) -> bytes:
        return _one_page_pdf(
            b"BT /F1 12 Tf 72 700 Td <00010002> Tj ET", b"<< /Font << /F1 5 0 R >> >>",
            b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+LiberationSans /Encoding /Identity-H "
            b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+LiberationSans /CIDSystemInfo "
            b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /W [1 [" + widths + b"]] "
            b"/FontDescriptor << /Type /FontDescriptor /FontName /ABCDEF+LiberationSans /Flags 32 "
            b"/FontBBox [-203 -303 1050 910] /ItalicAngle 0 /Ascent 905 /Descent -212 /CapHeight 700 "
            b"/StemV 80 >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap))
    whole, fraction = page(b"667 667"), page(b"666.99219 667.5")
    assert font_facts(whole).fractional == set()
    assert font_facts(fraction).fractional == {b"LiberationSans"}
    assert "pages_read_by_pdfminer" not in read_bytes(whole, "w.pdf").meta
    assert read_bytes(fraction, "f.pdf").meta["pages_read_by_pdfminer"] == [1]
    for data in (whole, fraction):
        _assert_same(data, "widths.pdf")


def test_a_web_page_printed_by_chromium_reads_the_same_with_both_engines(tmp_path):
    """A real web page (../shared/real) printed to PDF by Chromium: fractional widths, a Type0
    CJK font, both engines alike."""
    import shutil
    import subprocess
    from tests.conftest import need
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                     if shutil.which(n)), None)
    if chromium is None:
        pytest.skip("chromium is not installed")
    page = need(REAL / "files" / "pingtan-2019.html")
    out = tmp_path / "page.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={out}",
                    "--no-pdf-header-footer", page.as_uri()], capture_output=True, timeout=180, check=False)
    if not out.exists():
        pytest.skip("chromium could not print here")
    _assert_same(out.read_bytes(), "page.pdf")


def test_pdfminer_direct_glyphs_are_ltchar_glyphs():
    """The pdfminer engine builds glyphs without LTChar objects: the very same glyphs."""
    from auditor.read.pdf import read_pages
    for data in (render_pdf(make_report("2019"), Style(fake_bold=True)), (ROOT / "samples").glob("*.pdf")):
        for blob in ([data] if isinstance(data, bytes) else [p.read_bytes() for p in data]):
            assert read_pages(blob, direct=True) == read_pages(blob, direct=False)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 R the catalogue) with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _one_page_pdf(content: bytes, resources: bytes, *more: bytes) -> bytes:
    """A one-page PDF drawing ``content`` with ``resources``; ``more`` are objects 5, 6, …"""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources %s >>" % resources,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        *more,
    ])


def _unmapped_pdf(mapped_lines: int, unmapped_lines: int) -> bytes:
    """Lines in Helvetica, then lines in a font whose codes map to no Unicode (Identity-H, an
    Identity-ordered CID font that is not embedded, no ToUnicode)."""
    content = b"BT /F2 12 Tf 14 TL 72 760 Td "
    content += b"".join(b"(Annual report line %d total 35) '\n" % k for k in range(mapped_lines))
    content += b"/F1 12 Tf " + b"<0041004200430044004500460047> '\n" * unmapped_lines + b"ET"
    return _one_page_pdf(
        content, b"<< /Font << /F1 5 0 R /F2 7 0 R >> >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Mystery /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Mystery /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 1000 /FontDescriptor 8 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /FontDescriptor /FontName /Mystery /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 "
        b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    )


def test_glyphs_without_unicode_read_as_pdfminer_does():
    """PDFium's mapping-error signal sends the page to pdfminer: the same (cid:N) text and note,
    and "unreadable font" when most glyphs have no mapping."""
    some = _unmapped_pdf(10, 3)
    layout = read_bytes(some, "some.pdf")
    assert layout.meta["pages_read_by_pdfminer"] == [1]
    assert "(cid:65)(cid:66)" in layout.lines[-1].text
    assert [n["code"] for n in layout.notes] == ["pdf-unmapped-glyphs"]
    _assert_same(some, "some.pdf")
    outcome = _assert_same(_unmapped_pdf(2, 10), "most.pdf")
    from auditor.read.ocr import available
    if not available():        # with the OCR extra such a page is read by OCR instead
        assert outcome[:2] == ("error", "OCRUnavailable") and "Unicode" in outcome[3]


# --------------------------------------------------------------------------
# Bad input: the same errors
# --------------------------------------------------------------------------

def _bad_inputs() -> dict[str, bytes]:
    good = render_pdf(make_report("2021"), Style())
    return {
        "scanned": scanned_pdf(),
        "encrypted": render_pdf(make_report("2021"), Style(encrypt={"user": "pw", "owner": "o"})),
        "truncated": good[: int(len(good) * 0.6)],
        "middle-missing": good[: len(good) // 2] + good[-2000:],
        "corrupt": b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF\n",
        "garbage": b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n",
        "empty": b"%PDF-1.4\n%%EOF\n",
    }


@pytest.mark.parametrize("name", sorted(_bad_inputs()))
def test_bad_pdfs_same_error(name):
    outcome = _assert_same(_bad_inputs()[name], f"{name}.pdf")
    assert outcome[0] == "error"


def test_engines_registered_with_versions():
    from auditor.read.builtin import READERS
    pdf = [r for r in READERS if r.format == "pdf"]
    assert [r.engine for r in pdf] == ["pdfium", "pdfminer"]        # the first is the default
    assert pdf[0].version.startswith("pypdfium2 ") and pdf[1].version.startswith("pdfminer.six ")
    data = render_pdf(make_report("2021"), Style())
    assert read_bytes(data, "a.pdf").meta["engine"] == "pdfium"
    assert read_bytes(data, "a.pdf", engines={"pdf": "pdfminer"}).meta["engine"] == "pdfminer"


def test_reading_leaves_no_document_open(tmp_path):
    """One file after another in one process (a worker): nothing carried from one to the next."""
    a = render_pdf(make_report("2021"), Style())
    b = render_pdf(make_report("2019", start=301), Style(ruled=False))
    first = _outcome(a, "a.pdf", "pdfium")
    _outcome(b, "b.pdf", "pdfium")
    assert _outcome(a, "a.pdf", "pdfium") == first



def test_pdfminer_reading_leaves_logging_and_gc_as_they_were():
    import gc
    import logging
    import sys
    from auditor.read.pdf import read_pdf
    before = gc.get_threshold()
    read_pdf(render_pdf(make_report("2021"), Style(ruled=False)))
    assert gc.get_threshold() == before
    logs = [getattr(m, "log", None) for n, m in list(sys.modules.items()) if n.startswith("pdfminer.")]
    assert logs and all(isinstance(log, logging.Logger) for log in logs if log is not None)


@pytest.mark.parametrize("engine", ENGINES)
def test_reading_raises_the_collectors_threshold_only_while_it_reads(engine, monkeypatch):
    """Both engines read with the collector's first threshold raised (a page makes thousands
    of objects and no cycles) and restore it, after a good file and after a bad one."""
    import gc
    seen = []
    from auditor.read import pdflayout
    real = pdflayout.build_layout
    monkeypatch.setattr(pdflayout, "build_layout", lambda *a: (seen.append(gc.get_threshold()[0]), real(*a))[1])
    monkeypatch.setattr(f"auditor.read.{'pdfium' if engine == 'pdfium' else 'pdf'}.build_layout",
                        pdflayout.build_layout)
    before = gc.get_threshold()
    read_bytes(render_pdf(make_report("2021"), Style()), "a.pdf", engines={"pdf": engine})
    assert seen and seen[0] >= 50_000 and gc.get_threshold() == before
    with pytest.raises(InputError):
        read_bytes(render_pdf(make_report("2021"), Style(encrypt={"user": "u", "owner": "o"})), "b.pdf",
                   engines={"pdf": engine})
    assert gc.get_threshold() == before

