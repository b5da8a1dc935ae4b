"""The documentation stays true to the code: links resolve, nothing points outside the
repository, the modules it names exist, the import contract it quotes is the one in
pyproject.toml, and the reader and executor examples of docs/writing-plugins.md work."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md"),
               *(ROOT / "plugins").glob("*/README.md")])
GUIDE = ROOT / "docs" / "writing-plugins.md"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
MODULE_PATH = re.compile(r"`((?:auditor|rules|tools|benchmarks|schemas|plugins)/[\w./-]*)`")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc):
    broken = [target for target in LINK.findall(_text(doc))
              if "://" not in target and not (doc.parent / target).exists()]
    assert broken == []


@pytest.mark.parametrize("doc", [d for d in DOCS if d.name != "CHANGELOG.md"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_named_paths_exist(doc):
    """`auditor/pool.py`-style names of modules that moved are caught here (the changelog names
    the old ones on purpose)."""
    missing = [p for p in MODULE_PATH.findall(_text(doc))
               if not any(ch in p for ch in "*…<") and not (ROOT / p.rstrip("/")).exists()]
    assert missing == []


def test_nothing_points_outside_the_repository():
    sources = DOCS + sorted((ROOT / "auditor").rglob("*.py")) + sorted((ROOT / "rules").rglob("*.py"))
    pointing = [str(p.relative_to(ROOT)) for p in sources if "shared/spec" in _text(p)]
    assert pointing == []


def _contracts(text: str) -> str:
    start = text.index("[[tool.importlinter.contracts]]")
    end = text.index("```", start) if "```" in text[start:] else len(text)
    return text[start:end].strip()


def test_architecture_quotes_the_import_contract():
    assert _contracts(_text(ROOT / "docs" / "architecture.md")) == \
        _contracts(_text(ROOT / "pyproject.toml"))


def _example(name: str, tmp_path: Path):
    """Import the guide's code block that starts with ``# name`` as a module."""
    blocks = re.findall(r"```python\n# (\S+)\n(.*?)```", _text(GUIDE), re.S)
    code = dict(blocks)[name]
    path = tmp_path / name
    path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_guide_reader_example_reads_an_article_and_refuses_broken_json(tmp_path):
    from auditor import pipeline, settings as config
    from auditor.errors import CorruptFile
    from auditor.read import read_bytes
    from auditor.rules.host import build_host

    cms_json = _example("cms_json.py", tmp_path)
    report = _text(ROOT / "samples" / "001_c54325003f6269d3.txt").strip()
    data = json.dumps({"title": "", "pubDate": "2024-01-20", "content": report},
                      ensure_ascii=False).encode()
    readers = cms_json.auditor_register_readers()
    layout = read_bytes(data, "report.json", readers)
    assert layout.format == "cms-json" and layout.published == "2024-01-20"
    with pytest.raises(CorruptFile):
        read_bytes(b'{"content": ', "report.json", readers)

    host = build_host(extra=[("cms_json", cms_json)])
    settings = config.build_settings(config.resolve({}, host), host)
    doc = pipeline.document_of("report.json", settings, host, data=data)
    plain = pipeline.document_of(ROOT / "samples" / "001_c54325003f6269d3.txt", settings, host)
    assert doc["source"]["format"] == "cms-json" and doc["tables"] == plain["tables"]


def test_guide_executor_example_gives_the_local_results(tmp_path):
    from auditor import settings as config
    from auditor.sweep.run import sweep

    simple_pool = _example("simple_pool.py", tmp_path)
    settings, host = config.load(None, cwd="/", extra_plugins=[("simple_pool", simple_pool)])
    paths = [ROOT / "samples" / "000_71f4947c220341f0.txt",
             ROOT / "samples" / "103_cms-page-gb2312-2022.html"]
    mine = sweep(paths, settings, host, jobs=2, executor="simple-pool", progress=False)
    local = sweep(paths, settings, host, jobs=1, progress=False)
    assert len(mine["results"]) == 2 and mine["results"] == local["results"]
