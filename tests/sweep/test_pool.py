"""Worker processes start from the caller's state as it is when the sweep runs: its working
folder and its import path (a fork server, started by an earlier sweep, keeps its own)."""
from __future__ import annotations

import shutil
import textwrap

from auditor import settings as C
from auditor.sweep.run import sweep

from helpers import make_corpus

PLUGIN = '''
from auditor.hookspecs import hookimpl
from auditor.rules.api import rule

@rule(code="Z951", name="late-plugin-rule", title_zh="测试规则", title_en="Test rule",
      severity="info", weight=0)
def late(doc, ctx):
    """Fires on every report."""
    yield ctx.finding("测试", "test", section="overall")

@hookimpl
def auditor_register_rules():
    return [late]
'''


def test_relative_paths_after_a_change_of_folder(tmp_path, loaded, monkeypatch):
    cfg, host = loaded
    first, second = tmp_path / "first", tmp_path / "elsewhere" / "second"
    make_corpus(first, 4, seed=31, formats=("text",))
    assert all(not r.get("error") for r in sweep([first], cfg, host, jobs=2, progress=False)["results"])
    shutil.copytree(first, second)
    monkeypatch.chdir(second.parent)
    out = sweep(["second"], cfg, host, jobs=2, progress=False)["results"]
    assert len(out) == 4 and all(not r.get("error") for r in out), out


def test_a_plugin_installed_after_the_first_sweep_runs_in_the_workers(tmp_path, loaded, monkeypatch):
    cfg, host = loaded
    folder = tmp_path / "reports"
    make_corpus(folder, 4, seed=32, formats=("text",))
    sweep([folder], cfg, host, jobs=2, progress=False)             # the pool has run once
    site = tmp_path / "site"
    info = site / "auditor_late_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: auditor-late-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[auditor]\nlate = auditor_late_plugin\n")
    (site / "auditor_late_plugin.py").write_text(textwrap.dedent(PLUGIN))
    monkeypatch.syspath_prepend(str(site))
    cfg2, host2 = C.load(None, cwd="/")
    assert "Z951" in host2.rules
    results = sweep([folder], cfg2, host2, jobs=2, progress=False)["results"]
    assert all("Z951" in {f["code"] for f in r["findings"]} for r in results), results
