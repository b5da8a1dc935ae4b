"""No process ``auditor audit`` started outlives it: a worker killed from outside, a file past the
time limit, LibreOffice converting (and killed mid-conversion), OCR, and a run that ends with an
error.  Each command runs in a session of its own, marked (``tests/processes.py``), so a program
that moved to a session of its own (as LibreOffice does) is found too."""
from __future__ import annotations

import json
import os
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.processes import Running, run_auditor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sweep"))
from helpers import tables_chain, write_report  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")

# A rule that, on a report of an agency named with 慢 or 沉睡, starts a program of its own
# session (as LibreOffice is started), notes its worker's pid in $AUDITOR_TEST_PIDS, and waits
# for the program: 2 s for 慢, for ever for 沉睡.
HELPER_PLUGIN = textwrap.dedent('''
    import os, subprocess, sys
    from pathlib import Path
    from auditor.hookspecs import hookimpl
    from auditor.rules.api import rule

    @rule(code="Z902", name="helper-program", title_zh="测试", title_en="Test", severity="info", weight=1)
    def helper_program(doc, ctx):
        """Starts a helper program on marked reports and waits for it."""
        agency = doc.get("agency") or ""
        if "慢" in agency or "沉睡" in agency:
            helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                                      start_new_session=True)
            Path(os.environ["AUDITOR_TEST_PIDS"], str(os.getpid())).write_text(str(helper.pid))
            try:
                helper.wait(timeout=None if "沉睡" in agency else 2)
            except subprocess.TimeoutExpired:
                helper.kill()
                helper.wait()
        return []

    @hookimpl
    def auditor_register_rules():
        return [helper_program]
''')


def _reports(folder: Path, *names: str) -> Path:
    """Text reports (each scores 100) of the agencies ``names``, with the helper plugin's config."""
    folder.mkdir()
    tables = tables_chain([2023], seed=7)[2023]
    for i, name in enumerate(names):
        write_report(folder, f"{i}.txt", name, 2023, tables)
    (folder.parent / "helper.py").write_text(HELPER_PLUGIN, encoding="utf-8")
    (folder.parent / "auditor.yaml").write_text("plugins: {local: [helper.py]}\n", encoding="utf-8")
    return folder


def _kinds(out: Path) -> dict[str, str | None]:
    run = json.loads(out.read_text("utf-8"))
    return {Path(r["path"]).name: r.get("error_kind") for r in run["reports"]}


def _wait_for(folder: Path, seconds: float = 60) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = list(folder.iterdir())
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("the marked report never started")


def test_a_worker_killed_mid_sweep_leaves_nothing_and_its_file_is_audited_again(tmp_path):
    reports = _reports(tmp_path / "in", "甲县商务局", "乙县商务局", "慢县商务局", "丙县商务局")
    pids = tmp_path / "pids"
    pids.mkdir()
    out = tmp_path / "out.json"
    cmd = Running(["audit", reports, "-j", "2", "--config", tmp_path / "auditor.yaml", "--format", "json",
                   "-o", out], env={"AUDITOR_TEST_PIDS": str(pids)})
    [busy] = _wait_for(pids)
    os.kill(int(busy.name), signal.SIGKILL)          # kill -9 the worker, its helper program running
    r = cmd.finish()
    assert r.leftovers == []
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert _kinds(out) == {"0.txt": None, "1.txt": None, "2.txt": None, "3.txt": None}
    assert len(list(pids.iterdir())) == 2            # the killed file ran again, in another worker


def test_a_file_past_the_time_limit_leaves_nothing(tmp_path):
    reports = _reports(tmp_path / "in", "甲县商务局", "沉睡县商务局", "乙县商务局")
    pids = tmp_path / "pids"
    pids.mkdir()
    out = tmp_path / "out.json"
    r = run_auditor(["audit", reports, "-j", "2", "--timeout", "4", "--config", tmp_path / "auditor.yaml",
                     "--format", "json", "-o", out], env={"AUDITOR_TEST_PIDS": str(pids)})
    assert r.leftovers == []                          # the worker and the program it started
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert _kinds(out) == {"0.txt": None, "1.txt": "timeout", "2.txt": None}


def test_a_dask_worker_restarted_past_the_time_limit_leaves_nothing(tmp_path):
    """On the Dask executor's own cluster a file past the time limit gets its worker restarted:
    the program the file's worker started (in a session of its own, as LibreOffice is) goes
    with it, and the cluster leaves nothing either."""
    pytest.importorskip("distributed")
    reports = _reports(tmp_path / "in", "甲县商务局", "沉睡县商务局", "乙县商务局")
    pids = tmp_path / "pids"
    pids.mkdir()
    out = tmp_path / "out.json"
    r = run_auditor(["audit", reports, "--executor", "dask", "-j", "2", "--timeout", "4", "--config",
                     tmp_path / "auditor.yaml", "--format", "json", "-o", out],
                    env={"AUDITOR_TEST_PIDS": str(pids)})
    assert r.leftovers == []
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert _kinds(out) == {"0.txt": None, "1.txt": "timeout", "2.txt": None}


def test_libreoffice_leaves_nothing_after_a_conversion_or_one_stopped_by_the_time_limit(tmp_path):
    from auditor.read.legacy_word import find_soffice
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.rtf", "b.rtf"):
        (folder / name).write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}} \\f0 Not a report.\\par}")
    scratch = tmp_path / "tmp"             # the command's temporary folder: nothing may stay in it
    scratch.mkdir()
    for limit, kind in ((None, "not-a-report"), ("0.5", "timeout")):   # converted; killed converting
        out = tmp_path / "out.json"
        r = run_auditor(["audit", folder, "-j", "2", "--format", "json", "-o", out]
                        + (["--timeout", limit] if limit else []), env={"TMPDIR": str(scratch)})
        assert r.leftovers == []
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert set(_kinds(out).values()) == {kind}
        assert list(scratch.iterdir()) == []        # LibreOffice's profiles and files are gone


def test_ocr_leaves_nothing(tmp_path):
    from auditor.read.ocr import available
    if not available():
        pytest.skip("the ocr extra is not installed")
    from PIL import Image, ImageDraw
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(2):
        img = Image.new("L", (1200, 800), 255)
        draw = ImageDraw.Draw(img)
        for i in range(6):
            draw.text((100, 80 + i * 80), f"2023  {i * 17 + n}  {i * 131 + 7}  TOTAL {i * 9}", fill=0)
        draw.rectangle((60, 60, 1100, 600), outline=0, width=3)
        img.save(folder / f"page-{n}.png", dpi=(150, 150))
    out = tmp_path / "out.json"
    r = run_auditor(["audit", folder, "-j", "2", "--format", "json", "-o", out])
    assert r.leftovers == []
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert set(_kinds(out).values()) == {"not-a-report"}       # read by OCR: text, but no report


def test_a_run_ending_with_an_error_mid_sweep_leaves_nothing(tmp_path):
    """The results store hits a full disk (a file size limit) while two workers are busy: one
    line naming the store and the fix, exit status 2, nothing left running."""
    import resource
    reports = _reports(tmp_path / "in", *[f"第{i}县商务局" for i in range(24)])
    db = tmp_path / "s.db"

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)       # a write past the limit fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
    r = Running(["audit", reports, "-j", "2", "--db", db, "--lang", "en"], preexec=small_disk).finish()
    assert r.leftovers == []
    assert r.returncode == 2, r.stderr
    err = r.stderr.strip()
    assert "\n" not in err and str(db) in err and "--db" in err and "disk full" in err, err
    assert "internal error" not in err and "Traceback" not in err
