"""Word versions of the test reports made by LibreOffice (HTML → DOCX, DOCX → DOC and WPS), and
PDFs it prints (DOCX and real web pages → PDF, read by both PDF engines alike), read back cell for
cell; skipped where LibreOffice is not installed."""
from __future__ import annotations

import subprocess
import threading

import pytest

from auditor.parse import parse_layout
from auditor.read import legacy_word, ole, read_bytes
from tests.corpus.document import make_report
from tests.corpus.docxgen import DocxStyle, render_docx
from tests.corpus.htmlgen import HtmlStyle, render_html
from tests.read.helpers import table_diff

pytest.importorskip("docx")
SOFFICE = legacy_word.find_soffice()
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _convert(tmp_path, name: str, data: bytes, target: str) -> bytes:
    """``data`` saved as ``name`` and converted by soffice to ``target`` (its own profile)."""
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    return (out / (src.stem + "." + target.split(":")[0])).read_bytes()


def _check(report, layout) -> dict:
    doc = parse_layout(layout)
    assert table_diff(report.tables, doc) == []
    assert (doc["title"], doc["year"], doc["template"]) == (report.title, report.year, report.template)
    assert [s["heading"] for s in doc["sections"].values()] == \
        [b.text for b in report.blocks if b.kind == "heading"]
    assert doc["statistics_period"]["start"] == f"{report.year}-01-01"
    return doc


@pytest.mark.parametrize("template", ["2021", "2019"])
def test_web_page_saved_as_docx_by_libreoffice(tmp_path, template):
    report = make_report(template, start=31)
    page = render_html(report, HtmlStyle(chrome=False, title_outside=False, split_numbers=True, br_labels=True))
    data = _convert(tmp_path, "report.html", page, "docx:MS Word 2007 XML")
    doc = _check(report, read_bytes(data, "report.docx"))
    assert doc["source"]["format"] == "docx" and all("source" in c for c in doc["cells"])


@pytest.mark.parametrize("name", ["pingtan-2019.html", "pingtan-2022.html"])
def test_real_pages_saved_as_docx_match_their_truth(tmp_path, name):
    """Real CMS pages (../shared/real) as Word files: every labelled cell equals its truth."""
    from tests.conftest import REAL, need
    from tests.read.test_real import _labelled, _truth
    page = need(REAL / "files" / name).read_bytes()
    doc = parse_layout(read_bytes(_convert(tmp_path, name, page, "docx:MS Word 2007 XML"), "page.docx"))
    truth = _truth(name)
    assert table_diff(_labelled(truth), doc) == []
    assert (doc["agency"], doc["year"], doc["template"]) == (truth["agency"], truth["year"], truth["template"])
    assert sorted(s["number"] for s in doc["sections"].values()) == truth["sections_present"]


def test_word_report_saved_as_doc_and_wps_is_read_through_libreoffice(tmp_path):
    report = make_report("2021", start=61)
    typed = render_docx(report, DocxStyle(split_table=True, auto_numbering=True))
    data = _convert(tmp_path, "typed.docx", typed, "doc")
    assert "WordDocument" in {e.name for e in ole.directory(data)}       # a real Word 97 file
    for name in ("report.doc", "report.wps"):
        layout = read_bytes(data, name)
        assert layout.meta["converter"] == "LibreOffice"
        assert "converted-by-libreoffice" in [n["code"] for n in layout.notes]
        _check(report, layout)


def test_rtf_saved_by_word_under_any_name(tmp_path):
    report = make_report("2019", start=81)
    # typed labels: LibreOffice's RTF export writes a list label's "、" as "?"
    data = _convert(tmp_path, "typed.docx", render_docx(report, DocxStyle(split_table=True)), "rtf")
    for name in ("report.rtf", "report.doc"):
        layout = read_bytes(data, name)
        assert layout.meta["converted_from"] == "rtf"
        _check(report, layout)


def test_parallel_conversions_do_not_collide():
    """Two conversions at once (each with its own profile) both succeed."""
    docs = [render_docx(make_report("2021", start=s)) for s in (101, 501)]
    results: dict[int, bytes | Exception] = {}

    def run(i: int):
        try:
            results[i] = legacy_word.convert_to_docx(docs[i], ".docx", timeout=180)
        except Exception as e:      # noqa: BLE001 - reported by the assertion below
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, start in enumerate((101, 501)):
        assert isinstance(results[i], bytes), results[i]
        doc = parse_layout(read_bytes(results[i], "x.docx"))
        assert table_diff(make_report("2021", start=start).tables, doc) == []


def _cjk_font() -> bool:
    """Has fontconfig a Chinese font for LibreOffice to draw (and embed) the reports' text with?"""
    try:
        return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True,
                                   timeout=60).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        return False


needs_cjk_font = pytest.mark.skipif(not _cjk_font(), reason="no Chinese font for LibreOffice's PDF "
                                    "(apt-get install fonts-arphic-uming)")


@needs_cjk_font
@pytest.mark.parametrize("template,style", [("2021", DocxStyle()), ("2019", DocxStyle(split_table=True))])
def test_word_report_saved_as_pdf_by_libreoffice_reads_the_same_with_both_engines(tmp_path, template, style):
    """A converter's PDF (embedded subset fonts, every cell border a path of its own, a table
    going on over a page break): both PDF engines give the same layout and document, and the
    tables read cell for cell."""
    from tests.read.test_pdf_engines import _assert_same
    report = make_report(template, start=121)
    data = _convert(tmp_path, "report.docx", render_docx(report, style), "pdf")
    _assert_same(data, "report.pdf")
    layout = read_bytes(data, "report.pdf")
    assert "pages_read_by_pdfminer" not in layout.meta        # its fonts embedded: PDFium reads all
    _check(report, layout)


@needs_cjk_font
@pytest.mark.parametrize("name", ["pingtan-2021.html", "pingtan-2022.html"])
def test_real_pages_saved_as_pdf_read_the_same_with_both_engines(tmp_path, name):
    """Real CMS pages (../shared/real) printed to PDF by LibreOffice: both engines give the same
    layout and document, and every labelled cell equals its truth."""
    from tests.conftest import REAL, need
    from tests.read.test_pdf_engines import _assert_same
    from tests.read.test_real import _labelled, _truth
    data = _convert(tmp_path, name, need(REAL / "files" / name).read_bytes(), "pdf")
    _assert_same(data, "page.pdf")
    layout = read_bytes(data, "page.pdf")
    assert "pages_read_by_pdfminer" not in layout.meta
    doc = parse_layout(layout)
    assert table_diff(_labelled(_truth(name)), doc) == []


@needs_cjk_font
@pytest.mark.parametrize("seed", [9000, 9003])
def test_web_report_variants_printed_by_libreoffice_read_the_same_with_both_engines(tmp_path, seed):
    """LibreOffice's PDFs say Ascent 0 and Descent 0 in their font descriptors (PDFium then
    uses the font's own metrics, pdfminer 0), put an em dash whose outline starts left of its
    origin after digits (PDFium's loose box is not the origin there), and leave gaps of exactly
    a quarter size between runs (a space glyph): both engines must still read them alike."""
    from tests.corpus.variants import make_variant
    from tests.read.test_pdf_engines import _assert_same
    data = _convert(tmp_path, "report.html", make_variant(seed, "html").data, "pdf")
    _assert_same(data, "report.pdf")

