"""The house keeps its shape: the import contract, no import cycles, and a plain checkout works.

- the import-linter contracts of ``pyproject.toml`` (layers: each stage imports only the stages
  below it; rules know only the rule API; readers and the parser know nothing of rules or output);
- no module imports itself back through others, imports inside functions included;
- from a ``git archive`` of the repository, not installed, ``python -m auditor rules`` lists every
  built-in rule and ``python -m auditor audit samples`` gives the installed tool's results.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
grimp = pytest.importorskip("grimp")


def test_import_contracts_are_kept():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(lint).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    r = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "BROKEN" not in r.stdout and r.stdout.count("KEPT") >= 3


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each a cycle of imports."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.find_modules_directly_imported_by(v)):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return out


def test_no_module_imports_itself_back():
    graph = grimp.build_graph("auditor", "auditor_rules", include_external_packages=False)
    assert _cycles(graph) == []


def _site_paths() -> str:
    paths = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    return os.pathsep.join(sorted(paths))


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    out = tmp_path_factory.mktemp("archive")
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT,
                             capture_output=True, timeout=120)
    if archive.returncode != 0:
        pytest.skip("git archive failed")
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True, timeout=120)
    return out


def _plain(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -S``: no site initialisation, so no editable-install finder makes the installed
    package importable; the third-party libraries come from site-packages on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=_site_paths(), PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-S", "-m", "auditor", *args], cwd=checkout, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=600)


def test_a_plain_checkout_lists_every_built_in_rule(checkout):
    r = _plain(checkout, "rules", "--format", "json")
    assert r.returncode == 0, r.stderr
    rules = json.loads(r.stdout)["rules"]
    assert len(rules) >= 25 and {x["plugin"] for x in rules} == {"builtin"}
    assert "A201" in {x["code"] for x in rules}


def test_a_plain_checkout_audits_like_the_installed_tool(checkout):
    plain = _plain(checkout, "audit", "samples", "--format", "json")
    assert plain.returncode in (0, 1), plain.stderr
    installed = subprocess.run([sys.executable, "-m", "auditor", "audit", "samples", "--format", "json"],
                               cwd=checkout, capture_output=True, text=True, encoding="utf-8", timeout=600)
    strip = lambda out: [{k: v for k, v in r.items()} for r in json.loads(out)["reports"]]  # noqa: E731
    assert strip(plain.stdout) == strip(installed.stdout)
    assert len(strip(plain.stdout)) == len(list((checkout / "samples").iterdir()))
