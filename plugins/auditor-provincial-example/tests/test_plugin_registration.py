"""The plugin registers through the host like any rule pack, and its rule is well formed."""
import importlib.metadata

import pytest

import auditor_provincial
from auditor import settings as config
from auditor.rules import run as engine
from auditor.rules import host as plugins
from auditor.testing import make_document


def host():
    return plugins.build_host(extra=[("provincial_example", auditor_provincial)], autoload=False)


def test_rule_is_registered_with_documentation():
    h = host()
    rule = h.rules["P901"]
    assert rule.name == "work-points-missing" and rule.plugin == "provincial_example"
    for part in ("**What it checks.**", "**Why.**", "**Passes:**", "**Fails:**"):
        assert part in rule.doc
    assert h.problems == []


def test_configuration_reaches_the_rule():
    h = host()
    cfg = config.resolve({"rules": {"P901": {"severity": "error", "sections": ["overall", "other"]}}},
                         h, select=["P901"])
    doc = make_document("2021", 2023)
    doc["sections"]["other"]["text"] = "本年度未收取信息处理费。"
    entry = engine.audit_document(doc, cfg, h)
    [finding] = entry["findings"]
    assert finding["severity"] == "error" and finding["deduction"] == 5
    assert "第一部分、第六部分" in finding["message"]


def test_a_misspelt_option_is_a_configuration_error():
    from auditor.errors import ConfigError
    with pytest.raises(ConfigError, match="keywords"):
        config.resolve({"rules": {"work-points-missing": {"keyword": ["x"]}}}, host())


def test_installed_entry_point_when_installed():
    try:
        dist = importlib.metadata.distribution("auditor-provincial-example")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("package not installed")
    eps = [ep for ep in dist.entry_points if ep.group == "auditor"]
    assert [ep.value for ep in eps] == ["auditor_provincial"]
    assert "P901" in plugins.build_host().rules
