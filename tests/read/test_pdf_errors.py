"""Bad PDFs give a clear error (zh + en), never a traceback; a mixed folder is audited in full."""
from __future__ import annotations

import json

import pytest

from auditor.errors import CorruptFile, EmptyFile, EncryptedPDF, InputError, ScannedPDF
from auditor.read import read, read_bytes
from auditor.read.pdf import is_page_number, read_pdf
from tests.corpus.document import make_report
from tests.corpus.pdfgen import Style, pdfium_reads_text, render_pdf, scanned_pdf
from tests.corpus.htmlgen import render_html


@pytest.fixture(scope="module")
def good_pdf() -> bytes:
    return render_pdf(make_report("2021"), Style())


def _check_message(err: InputError):
    assert err.zh and err.en and err.zh != err.en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh)


def test_scanned_pdf():
    with pytest.raises(ScannedPDF) as e:
        read_bytes(scanned_pdf(), "scan.pdf")
    _check_message(e.value)
    assert "OCR" in e.value.zh and "OCR" in e.value.en


def test_encrypted_pdf_with_user_password():
    data = render_pdf(make_report("2021"), Style(encrypt={"user": "secret", "owner": "owner"}))
    with pytest.raises(EncryptedPDF) as e:
        read_bytes(data, "locked.pdf")
    _check_message(e.value)


def test_pdf_with_owner_password_only_opens():
    """Permissions-only encryption (no password to open) is common on government PDFs: the
    file opens.  (pdfminer cannot map reportlab's encrypted CIDSystemInfo strings, so this
    generated file's glyphs come out as (cid:N): that must be a clear error, not a traceback.)"""
    data = render_pdf(make_report("2021"), Style(encrypt={"user": "", "owner": "owner"}))
    try:
        layout = read_bytes(data, "perm.pdf")
    except ScannedPDF as e:
        assert "Unicode" in e.en
    else:
        if layout.meta["extractor"].startswith("OCR"):   # the (cid:N) text went to OCR: only
            assert not pdfium_reads_text()                # where PDFium cannot read this font
        else:
            assert any("予以公开" in l.text for l in layout.lines)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_pdf(good_pdf, fraction):
    with pytest.raises(CorruptFile) as e:
        read_bytes(good_pdf[: int(len(good_pdf) * fraction)], "cut.pdf")
    _check_message(e.value)


def test_corrupt_pdf():
    with pytest.raises(CorruptFile):
        read_pdf(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ngarbage\n%%EOF\n")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    with pytest.raises(EmptyFile):
        read(p)
    with pytest.raises(EmptyFile):
        read_pdf(b"")


@pytest.mark.parametrize("text", ["- 4 -", "—4—", "4", "第 2 页", "第2页/共5页", "第 2 页 共 5 页", "共 5 页",
                                  "2/5", "Page 3 of 9"])
def test_page_numbers_recognised(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["一、总体情况", "2024年", "共计 95 个", "第二十条第(一)项", "3119 件"])
def test_text_is_not_a_page_number(text):
    assert not is_page_number(text)


def test_mixed_folder_is_audited_in_full(tmp_path, good_pdf):
    (tmp_path / "a-good.pdf").write_bytes(good_pdf)
    (tmp_path / "b-good.html").write_bytes(render_html(make_report("2021", year=2022)))
    (tmp_path / "c-scan.pdf").write_bytes(scanned_pdf())
    (tmp_path / "d-cut.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])
    (tmp_path / "e-locked.pdf").write_bytes(
        render_pdf(make_report("2021"), Style(encrypt={"user": "pw", "owner": "o"})))
    (tmp_path / "f-empty.pdf").write_bytes(b"")
    (tmp_path / "g-guide.html").write_bytes(
        "<html><head><meta charset='utf-8'><title>某某县政府信息公开指南</title></head><body>"
        "<div class='content'><h1>某某县政府信息公开指南</h1><p>一、主动公开</p><p>（一）公开范围。"
        "本机关主动公开政府信息。</p><p>二、依申请公开</p><p>（一）受理机构。</p></div></body></html>"
        .encode("utf-8"))
    from auditor.cli import main
    out = tmp_path / "run.json"
    main(["audit", str(tmp_path), "--format", "json", "-o", str(out)])
    run = json.loads(out.read_text(encoding="utf-8"))
    entries = {r["path"].rsplit("/", 1)[-1]: r for r in run["reports"]}
    assert set(entries) == {"a-good.pdf", "b-good.html", "c-scan.pdf", "d-cut.pdf", "e-locked.pdf",
                            "f-empty.pdf", "g-guide.html"}
    assert not entries["a-good.pdf"].get("error") and not entries["b-good.html"].get("error")
    kinds = {name: json.dumps(e.get("error"), ensure_ascii=False) for name, e in entries.items()}
    for name in ("c-scan.pdf", "d-cut.pdf", "e-locked.pdf", "f-empty.pdf", "g-guide.html"):
        assert entries[name].get("error"), name
    assert "OCR" in kinds["c-scan.pdf"]
    assert "加密" in kinds["e-locked.pdf"] or "encrypted" in kinds["e-locked.pdf"]
