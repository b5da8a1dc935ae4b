"""The plugin host: in-memory plugins, broken entry points, misspelt hooks, duplicate codes."""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import textwrap
import types

import pytest

from auditor.rules import host as plugins
from auditor.errors import ConfigError
from auditor.hookspecs import hookimpl
from auditor.rules.api import rule


def make_rule(code="Z101", name="fake-rule", **kw):
    @rule(code=code, name=name, title_zh="假规则", title_en="Fake rule",
          severity=kw.pop("severity", "warning"), weight=kw.pop("weight", 5), **kw)
    def check(doc, ctx):
        """A fake rule."""
        return []
    return check


def make_plugin(*rules, name="fakeplugin"):
    mod = types.ModuleType(name)
    mod.auditor_register_rules = hookimpl(lambda: list(rules))
    return mod


def test_in_memory_plugin_rules_are_collected_with_their_plugin_name():
    host = plugins.build_host(extra=[("my-pack", make_plugin(make_rule(), make_rule("Z102", "other")))],
                              autoload=False)
    assert list(host.rules) == ["Z101", "Z102"]
    assert host.rules["Z101"].plugin == "my-pack"
    assert host.problems == []
    assert host.rule("fake-rule").code == "Z101"
    assert host.rule("z102").code == "Z102"


def test_duplicate_code_is_an_error_naming_both_plugins():
    a = make_plugin(make_rule("Z101", "first"), name="a")
    b = make_plugin(make_rule("Z101", "second"), name="b")
    with pytest.raises(ConfigError) as e:
        plugins.build_host(extra=[("pack-a", a), ("pack-b", b)], autoload=False)
    assert "pack-a" in e.value.en and "pack-b" in e.value.en and "Z101" in e.value.en


def test_duplicate_name_is_an_error_too():
    a = make_plugin(make_rule("Z101", "same-name"), name="a")
    b = make_plugin(make_rule("Z102", "same-name"), name="b")
    with pytest.raises(ConfigError, match="same-name"):
        plugins.build_host(extra=[("pack-a", a), ("pack-b", b)], autoload=False)


def test_misspelt_hookimpl_is_reported_with_the_right_hook_and_plugin_skipped():
    bad = types.ModuleType("typo")
    bad.auditor_register_rule = hookimpl(lambda: [make_rule()])
    good = make_plugin(make_rule("Z201", "good-rule"))
    host = plugins.build_host(extra=[("typo-pack", bad), ("good", good)], autoload=False)
    assert list(host.rules) == ["Z201"]
    [problem] = host.problems
    assert problem.plugin == "typo-pack"
    assert "auditor_register_rule" in problem.en and "did you mean auditor_register_rules" in problem.en
    assert "typo-pack" not in [p["name"] for p in host.plugins]


def test_misspelt_hookimpl_is_an_error_under_strict():
    bad = types.ModuleType("typo")
    bad.auditor_default_confg = hookimpl(lambda: {})
    with pytest.raises(ConfigError, match="auditor_default_config"):
        plugins.build_host(extra=[("typo-pack", bad)], autoload=False, strict=True)


def test_hook_that_raises_is_reported_and_others_still_load():
    boom = types.ModuleType("boom")

    def register():
        raise RuntimeError("cannot build my rules")
    boom.auditor_register_rules = hookimpl(register)
    host = plugins.build_host(extra=[("boom", boom), ("ok", make_plugin(make_rule()))],
                              autoload=False)
    assert list(host.rules) == ["Z101"]
    assert any("cannot build my rules" in p.en and p.plugin == "boom" for p in host.problems)


def test_a_non_rule_is_reported_not_registered():
    host = plugins.build_host(extra=[("odd", make_plugin("not a rule", make_rule()))],
                              autoload=False)
    assert list(host.rules) == ["Z101"]
    assert "not a Rule" in host.problems[0].en


def _write_dist(site, dist, ep_name, ep_value, module_src=None, module=None):
    info = site / f"{dist.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(f"[auditor]\n{ep_name} = {ep_value}\n")
    if module_src is not None:
        (site / f"{module}.py").write_text(textwrap.dedent(module_src))


def test_broken_entry_point_is_reported_with_its_name_and_skipped(tmp_path, monkeypatch):
    _write_dist(tmp_path, "auditor-broken-plugin", "broken", "auditor_broken_mod",
                "raise ImportError('missing dependency foo')\n", "auditor_broken_mod")
    monkeypatch.syspath_prepend(str(tmp_path))
    host = plugins.build_host(extra=[("ok", make_plugin(make_rule()))])
    broken = [p for p in host.problems if p.plugin == "auditor-broken-plugin"]
    assert broken and "missing dependency foo" in broken[0].en
    assert "Z101" in host.rules
    with pytest.raises(ConfigError, match="auditor-broken-plugin"):
        plugins.build_host(strict=True)


def test_entry_point_plugin_gets_its_distribution_name(tmp_path, monkeypatch):
    _write_dist(tmp_path, "auditor-tiny-plugin", "tiny", "auditor_tiny_mod", """
        from auditor.hookspecs import hookimpl
        from auditor.rules.api import rule

        @rule(code="T901", name="tiny-rule", title_zh="小", title_en="tiny", severity="info", weight=1)
        def tiny(doc, ctx):
            return []

        @hookimpl
        def auditor_register_rules():
            return [tiny]
        """, "auditor_tiny_mod")
    monkeypatch.syspath_prepend(str(tmp_path))
    host = plugins.build_host()
    assert host.rules["T901"].plugin == "auditor-tiny-plugin"
    info = [p for p in plugins.plugin_summary(host) if p["entry_point"] == "tiny"]
    assert info == [{"name": "auditor-tiny-plugin", "entry_point": "tiny",
                     "distribution": "auditor-tiny-plugin", "version": "1.2.3"}]
    blocked = plugins.build_host({"disable": ["auditor-tiny-plugin"]})
    assert "T901" not in blocked.rules


def test_templates_from_plugins(tmp_path):
    schema = {"type": "object"}
    (tmp_path / "s.json").write_text('{"type": "object", "title": "from file"}')
    mod = types.ModuleType("tpl")
    mod.__file__ = str(tmp_path / "tpl.py")
    mod.auditor_register_templates = hookimpl(lambda: [
        {"template": "2027", "schema": schema, "from": 2027, "to": None},
        {"template": "2030", "schema": "s.json", "from": 2030},
        {"template": "bad"}])
    host = plugins.build_host(extra=[("tpl", mod)], autoload=False)
    assert [(t["template"], t["from"], t["to"]) for t in host.templates] == [
        ("2027", 2027, None), ("2030", 2030, None)]
    assert host.templates[1]["schema"]["title"] == "from file"
    assert len(host.problems) == 1 and "template" in host.problems[0].en


LOCAL_PLUGIN = """
from auditor.hookspecs import hookimpl
from auditor.rules.api import rule

@rule(code="L901", name="local-rule", title_zh="本地", title_en="local", severity="warning", weight=2)
def local_rule(doc, ctx):
    yield ctx.finding("本地规则", "local rule", section="other")

@hookimpl
def auditor_register_rules():
    return [local_rule]
"""


def _codes_in_worker(config):
    host = plugins.build_host(config["plugins"], autoload=False)
    return sorted(host.rules)


def test_host_is_rebuilt_from_the_config_in_a_spawned_worker(tmp_path):
    (tmp_path / "local_rules.py").write_text(LOCAL_PLUGIN)
    config = {"plugins": {"local": [str(tmp_path / "local_rules.py")]}}
    assert _codes_in_worker(config) == ["L901"]
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        result = pool.submit(_rebuild_codes, config).result(timeout=60)
    assert result == ["L901"]


def _rebuild_codes(config):
    from auditor.rules.host import build_host
    return sorted(build_host(config["plugins"], autoload=False).rules)


def test_local_plugin_that_fails_is_reported(tmp_path):
    (tmp_path / "bad.py").write_text("import nonexistent_module_xyz\n")
    host = plugins.build_host({"local": [str(tmp_path / "bad.py")]}, autoload=False)
    assert host.rules == {}
    assert "nonexistent_module_xyz" in host.problems[0].en
