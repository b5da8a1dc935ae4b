"""A sweep over a folder as audit teams get it: good reports mixed with hostile files — PDFs cut
at several points, corrupt, encrypted with a user or an owner password, image-only or blank;
empty and whitespace-only files; random bytes under every suffix the tool reads; a 30 MB text;
deeply nested HTML; a DOCX bomb under several names; GBK, GB18030 and traditional copies; a
symlink loop; names with spaces, brackets and a leading ``-``; an agency name carrying markup.

Every good report is scored, every hostile file is one clear line in the inventory, ``-j 2``
gives what ``-j 1`` gives, nothing prints a traceback, nothing is left running, memory stays
bounded, the HTML outputs escape the markup, and a sweep killed at random points and run again
ends with what an uninterrupted sweep gives."""
from __future__ import annotations

import io
import json
import os
import random
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from auditor.normalize import TRAD_TO_SIMP
from auditor.read.builtin import READERS
from tests.corpus.document import make_report
from tests.corpus.htmlgen import HtmlStyle, render_html
from tests.corpus.pdfgen import Style, pdfium_reads_text, render_pdf, scanned_pdf
from tests.processes import Running
from tools.make_corpus import make_corpus

ROOT = Path(__file__).resolve().parents[2]
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0      # root reads files without permission
XSS = ('<script>alert("x")</script>县商务局', '"><img src=x onerror=alert(1)>镇人民政府')
# Peak resident memory of any one process of the sweep: the tool, its PDF and OCR engines and
# the 30 MB text read once stay well under it; the 30 MB text held ten times over would not.
PEAK_MB = 400

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")


def _pdf_without_pages_text() -> bytes:
    from reportlab.pdfgen.canvas import Canvas
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    for _ in range(3):
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _docx_bomb() -> bytes:
    """A 60 KB zip whose document.xml unpacks to 60 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", b" " * (60 * 2**20))
    return buf.getvalue()


def _traditional(text: str) -> str:
    simp_to_trad = {simp: chr(trad) for trad, simp in TRAD_TO_SIMP.items()}
    return "".join(simp_to_trad.get(ch, ch) for ch in text)


def _hostile_folder(folder: Path) -> tuple[set[str], dict[str, str | None], Path]:
    """Write the folder → (names of the good reports, {hostile file: the error kind it must get,
    or None for "any clear refusal or skip"}, a manifest naming two agencies with markup)."""
    make_corpus(folder, 6, seed=18, formats=("text",), defect_rate=0)
    texts = sorted(folder.glob("*.txt"))
    text = texts[0].read_text("utf-8")
    report = make_report("2021", 2023, "某某县商务局")
    pdf = render_pdf(report)
    page = render_html(report, HtmlStyle(encoding="gbk"))
    rng = random.Random(18)
    files = {
        "good.pdf": pdf,
        "good.html": page,
        "html-named.pdf": page,                              # renamed: read by what it holds
        "owner-password.pdf": render_pdf(report, Style(encrypt={"user": "", "owner": "o"})),  # opens
        "gbk report.txt": text.encode("gbk"),
        "gb18030 copy.txt": (text + "\n\U00020000\n").encode("gb18030"),   # a character GBK lacks
        "traditional.txt": _traditional(text).encode("utf-8"),
        "[2023] (copy) 报告.txt": texts[1].read_bytes(),
        "-leading-dash.txt": texts[2].read_bytes(),
        "xss-1.txt": texts[3].read_bytes() + b"\n",        # other bytes: not a copy of the original
        "xss-2.txt": texts[4].read_bytes() + b"\n",
    }
    good = {p.name for p in texts} | set(files)
    bomb = _docx_bomb()
    hostile = {   # name: (the kind of error it must get, its bytes)
        **{f"cut-{n}.pdf": ("corrupt", pdf[: len(pdf) * n // 100]) for n in (3, 35, 70, 99)},
        "corrupt.pdf": ("corrupt", pdf[:len(pdf) // 3] + rng.randbytes(2000) + pdf[len(pdf) // 3 + 2000:]),
        "user-password.pdf": ("encrypted", render_pdf(report, Style(encrypt={"user": "u", "owner": "o"}))),
        "image-only.pdf": ("scanned", scanned_pdf()),        # with the OCR extra: nothing read either
        "blank-pages.pdf": ("scanned", _pdf_without_pages_text()),
        "text-named.docx": ("corrupt", texts[2].read_bytes()),
        "big.html": ("too-large", b"<html><body>" + b"<p>\xe6\x96\x87</p>" * 60_000 + b"</body></html>"),
        "big.txt": ("too-large", (text.encode("utf-8") * (30 * 2**20 // len(text.encode("utf-8")) + 1))[:30 * 2**20]),
        "nested-divs.html": ("not-a-report", b"<html><body>" + b"<div>" * 20_000 + "文".encode()
                             + b"</div>" * 20_000 + b"</body></html>"),
        "nested-tables.html": ("not-a-report", b"<html><body>" + b"<table><tr><td>" * 2_000 + "文".encode()
                               + b"</td></tr></table>" * 2_000 + b"</body></html>"),
        "bomb.docx": ("too-large", bomb),
        "bomb.pdf": ("too-large", bomb),                     # read by what it holds
        "bomb.txt": ("too-large", bomb),
        "bomb.doc": ("wrong-suffix", bomb),                  # a DOCX named .doc is refused unopened
        "empty.txt": ("empty", b""),
        "whitespace.txt": ("empty", b"  \r\n\t\n  \n"),
        "whitespace.html": ("empty", b"\n\n    \n"),
        "unreadable.txt": ("unreadable", texts[5].read_bytes()),
    }
    suffixes = sorted({s for r in READERS for s in r.suffixes})
    hostile.update({f"random{s}": (None, rng.randbytes(3000)) for s in suffixes})
    if not pdfium_reads_text():
        # No CJK font here for the PDF's font (not embedded): its pages go to pdfminer, which
        # cannot decode reportlab's encrypted font names, and the PDF reads as unreadable.
        hostile["owner-password.pdf"] = ("scanned", files.pop("owner-password.pdf"))
        good.discard("owner-password.pdf")
    bad = {name: kind for name, (kind, _) in hostile.items()}
    files.update({name: data for name, (_, data) in hostile.items()})
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder / "loop", target_is_directory=True)   # loop/again/again/…
    texts[5].rename(folder / "loop" / "inside.txt")
    good.remove(texts[5].name)
    good.add("loop/inside.txt")
    (folder / "unreadable.txt").chmod(0)
    if ROOT_USER:
        del bad["unreadable.txt"]
        good.add("unreadable.txt")
    manifest = folder.parent / "agencies.csv"
    manifest.write_text("path,agency,year\n" + "".join(
        f'{folder.name}/xss-{i}.txt,"{name.replace(chr(34), chr(34) * 2)}",2023\n'
        for i, name in enumerate(XSS, 1)), encoding="utf-8")
    return good, bad, manifest


def _audit(folder: Path, manifest: Path, out: Path, *more) -> tuple:
    r = Running(["audit", folder, "--manifest", manifest, "--format", "json", "-o", out, *more])
    return r, r.finish(timeout=300)


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """The hostile folder swept with ``-j 1`` and with ``-j 2 --db``."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder = tmp / "in"
    good, bad, manifest = _hostile_folder(folder)
    runs, finished = {}, {}
    for jobs in (1, 2):
        _, r = _audit(folder, manifest, tmp / f"j{jobs}.json", "-j", jobs,
                      *(["--db", tmp / "s.db"] if jobs == 2 else []))
        finished[jobs] = r
        runs[jobs] = json.loads((tmp / f"j{jobs}.json").read_text("utf-8"))
    return {"tmp": tmp, "folder": folder, "good": good, "bad": bad, "manifest": manifest,
            "runs": runs, "finished": finished}


def test_a_hostile_folder_is_swept_cleanly_and_the_same_with_two_workers(swept):
    folder, good, bad = swept["folder"], swept["good"], swept["bad"]
    for r in swept["finished"].values():
        assert r.leftovers == []
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr and "内部错误" not in r.stderr and "internal error" not in r.stderr
        assert r.stderr.count("\n") == 1 and r.stdout == ""         # the summary line alone
    runs = swept["runs"]
    assert runs[1] == runs[2]
    run = runs[1]
    names = [Path(i["path"]).relative_to(folder).as_posix() for i in run["inventory"]]
    assert len(names) == len(set(names))                              # every file exactly once
    inventory = {name: i for name, i in zip(names, run["inventory"])}
    audited = {n for n, i in inventory.items() if i["outcome"] == "audited"}
    assert audited == good
    assert {n: inventory[n].get("kind") for n in bad if bad[n]} == {n: k for n, k in bad.items() if k}
    for name in (n for n, k in bad.items() if k is None):             # random bytes: refused or skipped
        assert inventory[name]["outcome"] in ("refused", "skipped"), name
        assert inventory[name].get("kind") not in ("internal", "crashed", "timeout"), (name, inventory[name])
    assert all(i["reason"].strip() and "\n" not in i["reason"] for i in inventory.values()
               if i["outcome"] != "audited")
    skipped = {n for n, i in inventory.items() if i["outcome"] == "skipped"}
    assert {"manifest.csv", ".defects.json"} <= skipped <= {"manifest.csv", ".defects.json"} | {
        n for n, k in bad.items() if k is None}
    reports = {Path(r["path"]).relative_to(folder).as_posix(): r for r in run["reports"]}
    assert all(isinstance(reports[n]["score"], (int, float)) and not reports[n].get("error") for n in good)
    assert all(reports[n]["error"] and reports[n].get("score") is None for n in bad if n in reports)
    # one report as a PDF, an HTML page, that page named .pdf and with an owner password: one score
    assert len({reports[n]["score"] for n in ("good.pdf", "good.html", "html-named.pdf",
                                                "owner-password.pdf") if n in good}) == 1
    # one report in UTF-8, GBK, GB18030 and traditional characters: one score
    assert len({reports[n]["score"] for n in ("gbk report.txt", "gb18030 copy.txt", "traditional.txt")}) == 1
    assert [reports[f"xss-{i}.txt"]["agency"] for i in (1, 2)] == list(XSS)


def test_the_peak_memory_of_a_hostile_sweep_is_bounded(swept):
    for jobs, r in swept["finished"].items():
        assert 0 < r.peak_rss_mb < PEAK_MB, f"-j {jobs}: {r.peak_rss_mb:.0f} MB"


def test_markup_in_an_agency_name_is_escaped_in_html_outputs(swept):
    tmp = swept["tmp"]
    card = tmp / "card.html"
    r = Running(["scorecard", "--db", tmp / "s.db", "--format", "html", "-o", card]).finish()
    assert r.returncode == 0 and r.leftovers == [], r.stderr
    page = tmp / "page.html"
    r = Running(["audit", swept["folder"] / "xss-1.txt", swept["folder"] / "xss-2.txt", "--manifest",
                 swept["manifest"], "--format", "html", "-o", page]).finish()
    assert r.returncode in (0, 1) and r.leftovers == [] and "审核 2 份" in r.stderr, r.stderr
    for html in (card.read_text("utf-8"), page.read_text("utf-8")):
        for name in XSS:
            assert name not in html and "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:           # not made yet
        return 0


def test_a_sweep_killed_at_random_points_and_run_again_gives_the_uninterrupted_result(swept):
    """SIGKILL to the sweep's whole process group once a seeded random number of further results
    is stored, three times, then a run to the end: the JSON equals the uninterrupted run's, and
    the temporary folders the killed sweeps could not remove are gone with the last one's."""
    tmp, folder = swept["tmp"], swept["folder"]
    db, out = tmp / "killed.db", tmp / "killed.json"
    scratch = tmp / "scratch"
    scratch.mkdir()
    sweep = ["audit", folder, "--manifest", swept["manifest"], "--format", "json", "-o", out, "-j", "2",
             "--db", db]
    total = len(swept["runs"][2]["reports"])
    rng = random.Random(18)
    ours = lambda: [p.name for p in scratch.iterdir() if p.name.startswith("auditor-sweep-")]  # noqa: E731
    kills = 0
    for _ in range(3):
        before = _stored(db)
        if (total - before) // 3 < 1:   # a fast machine stored more before the kill took effect
            break
        target = before + rng.randint(1, (total - before) // 3)
        earlier = set(ours())
        run = Running(sweep, env={"TMPDIR": str(scratch)})
        deadline = time.monotonic() + 120
        # killed once ``target`` results are stored and its workers run (refusals found while
        # planning are stored before the workers, and their folder, start)
        while (_stored(db) < target or not set(ours()) - earlier) and run.running() \
                and time.monotonic() < deadline:
            time.sleep(0.01)
        run.kill_group()
        r = run.finish()
        assert r.leftovers == []
        assert r.returncode == -9, f"the sweep ended before its kill at {target} results: {r.stderr}"
        assert not out.exists()
        assert not set(ours()) & earlier    # each sweep removed the folder the one before left
        kills += 1
    assert kills >= 1
    assert len(ours()) <= 1             # the last killed sweep's, unless its workers had finished
    r = Running(sweep, env={"TMPDIR": str(scratch)}).finish()
    assert r.returncode == 1 and r.leftovers == [], r.stderr
    assert json.loads(out.read_text("utf-8")) == swept["runs"][2]
    assert ours() == []
