"""Word 97-2003 (``.doc``), WPS (``.wps``) and RTF documents: converted to DOCX by LibreOffice,
then read by :mod:`auditor.read.docx`.

Before converting, the OLE2 directory (:mod:`auditor.read.ole`) tells a password-protected
document (an encrypted ``.docx`` or a ``.doc`` whose FIB says so), a ``.doc`` misnamed
``.docx`` and an OLE2 file that is no Word document (Excel, PowerPoint) from a Word file:
each is refused with one line, nothing is converted.

The conversion (``soffice --headless --convert-to docx``) runs in a temporary folder of
its own, with a LibreOffice user profile of the process's own (parallel workers never share
one; it is built once per process, and built again after a failed conversion), in a new
process group that is killed when the time limit (:data:`TIMEOUT_SECONDS`) passes — and
after every conversion, so no ``soffice`` outlives a file.  Without LibreOffice the
file is refused with what to install, or to save the file as DOCX.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from auditor.errors import (ConversionFailed, EncryptedFile, MissingConverter, UnsupportedFormat,
                            WrongSuffix)
from auditor.layout import Layout
from auditor.read import ole

TIMEOUT_SECONDS = 120.0
_FIB_ENCRYPTED = 0x0100          # FibBase.fEncrypted, in the flags at offset 0x0A of WordDocument
_OTHER_OFFICE = {"Workbook": ("Excel 表格", "an Excel workbook"), "Book": ("Excel 表格", "an Excel workbook"),
                 "PowerPoint Document": ("PowerPoint 演示文稿", "a PowerPoint presentation")}
_SOFFICE_PATHS = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  r"C:\Program Files\LibreOffice\program\soffice.exe",
                  r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def is_rtf(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"{\\rtf"


def is_legacy_word(head: bytes) -> bool:
    """The sniff of this reader: an OLE2 compound file (Word 97-2003, WPS) or RTF."""
    return ole.is_ole2(head) or is_rtf(head)


def find_soffice() -> str | None:
    """LibreOffice's ``soffice`` on PATH or where its installers put it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _SOFFICE_PATHS if Path(p).is_file()), None)


def check_word(data: bytes, suffix: str) -> None:
    """Refuse what no conversion should be tried on: an encrypted document, a ``.doc`` named
    ``.docx``, an OLE2 file that holds no Word document."""
    entries = {e.name: e for e in ole.directory(data)}
    if "EncryptedPackage" in entries or "EncryptionInfo" in entries or _doc_encrypted(data, entries):
        raise EncryptedFile("Word 文件设有打开密码（已加密），无法读取：请取消密码后重新保存",
                            "the Word file is password-protected (encrypted): remove the password "
                            "and save it again")
    if suffix == ".docx":
        raise WrongSuffix("文件名为 .docx，内容却是旧版 Word 文档（.doc）：请把后缀改为 .doc，或在 Word 中另存为 DOCX",
                          "the file is named .docx but holds an old Word document (.doc): rename it "
                          "to .doc or save it as DOCX in Word")
    if "WordDocument" not in entries and suffix not in (".doc", ".wps"):
        zh, en = next((v for k, v in _OTHER_OFFICE.items() if k in entries), ("非 Word 文档", "not a Word document"))
        raise UnsupportedFormat(f"这是 OLE2 复合文档（{zh}），不是 Word 报告", f"an OLE2 compound file ({en}), "
                                f"not a Word report")


def _doc_encrypted(data: bytes, entries: dict) -> bool:
    """Does the Word 97-2003 FIB say the document is encrypted?"""
    word = entries.get("WordDocument")
    if word is None or word.size < 4096:
        return False
    head = ole.stream_head(data, word)
    return len(head) >= 12 and bool(struct.unpack_from("<H", head, 0x0A)[0] & _FIB_ENCRYPTED)


def _install_hint() -> MissingConverter:
    return MissingConverter(
        "读取 .doc/.wps 文件需要 LibreOffice：请安装（Debian/Ubuntu：apt-get install libreoffice-writer；"
        "macOS：brew install --cask libreoffice；Windows：从 libreoffice.org 下载安装），或把文件另存为 DOCX",
        "reading .doc/.wps files needs LibreOffice: install it (Debian/Ubuntu: apt-get install "
        "libreoffice-writer; macOS: brew install --cask libreoffice; Windows: the installer from "
        "libreoffice.org), or save the file as DOCX")


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the converter and every process it started (its process group)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True)
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass                 # the group is gone already
    proc.wait()


_PROFILES: dict[int, str] = {}      # process id → its LibreOffice user profile folder
_PROFILE_LOCK = threading.Lock()    # one conversion at a time per profile (a second soffice on the
                                    # same profile would hand its work to the first and return)


def _profile() -> str:
    """This process's LibreOffice profile folder (made on first use, removed at exit): a profile
    is built once, not for every file."""
    pid = os.getpid()
    if pid not in _PROFILES:
        _PROFILES[pid] = tempfile.mkdtemp(prefix="auditor-soffice-profile-")
        atexit.register(shutil.rmtree, _PROFILES[pid], True)
    return _PROFILES[pid]


def _drop_profile() -> None:
    """Forget a profile a failed or stopped conversion may have left half-written."""
    shutil.rmtree(_PROFILES.pop(os.getpid(), ""), ignore_errors=True)


def convert_to_docx(data: bytes, suffix: str = ".doc", timeout: float | None = None,
                    soffice: str | None = None) -> bytes:
    """The DOCX LibreOffice makes of a document's bytes (MissingConverter, ConversionFailed)."""
    soffice = soffice or find_soffice()
    if soffice is None:
        raise _install_hint()
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    with _PROFILE_LOCK, tempfile.TemporaryDirectory(prefix="auditor-soffice-") as tmp:
        try:
            return _convert(soffice, data, suffix, Path(tmp), timeout)
        except ConversionFailed:
            _drop_profile()
            raise


def _convert(soffice: str, data: bytes, suffix: str, work: Path, timeout: float) -> bytes:
    """One soffice run in ``work``, its process group killed when it ends or runs out of time."""
    source = work / f"input{suffix if suffix in ('.doc', '.wps', '.docx', '.rtf') else '.doc'}"
    source.write_bytes(data)
    out = work / "out"
    cmd = [soffice, f"-env:UserInstallation={Path(_profile()).as_uri()}", "--headless", "--invisible",
           "--norestore", "--nologo", "--nodefault", "--nolockcheck",
           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
    group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32" \
        else {"start_new_session": True}
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, cwd=work, **group)
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(f"LibreOffice 转换超过时限（{timeout:g} 秒），已终止",
                               f"LibreOffice did not finish the conversion within {timeout:g} s; "
                               f"stopped") from None
    finally:
        _kill_group(proc)
    result = out / (source.stem + ".docx")
    if not result.is_file():
        said = " ".join(output.decode("utf-8", "replace").split())[-200:]
        raise ConversionFailed(f"LibreOffice 无法转换此文件（文件损坏或设有密码？）：{said}",
                               f"LibreOffice could not convert the file (damaged or password-"
                               f"protected?): {said}")
    return result.read_bytes()


def read_legacy_word(data: bytes, path: str = "", timeout: float | None = None) -> Layout:
    """Read a ``.doc`` / ``.wps`` (any OLE2 Word file) or an RTF file through LibreOffice and the DOCX
    reader."""
    from auditor.read.docx import read_docx
    suffix = Path(path).suffix.lower()
    if is_rtf(data):
        suffix = ".rtf"                  # Word saves RTF under any name; LibreOffice reads it as such
    else:
        check_word(data, suffix)
    layout = read_docx(convert_to_docx(data, suffix, timeout), "converted.docx")
    layout.meta["converted_from"] = suffix.lstrip(".") or "doc"
    layout.meta["converter"] = "LibreOffice"
    layout.notes.append({"code": "converted-by-libreoffice",
                         "message": f"{suffix or 'OLE2'} 文件已由 LibreOffice 转换为 DOCX 后读取",
                         "message_en": f"the {suffix or 'OLE2'} Word file was converted to DOCX by "
                                       f"LibreOffice before reading"})
    return layout
