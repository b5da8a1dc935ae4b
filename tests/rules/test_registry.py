"""Meta-tests over the built-in rule pack: identity, documentation and test coverage of every rule."""
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import auditor_rules
from auditor.rules.api import CODE_RE, NAME_RE, SEVERITIES, Rule
from auditor.testing import load_cases

CASES = Path(__file__).parent / "cases"
RULES = auditor_rules.all_rules()
REQUIRED = ("S101 S102 S103 S104 S105 S106 S107 A201 A202 A203 A204 A205 A206 "
            "F301 F302 D401 D402 D403 N501 N502 N503").split()
SWEEP_ONLY = ("X601", "X602", "D404", "V701")
# Checks beyond rules.md that the regulation implies (documented in each rule).
EXTRA = ("N504", "S108")


def test_hook_returns_every_rule_of_the_catalogue():
    codes = [r.code for r in auditor_rules.auditor_register_rules()]
    assert sorted(codes) == sorted(REQUIRED + list(SWEEP_ONLY) + list(EXTRA))


def test_codes_and_names_are_unique():
    assert [c for c, n in Counter(r.code for r in RULES).items() if n > 1] == []
    assert [c for c, n in Counter(r.name for r in RULES).items() if n > 1] == []


def test_family_modules_hold_their_own_codes():
    prefixes = {"structure": "S1", "arithmetic": "A2", "fees": "F3", "dates": "D4", "narrative": "N5"}
    for module in auditor_rules.FAMILIES:
        prefix = prefixes[module.__name__.rsplit(".", 1)[1]]
        assert all(r.code.startswith(prefix) for r in module.RULES), module.__name__


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_identity(rule: Rule):
    assert CODE_RE.match(rule.code) and NAME_RE.match(rule.name)
    assert rule.severity in SEVERITIES
    assert rule.weight > 0
    assert rule.per_failure is None or 0 < rule.per_failure <= rule.weight
    assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.title_zh), "title_zh must be Chinese"
    assert rule.title_en[:1].isupper() and not any("\u4e00" <= ch <= "\u9fff" for ch in rule.title_en)
    assert all(t in ("2019", "2021") for t in rule.templates)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_documentation(rule: Rule):
    doc = rule.doc
    for part in ("**What it checks.**", "**Why.**", "**Passes:**", "**Fails:**"):
        assert part in doc, f"{rule.code} documentation lacks {part}"
    assert any(src in doc for src in ("条例", "30号", "60号", "109号")), \
        f"{rule.code} documentation cites no regulation or template notice"
    for name in rule.options:
        assert name in doc, f"{rule.code} documentation does not explain option {name}"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_options_are_valid_json_schema(rule: Rule):
    for name, option in rule.options.items():
        Draft202012Validator.check_schema(option.json_schema())
        assert not list(Draft202012Validator(option.json_schema()).iter_errors(option.default)), name
        assert option.help, f"{rule.code} option {name} has no help text"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_has_passing_and_failing_cases(rule: Rule):
    path = CASES / f"{rule.code}.yaml"
    assert path.is_file(), f"no case file {path.name}"
    cases = load_cases(path)
    assert all(c.rule == rule.code for c in cases)
    assert any(c.expects_pass for c in cases), f"{rule.code}: no passing case"
    assert any(not c.expects_pass for c in cases), f"{rule.code}: no failing case"


def test_fee_rules_are_2021_onward():
    by_code = {r.code: r for r in RULES}
    assert by_code["F301"].applies_to("2021", 2021)
    assert not by_code["F301"].applies_to("2019", 2020)
    assert by_code["F301"].applies_to("2019", 2022)   # wrong template, still a 2022 report


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_never_raises_on_a_strange_document(rule: Rule):
    from auditor.testing import make_context
    strange = [{}, {"sections": None, "tables": None}, {"sections": {"other": None}, "tables": {"requests": []}},
               {"year": "2023", "tables": {"requests": {"granted": {"total": "x"}}, "review_litigation": {"review": 3}},
                "sections": {"problems": {"text": None}}, "notes": [None, {"code": "extra-values"}],
                "statistics_period": {"start": "garbage"}, "template_fingerprints": {"2019": None}}]
    for doc in strange:
        list(rule.check(doc, make_context(rule, doc)) or ())


@pytest.mark.parametrize("template,year", [("2021", 2023), ("2021", 2021), ("2019", 2019), ("2019", 2020)])
def test_make_document_passes_every_rule(template, year):
    from auditor.testing import make_document, run_rule
    doc = make_document(template, year)
    assert [(f.code, f.message_zh) for r in RULES for f in run_rule(r, doc)] == []
