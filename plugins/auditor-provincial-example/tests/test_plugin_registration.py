"""The plugin registers through the host like any plugin: its rule and its reporter."""
import importlib.metadata

import pytest

import auditor_provincial
from auditor import pipeline
from auditor import settings as config
from auditor.report import RUN, pick_reporter
from auditor.results import run_result
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
    settings = config.build_settings(config.resolve(
        {"rules": {"P901": {"severity": "error", "sections": ["overall", "other"]}}}, h,
        select=["P901"]), h)
    doc = make_document("2021", 2023)
    doc["sections"]["other"]["text"] = "本年度未收取信息处理费。"
    entry = pipeline.audit_document(doc, settings, h)
    [finding] = entry["findings"]
    assert finding["severity"] == "error" and finding["deduction"] == 5
    assert "第一部分、第六部分" in finding["message"]["zh"]


def test_the_reporter_renders_a_run_in_one_language():
    h = host()
    settings = config.build_settings(config.resolve({}, h, select=["P901"]), h)
    passing = make_document("2021", 2023, agency="某县商务局")
    passing["sections"]["other"]["text"] = "本年度政务公开工作要点已全部落实。"
    failing = make_document("2021", 2023, agency="某县财政局")
    failing["sections"]["overall"]["text"] = failing["sections"]["other"]["text"] = "无。"
    results = [pipeline.audit_document(d, settings, h, path=f"{i}.txt")
               for i, d in enumerate((passing, failing))]
    results.append({"path": "scan.pdf", "error": {"zh": "扫描件", "en": "scanned"}, "failed": True})
    run = run_result(results, tool={}, config_digest="")
    reporter = pick_reporter(h, RUN, "provincial")
    assert reporter.plugin == "provincial_example"
    zh = reporter.render(run, "zh").splitlines()
    assert zh[0].split("\t") == ["机关", "年度", "得分", "结论", "错误", "P901", "文件"]
    assert zh[1].split("\t")[:2] == ["某县商务局", "2023"] and zh[1].split("\t")[5] == "✓"
    assert zh[2].split("\t")[5] == "✗" and zh[3].split("\t")[3] == "无法审核"
    en = reporter.render(run, "en")
    assert "not audited" in en and "机关" not in en


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
