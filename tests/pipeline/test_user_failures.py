"""Every failure a user can cause is one line naming the file and the fix, exit status 2 — never
"内部错误" and never a traceback: configurations nested too deeply or too large, a recursive
``extends``, a results store that cannot be read or was written by a newer auditor, a full disk
while writing the output or the store, an output folder that cannot be written."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.settings import MAX_CONFIG_BYTES
from tests.processes import ROOT

ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0      # root writes and reads regardless
REPORT = ROOT / "samples" / "000_71f4947c220341f0.txt"


def _one_line(capsys, *names: str, hint: str) -> str:
    """The command's stderr: one line, naming every one of ``names`` and ``hint`` (the fix)."""
    err = capsys.readouterr().err.strip()
    assert "\n" not in err, err
    assert "内部错误" not in err and "internal error" not in err and "Traceback" not in err, err
    assert all(str(n) in err for n in names) and hint in err, err
    return err


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("AUDITOR_DEBUG", raising=False)


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_a_configuration_nested_too_deeply(tmp_path, capsys, shape):
    cfg = tmp_path / "auditor.yaml"
    if shape == "flow":
        cfg.write_text("rules: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    else:
        cfg.write_text("rules:\n" + "".join(" " * (i + 1) + "k:\n" for i in range(1_200)), encoding="utf-8")
    assert main(["audit", str(REPORT), "--config", str(cfg), "--lang", "en"]) == 2
    _one_line(capsys, cfg, hint="nested too deeply")


def test_a_configuration_too_large_is_refused_unread(tmp_path, capsys):
    cfg = tmp_path / "auditor.yaml"
    waiver = "  - {agency: 某某县人民政府办公室, rule: D404, reason: 网站迁移延误}\n"
    cfg.write_text("waivers:\n" + waiver * (MAX_CONFIG_BYTES // len(waiver.encode()) + 1), encoding="utf-8")
    assert main(["audit", str(REPORT), "--config", str(cfg), "--lang", "en"]) == 2
    _one_line(capsys, cfg, hint="--config")


def test_extends_pointing_back_at_itself(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nlang: en\n", encoding="utf-8")
    assert main(["audit", str(REPORT), "--config", str(tmp_path / "a.yaml"), "--lang", "en"]) == 2
    _one_line(capsys, tmp_path / "a.yaml", tmp_path / "b.yaml", hint="circular extends")


def _store(tmp_path) -> Path:
    db = tmp_path / "s.db"
    assert main(["audit", str(REPORT), "--db", str(db), "--format", "json", "-o", str(tmp_path / "o.json")]) == 0
    return db


def test_a_store_of_a_newer_auditor(tmp_path, capsys):
    db = _store(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'version'")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["audit", str(REPORT), "--db", str(db), "--lang", "en"]) == 2
    _one_line(capsys, db, hint="upgrade auditor")
    assert main(["scorecard", "--db", str(db), "--lang", "en"]) == 2
    _one_line(capsys, db, hint="upgrade auditor")


@pytest.mark.parametrize("how", ["not a database", "a folder", "no permission"])
def test_a_store_that_cannot_be_read(tmp_path, capsys, how):
    db = tmp_path / "s.db"
    if how == "not a database":
        db.write_bytes(os.urandom(4096))
    elif how == "a folder":
        db.mkdir()
    else:
        if ROOT_USER:
            pytest.skip("root reads a file without permission")
        _store(tmp_path)
        db.chmod(0)
        capsys.readouterr()
    assert main(["audit", str(REPORT), "--db", str(db), "--lang", "en"]) == 2
    _one_line(capsys, db, hint="give another --db")
    if how != "a folder":
        assert main(["scorecard", "--db", str(db), "--lang", "en"]) == 2
        _one_line(capsys, db, hint="give another --db")


def _dev_full() -> Path:
    full = Path("/dev/full")
    if not full.is_char_device():
        pytest.skip("no /dev/full")
    return full


def test_a_full_disk_while_writing_the_output(tmp_path, capsys):
    """``-o`` onto a full disk (a link to /dev/full, which the output is written through and
    never replaces) and standard output onto one."""
    full = _dev_full()
    out = tmp_path / "audit.json"
    out.symlink_to(full)
    assert main(["audit", str(REPORT), "--format", "json", "-o", str(out), "--lang", "en"]) == 2
    _one_line(capsys, out, hint="free some space")
    assert out.is_symlink() and full.is_char_device()
    with open(full, "wb") as stdout:
        r = subprocess.run([sys.executable, "-m", "auditor", "audit", str(REPORT), "--lang", "en"],
                           stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT, text=True,
                           env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert r.returncode == 2
    err = r.stderr.strip()
    assert "\n" not in err and "standard output" in err and "free some space" in err, err


def test_an_output_folder_that_cannot_be_written(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if ROOT_USER:                 # root writes anyway: the folder refuses the way it would
        import tempfile

        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(folder / ".auditor-x"))
        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = folder / "audit.json"
    try:
        assert main(["audit", str(REPORT), "--format", "json", "-o", str(out), "--lang", "en"]) == 2
        _one_line(capsys, out, hint="choose a writable folder")
        assert main(["audit", str(REPORT), "-o", str(out)]) == 2
        _one_line(capsys, out, hint="请换一个可写的文件夹")
    finally:
        folder.chmod(0o755)
    assert list(folder.iterdir()) == []


def test_a_store_on_a_full_disk(tmp_path, capsys, monkeypatch):
    """The store fails while results are written to it (in this process: one job)."""
    import auditor.sweep.run as R
    db = tmp_path / "s.db"

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(R, "put_result", full)
    assert main(["audit", str(REPORT), "--db", str(db), "--lang", "en"]) == 2
    _one_line(capsys, db, hint="free some space")
