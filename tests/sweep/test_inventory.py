"""Every file a sweep meets is accounted for: audited, refused with a reason, or skipped with why."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.read.ocr import available as ocr_available
from auditor.sweep.plan import collect_files
from auditor.sweep.run import sweep
from helpers import make_corpus  # noqa: E402  (tests/sweep on sys.path through conftest's rootdir)

ROOT = Path(__file__).resolve().parents[2]


def _mixed_folder(folder: Path) -> dict[str, str]:
    """Two good reports beside files of every other kind; → the outcome each file must get."""
    make_corpus(folder, 2, seed=8, formats=("text",))
    good = sorted(p.name for p in folder.glob("*.txt"))
    files = {
        "page.shtml": b"<html><body><p>\xe9\xa6\x96\xe9\xa1\xb5</p></body></html>",
        "notes.xyz": b"some bytes",
        "empty.txt": b"",
        "photo.jpg": b"\xff\xd8\xff\xe0",
        "budget.xlsx": b"PK\x03\x04",
        "bundle.zip": b"PK\x03\x04",
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
        "Thumbs.db": b"\x00",
        "~$draft.docx": b"lock",
        "drafts/old.txt": "一、总体情况\n草稿".encode(),
        "sub/auditor.yaml": b"lang: zh\n",
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    expected = dict.fromkeys(good, "audited")
    expected.update({"page.shtml": "refused", "notes.xyz": "refused", "empty.txt": "refused",
                     # a page image is read by OCR when the extra is installed (this one is no image)
                     "photo.jpg": "refused" if ocr_available() else "skipped", "budget.xlsx": "skipped", "bundle.zip": "skipped",
                     ".DS_Store": "skipped", "Thumbs.db": "skipped", "~$draft.docx": "skipped",
                     "drafts/old.txt": "skipped", "sub/auditor.yaml": "skipped",
                     # make_corpus's own manifest and answer key
                     "manifest.csv": "skipped", ".defects.json": "skipped"})
    return expected


def test_collect_files_sorts_dedups_and_keeps_missing_paths(tmp_path):
    for name in ("b/2.pdf", "b/1.TXT", "a.md", "c/deep/x.htm", "c/y.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    files, skipped = collect_files([tmp_path, tmp_path / "a.md"], {".pdf", ".txt", ".md", ".htm", ".html"})
    assert [f.relative_to(tmp_path).as_posix() for f in files] == \
        ["a.md", "b/1.TXT", "b/2.pdf", "c/deep/x.htm", "c/y.html"]
    assert skipped == []
    assert collect_files([tmp_path / "missing.pdf"])[0] == [tmp_path / "missing.pdf"]


def test_every_file_appears_once_with_its_outcome(tmp_path, loaded):
    settings, host = loaded
    expected = _mixed_folder(tmp_path / "in")
    out = sweep([tmp_path / "in"], settings, host, progress=False, exclude=["drafts/*"])
    got = {Path(i["path"]).relative_to(tmp_path / "in").as_posix(): i for i in out["inventory"]}
    assert {k: v["outcome"] for k, v in got.items()} == expected
    assert got["notes.xyz"]["kind"] == "unsupported" and got["empty.txt"]["kind"] == "empty"
    assert got["page.shtml"]["kind"] == "not-a-report"           # .shtml is read as HTML
    assert "--exclude drafts/*" in got["drafts/old.txt"]["reason"]["en"]
    assert got["~$draft.docx"]["reason"]["zh"] == "Office 锁文件"
    # the refused files are results with an error, so they count in the summary
    assert sorted(Path(r["path"]).name for r in out["results"] if r.get("error")) == \
        ["empty.txt", "notes.xyz", "page.shtml"] + (["photo.jpg"] if ocr_available() else [])


@pytest.mark.skipif(ocr_available(), reason="counts assume page images are skipped (no OCR extra)")
def test_the_command_line_reports_the_inventory(tmp_path):
    _mixed_folder(tmp_path / "in")
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    out = tmp_path / "run.json"
    r = subprocess.run([sys.executable, "-m", "auditor", "audit", str(tmp_path / "in"), "--format", "json",
                        "-o", str(out), "--exclude", "drafts/*"], capture_output=True, text=True,
                       encoding="utf-8", env=env, cwd=ROOT, timeout=300)
    assert r.returncode == 1, r.stderr                          # refused files fail the run
    run = json.loads(out.read_text("utf-8"))
    paths = [i["path"] for i in run["inventory"]]
    assert len(paths) == len(set(paths)) == 15
    assert run["summary"]["errors"] == 3
    # -o: one summary line on stderr, in one language
    assert "共 15 个文件：审核 2 份，无法审核 3 份" in r.stderr and "跳过 10 个" in r.stderr
    assert "not audited" not in r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    table = subprocess.run([sys.executable, "-m", "auditor", "audit", str(tmp_path / "in"), "--lang", "en",
                            "--exclude", "drafts/*"],
                           capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=300)
    assert "15 file(s): 2 audited, 3 refused (empty 1; not a report 1; unsupported type 1), 10 skipped" \
        in table.stdout


@pytest.mark.skipif(ocr_available(), reason="with the OCR extra a page image is read, not skipped")
def test_nothing_to_audit_says_what_was_skipped(tmp_path, capsys):
    from auditor.cli import main
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8")
    assert main(["audit", str(tmp_path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "nothing to audit" in err and "a.jpg: image (no OCR installed" in err
    (tmp_path / "a.jpg").unlink()
    assert main(["audit", str(tmp_path)]) == 2
    assert "没有找到文件" in capsys.readouterr().err


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
