"""Word files a sweep must refuse with one line: damaged, encrypted, misnamed, bombs, not
reports, not Word; legacy files without LibreOffice, and a converter that hangs."""
from __future__ import annotations

import io
import os
import stat
import sys
import time
import zipfile

import pytest

from auditor.errors import (ConversionFailed, CorruptFile, EncryptedFile, InputError, MissingConverter,
                            NotAReport, TooLarge, UnsupportedFormat, WrongSuffix)
from auditor.parse import parse_layout
from auditor.read import legacy_word, read_bytes
from auditor.read.docx import MAX_PART_BYTES
from tests.corpus import cfb
from tests.corpus.document import make_report
from tests.corpus.docxgen import render_docx

pytest.importorskip("docx")


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    return render_docx(make_report("2021"))


def _one_line(e: InputError) -> None:
    assert "\n" not in e.zh and "\n" not in e.en and e.zh != e.en


@pytest.mark.parametrize("cut", [0.5, 0.98])
def test_truncated_docx(report_docx, cut):
    with pytest.raises(CorruptFile) as e:
        read_bytes(report_docx[:int(len(report_docx) * cut)], "r.docx")
    _one_line(e.value)


def test_damaged_member_and_zip_without_word_body(report_docx):
    zf = zipfile.ZipFile(io.BytesIO(report_docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in zf.infolist():
            body = zf.read(info)
            z.writestr(info, body[: len(body) // 2] if info.filename == "word/document.xml" else body)
    with pytest.raises(CorruptFile):
        read_bytes(out.getvalue(), "r.docx")
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(CorruptFile, match="word/document.xml"):
        read_bytes(other.getvalue(), "book.docx")


def _retyped(data: bytes, kind: str) -> bytes:
    """``data`` with its main part declared as another content type."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in zf.infolist():
            body = zf.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    kind.encode())
            z.writestr(info, body)
    return out.getvalue()


def test_macro_enabled_and_template_documents_are_read(report_docx):
    from tests.read.helpers import table_diff
    report = make_report("2021")
    for kind, name in (("application/vnd.ms-word.document.macroEnabled.main+xml", "r.docm"),
                       ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", "r.dotx")):
        doc = parse_layout(read_bytes(_retyped(report_docx, kind), name))
        assert table_diff(report.tables, doc) == []
    with pytest.raises(CorruptFile, match="spreadsheetml"):
        read_bytes(_retyped(report_docx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
                   "r.docx")


def test_docx_bomb_refused_before_inflating():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (MAX_PART_BYTES + 1024) + b"</w:document>")
    data = out.getvalue()
    assert len(data) < MAX_PART_BYTES // 100
    with pytest.raises(TooLarge) as e:
        read_bytes(data, "bomb.docx")
    _one_line(e.value)
    assert e.value.kind == "too-large"


@pytest.mark.parametrize("name", ["locked.docx", "locked.doc", "locked"])
def test_password_protected_docx(name):
    with pytest.raises(EncryptedFile) as e:
        read_bytes(cfb.encrypted_docx(), name)
    assert e.value.kind == "encrypted"
    _one_line(e.value)


def test_password_protected_doc():
    with pytest.raises(EncryptedFile):
        read_bytes(cfb.word97(encrypted=True), "locked.doc")


def test_doc_named_docx_and_docx_named_doc(report_docx):
    with pytest.raises(WrongSuffix, match=r"\.doc"):
        read_bytes(cfb.word97(), "report.docx")
    for suffix in (".doc", ".wps"):
        with pytest.raises(WrongSuffix, match=r"\.docx"):
            read_bytes(report_docx, f"report{suffix}")


def test_ole2_file_that_is_not_word():
    with pytest.raises(UnsupportedFormat, match="Excel"):
        read_bytes(cfb.workbook(), "table.xls")


def test_damaged_ole2_directory():
    data = bytearray(cfb.word97())
    data[0x30:0x34] = (999).to_bytes(4, "little")        # the directory starts past the end
    with pytest.raises(CorruptFile):
        read_bytes(bytes(data), "r.doc")


def test_word_file_that_is_not_a_report():
    import docx
    d = docx.Document()
    d.add_heading("关于召开年度工作会议的通知", 1)
    d.add_paragraph("各科室：定于下周一召开会议，请准时参加。")
    out = io.BytesIO()
    d.save(out)
    layout = read_bytes(out.getvalue(), "notice.docx")
    with pytest.raises(NotAReport):
        parse_layout(layout)


def test_legacy_word_without_libreoffice(monkeypatch):
    monkeypatch.setattr(legacy_word, "find_soffice", lambda: None)
    with pytest.raises(MissingConverter) as e:
        read_bytes(cfb.word97(), "report.doc")
    _one_line(e.value)
    for words in ("LibreOffice", "apt-get install libreoffice-writer", "brew install --cask libreoffice", "DOCX"):
        assert words in e.value.en
    assert "另存为 DOCX" in e.value.zh and e.value.kind == "needs-converter"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for soffice")
def test_hanging_converter_is_stopped_with_its_children(tmp_path):
    """A converter that never finishes (and has started a child) is killed at the time limit,
    child included; the file gets one line."""
    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pidfile}\nwait\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    start = time.monotonic()
    with pytest.raises(ConversionFailed) as e:
        legacy_word.convert_to_docx(cfb.word97(), ".doc", timeout=1, soffice=str(fake))
    assert time.monotonic() - start < 30
    assert "1 s" in e.value.en and e.value.kind == "conversion-failed"
    child = int(pidfile.read_text())
    for _ in range(50):                                   # the child is gone (killed, reaped by init)
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:                 # a zombie is dead
        return f.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell script stands in for soffice")
def test_converter_that_makes_nothing(tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded'\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(ConversionFailed, match="could not be loaded"):
        legacy_word.convert_to_docx(cfb.word97(), ".doc", timeout=30, soffice=str(fake))
