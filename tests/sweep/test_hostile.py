"""A sweep over a folder as audit teams get it: good reports mixed with truncated, encrypted and
scanned PDFs, renamed files, GBK text, a big page, a symlink loop, odd names, an empty and an
unreadable file.  Every good report is scored, every bad file is one clear line in the inventory,
``-j 2`` gives what ``-j 1`` gives, nothing prints a traceback and nothing is left running."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from auditor.read.ocr import available as ocr_available
from tests.processes import session_processes
from tests.corpus.document import make_report
from tests.corpus.htmlgen import HtmlStyle, render_html
from tests.corpus.pdfgen import Style, render_pdf, scanned_pdf
from tools.make_corpus import make_corpus

ROOT = Path(__file__).resolve().parents[2]
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0      # root reads files without permission


def _hostile_folder(folder: Path) -> tuple[set[str], dict[str, str]]:
    """Write the folder; → (names of the good reports, {bad file name: the error kind it must get})."""
    make_corpus(folder, 4, seed=18, formats=("text",), defect_rate=0)
    texts = sorted(folder.glob("*.txt"))
    good = {p.name for p in texts}
    report = make_report("2021", 2023, "某某县商务局")
    pdf = render_pdf(report)
    page = render_html(report, HtmlStyle(encoding="gbk"))
    files = {
        "good.pdf": pdf,
        "good.html": page,
        "html-named.pdf": page,                              # renamed: read by what it holds
        "gbk report.txt": texts[0].read_text("utf-8").replace("2", "2").encode("gbk"),
        "-leading-dash.txt": texts[1].read_bytes(),
    }
    good |= set(files)
    hostile = {   # name: (the kind of error it must get, its bytes)
        "truncated.pdf": ("corrupt", pdf[: len(pdf) // 3]),
        "encrypted.pdf": ("encrypted", render_pdf(report, Style(encrypt={"user": "u", "owner": "o"}))),
        "text-named.docx": ("corrupt", texts[2].read_bytes()),
        "big.html": ("not-a-report", b"<html><body>" + b"<p>\xe6\x96\x87</p>" * 200_000 + b"</body></html>"),
        "empty.txt": ("empty", b""),
        "unreadable.txt": ("unreadable", texts[0].read_bytes()),
    }
    if not ocr_available():          # with the extra a scan is read by OCR (tests/read/test_ocr.py)
        hostile["scanned.pdf"] = ("scanned", scanned_pdf())
    bad = {name: kind for name, (kind, _) in hostile.items()}
    files.update({name: data for name, (_, data) in hostile.items()})
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder / "loop", target_is_directory=True)   # loop/again/again/…
    (texts[3]).rename(folder / "loop" / "inside.txt")
    good.remove(texts[3].name)
    good.add("loop/inside.txt")
    (folder / "unreadable.txt").chmod(0)
    if ROOT_USER:
        del bad["unreadable.txt"]
        good.add("unreadable.txt")
    return good, bad


def _audit(folder: Path, out: Path, jobs: int) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "auditor", "audit", str(folder), "--format", "json",
                          "-o", str(out), "-j", str(jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         cwd=ROOT, env=env, start_new_session=True)
    stdout, stderr = p.communicate(timeout=120)
    leftovers = session_processes(p.pid)
    assert leftovers == [], f"processes left by -j {jobs}: {leftovers}"
    return subprocess.CompletedProcess(p.args, p.returncode, stdout.decode(), stderr.decode())


def test_a_hostile_folder_is_swept_cleanly_and_the_same_with_two_workers(tmp_path):
    folder = tmp_path / "in"
    good, bad = _hostile_folder(folder)
    runs = {}
    for jobs in (1, 2):
        r = _audit(folder, tmp_path / f"j{jobs}.json", jobs)
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr and "内部错误" not in r.stderr and "internal error" not in r.stderr
        runs[jobs] = json.loads((tmp_path / f"j{jobs}.json").read_text("utf-8"))
        assert r.stderr.count("\n") == 1 and r.stdout == ""         # the summary line alone
    assert runs[1] == runs[2]
    run = runs[1]
    names = [Path(i["path"]).relative_to(folder).as_posix() for i in run["inventory"]]
    assert len(names) == len(set(names))                              # every file exactly once
    inventory = {name: i for name, i in zip(names, run["inventory"])}
    audited = {n for n, i in inventory.items() if i["outcome"] == "audited"}
    assert audited == good
    assert {n: inventory[n].get("kind") for n in bad} == bad
    assert all(i["reason"].strip() and "\n" not in i["reason"] for i in inventory.values()
               if i["outcome"] != "audited")
    assert {n for n, i in inventory.items() if i["outcome"] == "skipped"} == {"manifest.csv", ".defects.json"}
    reports = {Path(r["path"]).relative_to(folder).as_posix(): r for r in run["reports"]}
    assert all(isinstance(reports[n]["score"], (int, float)) and not reports[n].get("error") for n in good)
    assert all(reports[n]["error"] and reports[n].get("score") is None for n in bad)
    # one report as a PDF, an HTML page and that page named .pdf: one score
    assert reports["good.pdf"]["score"] == reports["good.html"]["score"] == reports["html-named.pdf"]["score"]
