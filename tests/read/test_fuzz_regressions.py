"""Inputs that crashed a reader or the configuration loader under ``tools/fuzz.py``: each must now
end in a one-line :class:`InputError` / :class:`ConfigError`, never another exception."""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from auditor import settings as C
from auditor.errors import ConfigError, CorruptFile
from auditor.read import read_bytes

CT = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
BODY = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>')


def _docx(content_types: str | None = None, rels: str | None = None) -> bytes:
    """A one-paragraph DOCX whose package parts can be replaced by broken ones."""
    content_types = content_types or (
        f'<Types xmlns="{CT}"><Default Extension="rels" '
        f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{DOC_TYPE}"/></Types>')
    rels = rels or (f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOC}" '
                    f'Target="word/document.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", BODY)
    return out.getvalue()


def test_the_well_formed_package_reads():
    assert [line.text for line in read_bytes(_docx(), "a.docx").lines] == ["x"]


@pytest.mark.parametrize("content_types, rels", [
    # an Override without PartName (python-docx: AttributeError 'NoneType' … 'lower')
    (f'<Types xmlns="{CT}"><Override ContentType="{DOC_TYPE}"/></Types>', None),
    # a relationship without Target (python-docx: TypeError from posixpath.join)
    (None, f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE_DOC}"/></Relationships>'),
    # a relationships part whose root is another element (AttributeError 'Relationship_lst')
    (None, '<Other/>'),
], ids=["override-without-partname", "relationship-without-target", "relationships-root-wrong"])
def test_a_broken_docx_package_part_is_a_corrupt_file(content_types, rels):
    with pytest.raises(CorruptFile) as e:
        read_bytes(_docx(content_types, rels), "a.docx")
    assert "\n" not in e.value.en and "damaged" in e.value.en


def test_a_configuration_that_is_not_utf8_is_a_message_about_the_file(tmp_path):
    cfg = tmp_path / "auditor.yaml"
    cfg.write_bytes("lang: 中文\n".encode("gbk"))
    with pytest.raises(ConfigError) as e:
        C.read_user_config(cfg)
    assert "not UTF-8" in e.value.en and str(cfg) in e.value.en


def test_an_unknown_numeric_configuration_key_is_a_message_about_the_file(tmp_path):
    cfg = tmp_path / "auditor.yaml"
    cfg.write_text("1: x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        C.read_user_config(cfg)
    assert "unknown key '1'" in e.value.en and str(cfg) in e.value.en


def test_utf16_text_cut_mid_character_reads_with_a_replacement():
    data = "一、总体情况\n".encode("utf-16")            # BOM + text, then one byte of a character
    layout = read_bytes(data + b"\xe8", "a.txt")
    assert layout.lines[0].text == "一、总体情况"
    assert read_bytes(b"\xfe\xff\x4e\x00\xd8", "a.txt").lines[0].text == "\u4e00\ufffd"


def test_the_fuzz_harness_seeds_read_and_a_crash_is_recorded_once(tmp_path):
    """tools/fuzz.py stays usable: each target reads its own seeds cleanly, and an exception that
    is no InputError is written out once per place it is raised."""
    import random
    from tools import fuzz
    for target in ("text", "html", "json", "mht", "docx", "config"):
        run = fuzz.make_target(target)
        for seed in fuzz.seeds(target):
            run(seed)
    docx = fuzz.seeds("docx")[0]
    first, again = random.Random(3), random.Random(3)        # a seeded run is repeatable
    assert [fuzz.mutate(docx, first, "xml") for _ in range(3)] == [fuzz.mutate(docx, again, "xml") for _ in range(3)]

    def fragile(data: bytes) -> None:
        if data.startswith(b"x"):
            raise IndexError(data)
        raise CorruptFile("损坏", "damaged")
    check = fuzz.Checker(fragile, tmp_path, limit=60)      # generous: a loaded machine is slow
    for data in (b"a", b"x1", b"x2"):
        check(data)
    assert check.inputs == 3 and len(check.crashes) == 1
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".txt"] == ["crash-" + hashlib.sha1(b"x1").hexdigest()]


def _mht(charset: bytes, body: bytes) -> bytes:
    return (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
            b"Content-Type: text/html; charset=\"" + charset + b"\"\r\n\r\n" + body + b"\r\n--B--\r\n")


@pytest.mark.parametrize("charset, body", [
    (b"gb\x002312", "<html><body><p>报告</p></body></html>".encode("gb18030")),   # NUL in the label
    (b"unicode_escape", b"<html><body><p>\\udd1e</p></body></html>"),             # decodes to a surrogate
], ids=["nul-in-charset", "charset-yields-surrogates"])
def test_a_web_archive_with_an_odd_charset_label_is_read_by_sniffing(charset, body):
    layout = read_bytes(_mht(charset, body), "a.mht")
    assert layout.format == "html" and layout.meta["container"] == "mht"
    assert [line.text for line in layout.lines] == [body.split(b"<p>")[1].split(b"</p>")[0].decode("gb18030")]


def test_a_docx_whose_zip_needs_a_newer_zip_version_is_a_corrupt_file():
    data = bytearray(_docx())
    entry = data.rfind(b"PK\x01\x02")                    # the central directory entry of the last member
    data[entry + 6:entry + 8] = (148).to_bytes(2, "little")    # "version needed to extract": 14.8
    with pytest.raises(CorruptFile) as e:
        read_bytes(bytes(data), "a.docx")
    assert "14.8" in e.value.en


def test_a_docx_member_with_an_unknown_compression_method_is_a_corrupt_file():
    data = bytearray(_docx())
    at = data.find(b"PK\x01\x02")
    while at != -1:                                      # every central directory entry: method 99
        data[at + 10:at + 12] = (99).to_bytes(2, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    with pytest.raises(CorruptFile) as e:
        read_bytes(bytes(data), "a.docx")
    assert "compression method" in e.value.en


def test_a_cid_font_width_range_of_10_to_the_30_codes_does_not_hang_pdfminer():
    import re
    import signal
    from tests.corpus.pdfgen import render_pdf
    from tests.corpus.document import make_report
    from auditor.read.pdf import read_pdf
    pdf = render_pdf(make_report("2021", 2023, "某某县商务局"))
    assert pdf.count(b"/W [") == 1                         # reportlab's STSong-Light widths
    damaged = re.sub(rb"/W \[", b"/W [ 1 1000000000000000000000000000000 500 ", pdf)

    def hang(signum, frame):
        raise TimeoutError("pdfminer walked the width range")
    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, 20)
    try:
        layout = read_pdf(damaged)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert [line.text for line in layout.lines] == [line.text for line in read_pdf(pdf).lines]


def test_a_page_tree_counting_a_page_it_does_not_hold_is_a_corrupt_file_for_ocr_too():
    """Found by the pdf-pdfminer target: pdfminer reads no text (one blank page), the PDF goes to
    OCR, and PDFium cannot load the page the tree's /Count promises (a PdfiumError escaped)."""
    pytest.importorskip("rapidocr_onnxruntime")
    from reportlab.pdfgen.canvas import Canvas
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.rect(100, 100, 200, 200, fill=1)
    canvas.showPage()
    canvas.save()
    assert out.getvalue().count(b"/Count 1") == 1
    damaged = out.getvalue().replace(b"/Count 1", b"/Count 2")
    for engine in ("pdfminer", "pdfium"):
        with pytest.raises(CorruptFile):
            read_bytes(damaged, "damaged.pdf", engines={"pdf": engine})
