"""Configuration: extends chains, validation with did-you-mean, selection, digest."""
from __future__ import annotations

import types

import pytest

from auditor import settings as C
from auditor.rules import host as plugins
from auditor.errors import ConfigError
from auditor.hookspecs import hookimpl
from auditor.rules.api import Option, rule


def _rule(code, name, **kw):
    @rule(code=code, name=name, title_zh=name, title_en=name, severity="error", weight=10, **kw)
    def check(doc, ctx):
        return []
    return check


RULES = [
    _rule("A201", "arithmetic-balance", per_failure=2),
    _rule("A202", "results-total"),
    _rule("A206", "placeholder-cell"),
    _rule("S101", "section-missing", options={"min_chars": Option(10, "integer", "minimum length")}),
    _rule("F301", "fee-statement-missing"),
]


@pytest.fixture
def host():
    mod = types.ModuleType("fake_pack")
    mod.auditor_register_rules = hookimpl(lambda: list(RULES))
    return plugins.build_host(extra=[("fake", mod)], autoload=False)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(host):
    cfg = C.resolve({}, host)
    assert cfg["lang"] == "zh"
    assert cfg["scoring"]["grades"] == {"A": 90, "B": 75, "C": 60, "D": 0}
    assert cfg["deadlines"]["department"] == "01-31"
    assert C.template_for_year(cfg, 2020) == "2019"
    assert C.template_for_year(cfg, 2024) == "2021"
    assert C.template_for_year(cfg, 2018) is None


def test_extends_chain_merges_oldest_first(tmp_path, host):
    write(tmp_path / "base.yaml", "rules:\n  A201: {weight: 4}\n  A202: {weight: 3}\n"
                                  "scoring: {fail_under: 50}\n")
    (tmp_path / "team").mkdir()
    write(tmp_path / "team" / "mid.yaml", "extends: ../base.yaml\nrules:\n  A202: {weight: 7}\n"
                                          "lang: en\n")
    child = write(tmp_path / "team" / "auditor.yaml",
                  "extends: mid.yaml\nrules:\n  arithmetic-balance: {severity: warning}\n")
    cfg = C.resolve(C.read_user_config(child), host)
    assert cfg["rules"]["A201"] == {"weight": 4, "severity": "warning"}
    assert cfg["rules"]["A202"] == {"weight": 7}
    assert cfg["scoring"]["fail_under"] == 50
    assert cfg["lang"] == "en"
    s = C.rule_settings(cfg, host.rules["A201"])
    assert (s["weight"], s["severity"], s["per_failure"]) == (4.0, "warning", 2)


def test_extends_default_and_cycles(tmp_path, host):
    ok = write(tmp_path / "ok.yaml", "extends: default\nlang: en\n")
    assert C.resolve(C.read_user_config(ok), host)["lang"] == "en"
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ConfigError, match="circular"):
        C.read_user_config(tmp_path / "a.yaml")
    missing = write(tmp_path / "m.yaml", "extends: nowhere.yaml\n")
    with pytest.raises(ConfigError, match="nowhere.yaml"):
        C.read_user_config(missing)


def test_misspelt_rule_code_names_the_right_code(tmp_path, host):
    f = write(tmp_path / "auditor.yaml", "rules:\n  A2O1: {weight: 3}\n")
    with pytest.raises(ConfigError) as e:
        C.resolve(C.read_user_config(f), host)
    assert "A2O1" in e.value.en and "did you mean A201" in e.value.en
    assert "是不是 A201" in e.value.zh


def test_misspelt_rule_name_and_selector(host):
    with pytest.raises(ConfigError, match="did you mean A206"):
        C.resolve({"rules": {"placeholder-cel": {}}}, host)
    with pytest.raises(ConfigError, match="did you mean F301"):
        C.resolve({"rules": {"ignore": ["fee-statment-missing"]}}, host)
    with pytest.raises(ConfigError, match="X9"):
        C.resolve({}, host, select=["X9"])


def test_misspelt_option_names_the_right_option(host):
    with pytest.raises(ConfigError) as e:
        C.resolve({"rules": {"S101": {"min_char": 3}}}, host)
    assert "min_char" in e.value.en and "did you mean 'min_chars'" in e.value.en
    with pytest.raises(ConfigError, match="has no option 'tolerance'"):
        C.resolve({"rules": {"A202": {"tolerance": 1}}}, host)


def test_option_values_are_validated(host):
    with pytest.raises(ConfigError, match="min_chars"):
        C.resolve({"rules": {"S101": {"min_chars": "ten"}}}, host)
    cfg = C.resolve({"rules": {"S101": {"min_chars": 3}}}, host)
    assert C.rule_settings(cfg, host.rules["S101"])["options"] == {"min_chars": 3}
    assert C.rule_settings(C.resolve({}, host), host.rules["S101"])["options"] == {"min_chars": 10}


def test_bad_yaml_names_file_and_line(tmp_path):
    f = write(tmp_path / "auditor.yaml", "lang: zh\nrules:\n  select: [A201\n  ignore: []\n")
    with pytest.raises(ConfigError) as e:
        C.read_user_config(f)
    assert "auditor.yaml" in e.value.en and ":4:" in e.value.en
    assert "第 4 行" in e.value.zh


def test_structure_errors(tmp_path):
    with pytest.raises(ConfigError, match="did you mean 'scoring'"):
        C.read_user_config(write(tmp_path / "a.yaml", "scorng: {fail_under: 3}\n"))
    with pytest.raises(ConfigError, match="severity"):
        C.read_user_config(write(tmp_path / "b.yaml", "rules:\n  A201: {severity: fatal}\n"))
    with pytest.raises(ConfigError, match="department"):
        C.read_user_config(write(tmp_path / "c.yaml", "deadlines: {department: '1月31日'}\n"))
    with pytest.raises(ConfigError, match="mapping"):
        C.read_user_config(write(tmp_path / "d.yaml", "- a\n- b\n"))
    assert C.read_user_config(write(tmp_path / "e.yaml", "")) == {}


def test_grades_need_a_zero_band(host):
    with pytest.raises(ConfigError, match="lowest grade"):
        C.resolve({"scoring": {"grades": {"D": 30}}}, host)


def test_selection_most_specific_selector_wins(host):
    def selected(**kw):
        cfg = C.resolve(kw.pop("user", {}), host, **kw)
        return [r.code for r in C.selected_rules(cfg, host.rules)]
    assert selected() == ["A201", "A202", "A206", "F301", "S101"]
    assert selected(select=["A"]) == ["A201", "A202", "A206"]
    assert selected(select=["A2,section-missing"]) == ["A201", "A202", "A206", "S101"]
    assert selected(select=["A"], ignore=["A206"]) == ["A201", "A202"]
    assert selected(user={"rules": {"select": ["A201"], "ignore": ["A"]}}) == ["A201"]
    assert selected(user={"rules": {"ignore": ["A"]}}, ignore=["F301"]) == ["S101"]
    assert selected(select=["ALL"], ignore=["A20"]) == ["F301", "S101"]


def test_template_ranges_latest_start_wins(host):
    cfg = C.resolve({"templates": {"2026-": "2019"}}, host)
    assert C.template_for_year(cfg, 2025) == "2021"
    assert C.template_for_year(cfg, 2026) == "2019"
    with pytest.raises(ConfigError, match="2020"):
        C.resolve({"templates": {"2027-": "2020"}}, host)


def test_plugin_templates_and_defaults_are_layered_under_the_user(host):
    mod = types.ModuleType("tpl")
    mod.auditor_register_templates = hookimpl(
        lambda: [{"template": "2027", "schema": {"type": "object"}, "from": 2027}])
    mod.auditor_default_config = hookimpl(lambda: {"deadlines": {"department": "01-20"}})
    h = plugins.build_host(extra=[("tpl", mod)], autoload=False)
    cfg = C.resolve({}, h)
    assert C.template_for_year(cfg, 2028) == "2027"
    assert cfg["deadlines"]["department"] == "01-20"
    cfg = C.resolve({"deadlines": {"department": "01-25"}}, h)
    assert cfg["deadlines"]["department"] == "01-25"


def test_digest_is_stable_and_sensitive(host):
    a = C.digest(C.resolve({"rules": {"A201": {"weight": 3}}}, host))
    b = C.digest(C.resolve({"rules": {"arithmetic-balance": {"weight": 3}}}, host))
    c = C.digest(C.resolve({"rules": {"A201": {"weight": 4}}}, host))
    d = C.digest(C.resolve({"rules": {"A201": {"weight": 3}}}, host, lang="en"))
    assert a == b == d and a != c and a.startswith("sha256:") and len(a) == 71


def test_find_config(tmp_path, monkeypatch):
    assert C.find_config(None, tmp_path) is None
    write(tmp_path / "auditor.yaml", "lang: en\n")
    assert C.find_config(None, tmp_path) == tmp_path / "auditor.yaml"
    with pytest.raises(ConfigError, match="not found"):
        C.find_config(str(tmp_path / "missing.yaml"))


def test_local_plugin_paths_are_relative_to_their_file(tmp_path):
    (tmp_path / "cfg").mkdir()
    f = write(tmp_path / "cfg" / "auditor.yaml", "plugins: {local: [../my_rules.py]}\n")
    user = C.read_user_config(f)
    assert user["plugins"]["local"] == [str((tmp_path / "my_rules.py").resolve())]


def test_waivers_and_grade_cap_are_validated(tmp_path, host):
    with pytest.raises(ConfigError, match="reason"):
        C.read_user_config(write(tmp_path / "w.yaml", "waivers:\n  - {agency: 某局, rule: A201}\n"))
    with pytest.raises(ConfigError, match="did you mean A201"):
        C.resolve({"waivers": [{"agency": "某局", "rule": "A2O1", "reason": "x"}]}, host)
    with pytest.raises(ConfigError, match="not a date"):
        C.resolve({"waivers": [{"agency": "某局", "rule": "A201", "reason": "x", "expires": "2025-02-30"}]},
                  host)
    with pytest.raises(ConfigError, match="failed_grade_cap 'E'"):
        C.resolve({"scoring": {"failed_grade_cap": "E"}}, host)
    config = C.resolve({"waivers": [{"agency": "某局", "rule": "placeholder-cell", "reason": "x"}]}, host)
    assert config["waivers"][0]["rule"] == "A206"          # a name is stored as the code


@pytest.mark.parametrize("text", ["scoring: {fail_on: fatal}\n", "waivers:\n  - {agency: x, rule: A201}\n",
                                  "waivers:\n  - {agency: x, rule: A201, reason: y, expires: '2025/1/1'}\n",
                                  "scoring: {fail_under: 120}\n", "lang: fr\n", "rules: {A201: {weight: heavy}}\n"])
def test_configuration_errors_speak_chinese_in_chinese(tmp_path, text):
    import re
    with pytest.raises(ConfigError) as e:
        C.read_user_config(write(tmp_path / "x.yaml", text))
    zh = e.value.text["zh"].split("无效：", 1)[1]
    assert not re.search(r"\b(is not|required|property|greater|less|match)\b", zh), zh
