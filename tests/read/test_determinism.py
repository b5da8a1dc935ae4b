"""The same PDF (or DOCX) gives byte-identical layouts and documents in separate processes."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REAL, ROOT
from tests.corpus.document import make_report
from tests.corpus.docxgen import DocxStyle, render_docx
from tests.corpus.pdfgen import Style, render_pdf

SCRIPT = """
import hashlib, json, sys
from dataclasses import asdict
from auditor.read import read
from auditor.parse import parse_layout
layout = read(sys.argv[1], engines={"pdf": sys.argv[2]})
doc = parse_layout(layout)
blob = json.dumps([asdict(layout), doc], ensure_ascii=False, sort_keys=True).encode()
print(hashlib.sha256(blob).hexdigest(), len(blob))
"""


def _digest_in_new_process(path: Path, seed: str, engine: str) -> str:
    env = {"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(path), engine], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _files(tmp_path) -> list[Path]:
    files = []
    for name, style in {"ruled": Style(label_scale=0.55, space_before_requests=3),
                        "unruled": Style(ruled=False)}.items():
        p = tmp_path / f"{name}.pdf"
        p.write_bytes(render_pdf(make_report("2021"), style))
        files.append(p)
    docx = tmp_path / "typed.docx"                       # a Word report (python-docx)
    docx.write_bytes(render_docx(make_report("2019"), DocxStyle(split_table=True)))
    files.append(docx)
    real = REAL / "files" / "huaian-2024.pdf"
    if real.exists():
        files.append(real)
    return files


@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
def test_same_pdf_same_bytes_in_separate_processes(tmp_path, engine):
    for path in _files(tmp_path):
        digests = {_digest_in_new_process(path, seed, engine) for seed in ("0", "1", "12345")}
        assert len(digests) == 1, f"{path.name}: {digests}"
