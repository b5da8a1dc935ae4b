"""Without the ``ocr`` extra a scan gets a clear error that names the extra (runs everywhere)."""
from __future__ import annotations

import io

import pytest

from auditor.errors import ScannedPDF
from auditor.read import ocr, read_bytes
from tests.corpus.pdfgen import scanned_pdf

EXTRA = "disclosure-auditor[ocr]"


@pytest.fixture
def no_extra(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)


def _png() -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("L", (40, 30), 255).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize("name,data", [("scan.pdf", scanned_pdf), ("page.png", _png)])
def test_scan_without_the_extra_names_it(no_extra, name, data):
    with pytest.raises(ScannedPDF) as e:
        read_bytes(data(), name)
    assert EXTRA in e.value.zh and EXTRA in e.value.en
    assert "OCR" in e.value.zh and e.value.zh != e.value.en


def test_text_pdf_needs_no_extra(no_extra):
    from tests.corpus.document import make_report
    from tests.corpus.pdfgen import render_pdf
    layout = read_bytes(render_pdf(make_report("2021")), "text.pdf")
    assert layout.format == "pdf" and "ocr" not in layout.meta
