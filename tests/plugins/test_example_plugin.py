"""The example third-party plugin, installed the way a user installs it, seen by the CLI.

The package is installed with pip into a temporary ``--target`` folder that only
the subprocesses of these tests put on ``PYTHONPATH``: the environment other
tests run in is never changed, and repeated runs start from scratch.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "plugins" / "auditor-provincial-example"


def _can_build_offline() -> bool:
    """setuptools can build a wheel without downloading anything (needs `wheel` before 70.1)."""
    try:
        import setuptools
    except ImportError:
        return False
    major_minor = tuple(int(x) for x in setuptools.__version__.split(".")[:2])
    return major_minor >= (70, 1) or importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    target = tmp_path_factory.mktemp("plugin-site")
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = tmp_path_factory.mktemp("plugin-src") / PLUGIN.name
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
           "--disable-pip-version-check", "--target", str(target), str(source)]
    if _can_build_offline():
        cmd.insert(4, "--no-build-isolation")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"pip unavailable: {e}")
    if proc.returncode != 0:
        pytest.skip(f"could not build the example plugin (no network?): {proc.stderr[-500:]}")
    assert list(target.glob("auditor_provincial_example-*.dist-info"))
    return target


def run(site, *args, cwd=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join([str(site)] + [p for p in [env.get("PYTHONPATH")] if p])
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd or ROOT, env=env, timeout=300)


def test_rules_lists_the_plugin_rule_with_its_distribution(site):
    r = run(site, "-m", "auditor", "rules", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = {x["code"]: x for x in json.loads(r.stdout)["rules"]}
    assert rows["P901"]["plugin"] == "auditor-provincial-example"
    assert rows["P901"]["name"] == "work-points-missing"
    assert rows["A201"]["plugin"] == "builtin"
    table = run(site, "-m", "auditor", "rules", "--lang", "en").stdout
    line = next(x for x in table.splitlines() if x.startswith("P901"))
    assert "auditor-provincial-example" in line and "work points" in line
    explain = run(site, "-m", "auditor", "rules", "explain", "work-points-missing").stdout
    assert explain.startswith("P901 work-points-missing") and "Why." in explain and "**" not in explain


def test_audit_output_carries_the_plugin_finding(site, seeds_dir):
    r = run(site, "-m", "auditor", "audit", str(seeds_dir), "--format", "json")
    data = json.loads(r.stdout)
    p901 = {Path(x["path"]).name[:3]: [f for f in x["findings"] if f["code"] == "P901"]
            for x in data["reports"]}
    assert p901["002"] == []                       # no section 六: S101's business
    assert all(len(p901[k]) == 1 for k in ("000", "001", "003", "004"))
    assert p901["003"][0]["location"]["section"] == "other" and p901["003"][0]["deduction"] == 5
    assert {"name": "auditor-provincial-example", "entry_point": "provincial_example",
            "distribution": "auditor-provincial-example", "version": "0.1.0"} in data["tool"]["plugins"]


def test_plugin_can_be_configured_ignored_and_disabled(site, seeds_dir, tmp_path):
    seed = str(sorted(seeds_dir.glob("001_*"))[0])
    (tmp_path / "auditor.yaml").write_text(
        "rules:\n  P901: {severity: error, keywords: [信息处理费]}\n", encoding="utf-8")
    r = run(site, "-m", "auditor", "audit", seed, "--format", "json", cwd=tmp_path)
    codes = [f["code"] for f in json.loads(r.stdout)["reports"][0]["findings"]]
    assert "P901" not in codes                     # seed 001's 六 speaks of 信息处理费
    (tmp_path / "auditor.yaml").write_text("rules:\n  P901: {severity: error}\n", encoding="utf-8")
    r = run(site, "-m", "auditor", "audit", seed, "--format", "json", cwd=tmp_path)
    [f] = [f for f in json.loads(r.stdout)["reports"][0]["findings"] if f["code"] == "P901"]
    assert f["severity"] == "error" and r.returncode == 1
    r = run(site, "-m", "auditor", "audit", seed, "--ignore", "P9", cwd=tmp_path)
    assert r.returncode == 0 and "P901" not in r.stdout
    (tmp_path / "auditor.yaml").write_text(
        "plugins: {disable: [auditor-provincial-example]}\n", encoding="utf-8")
    r = run(site, "-m", "auditor", "rules", cwd=tmp_path)
    assert "P901" not in r.stdout and "A201" in r.stdout


def test_the_plugin_own_tests_pass_against_the_installed_package(site):
    r = run(site, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", cwd=PLUGIN)
    assert r.returncode == 0, r.stdout[-2000:]
    assert "skipped" not in r.stdout               # the installed-entry-point test ran too
