"""The pipeline and the rule runner: applicability, options, severity overrides, crash isolation,
unreadable files, and the same result in a worker from the settings alone."""
from __future__ import annotations

import types

import pytest

from auditor import pipeline as P
from auditor import settings as C
from auditor.rules import run as engine
from auditor.rules import host as plugins
from auditor.hookspecs import hookimpl
from auditor.rules.api import Option, rule

SEEN = {}


@rule(code="Z101", name="per-column", title_zh="每列", title_en="per column", severity="error",
      weight=10, per_failure=3, options={"columns": Option(["a", "b", "c"], "array")})
def per_column(doc, ctx):
    SEEN["ctx"] = ctx
    for col in ctx.options["columns"]:
        yield ctx.finding(f"列 {col} 错误", f"column {col} wrong", table="requests", column=col)


@rule(code="Z102", name="crashes", title_zh="崩溃", title_en="crashes", severity="info", weight=4)
def crashes(doc, ctx):
    yield ctx.finding("先报一个", "one first")
    raise KeyError("requests")


@rule(code="Z103", name="old-only", title_zh="旧模板", title_en="2019 only", severity="warning",
      weight=5, templates=("2019",))
def old_only(doc, ctx):
    yield ctx.finding("旧", "old")


@rule(code="Z104", name="garbage", title_zh="垃圾", title_en="garbage", severity="warning", weight=2)
def garbage(doc, ctx):
    return ["not a finding"]


@rule(code="Z105", name="until-2022", title_zh="到2022", title_en="until 2022", severity="warning",
      weight=1, max_year=2022)
def until_2022(doc, ctx):
    yield ctx.finding("到2022", "until 2022")


@pytest.fixture
def host():
    mod = types.ModuleType("engine_fakes")
    mod.auditor_register_rules = hookimpl(
        lambda: [per_column, crashes, old_only, garbage, until_2022])
    return plugins.build_host(extra=[("fakes", mod)], autoload=False)


def S(host, user=None, **overrides):
    """Frozen settings as a run with this configuration and these command-line options has."""
    return C.build_settings(C.resolve(user or {}, host, **overrides), host)


def doc(**kw):
    d = {"schema_version": 1, "source": {"path": "x.txt", "format": "text", "sha256": "0" * 64},
         "agency": "某县商务局", "year": 2023, "template": "2021", "title": "t",
         "statistics_period": None, "sections": {}, "tables": {}, "cells": [], "notes": []}
    d.update(kw)
    return d


def test_crashing_rule_becomes_a_finding_and_the_run_goes_on(host):
    entry = P.audit_document(doc(), S(host), host, path="x.txt")
    by_code = {}
    for f in entry["findings"]:
        by_code.setdefault(f["code"], []).append(f)
    assert len(by_code["Z101"]) == 3                        # the rule after it still ran
    [crash] = by_code["Z102"]                               # partial findings dropped
    assert crash["severity"] == "error" and crash["data"]["crashed"] is True
    assert "KeyError" in crash["message"]["en"] and "--ignore Z102" in crash["message"]["en"]
    assert crash["deduction"] == 4                          # the whole weight
    [bad] = by_code["Z104"]
    assert bad["data"]["crashed"] and "not a Finding" in bad["data"]["exception"]
    assert "Traceback" not in str(entry)


def test_deductions_score_and_order(host):
    entry = P.audit_document(doc(), S(host, select=["Z101"]), host, path="x.txt")
    assert [f["deduction"] for f in entry["findings"]] == [3, 3, 3]
    assert entry["score"] == 91 and entry["grade"] == "C"   # a failing report: at most C
    assert entry["failed"] is True                          # error findings fail by default
    assert entry["verdict"] == {"failed": True, "reasons": ["Z101"]}
    assert [f["location"]["column"] for f in entry["findings"]] == ["a", "b", "c"]
    assert entry["findings"][0]["message"] == {"zh": "列 a 错误", "en": "column a wrong"}


def test_config_overrides_reach_the_rule(host):
    settings = S(host, {"rules": {"Z101": {"severity": "warning", "weight": 4, "columns": ["x"]}}},
                 select=["per-column"])
    entry = P.audit_document(doc(), settings, host)
    [f] = entry["findings"]
    assert (f["severity"], f["deduction"], f["location"]["column"]) == ("warning", 3, "x")
    assert entry["failed"] is False
    ctx = SEEN["ctx"]
    assert ctx.options == {"columns": ["x"]} and ctx.year == 2023 and ctx.template == "2021"
    assert ctx.config is settings.config


def test_applicability_by_template_and_year(host):
    settings = S(host, select=["Z103", "Z105"])
    codes = lambda d: [f["code"] for f in P.audit_document(d, settings, host)["findings"]]  # noqa: E731
    assert codes(doc(year=2023)) == []
    assert codes(doc(year=2022)) == ["Z105"]
    assert codes(doc(year=2020, template="2019")) == ["Z103", "Z105"]
    # the template the year requires decides, not the (possibly wrong) detected one
    assert codes(doc(year=2020, template="2021")) == ["Z103", "Z105"]


def test_schema_errors_are_computed_once_and_given_to_rules(host):
    settings = S(host, select=["Z101"])
    broken = doc(tables={"requests": {"granted": {"total": -1}}})
    P.audit_document(broken, settings, host)
    errors = SEEN["ctx"].schema_errors
    assert errors and any(e.get("table") == "requests" for e in errors)
    P.audit_document(doc(), settings, host)
    assert SEEN["ctx"].schema_errors == []


def test_validation_reports_a_wrongly_typed_year(host):
    assert P.schema_errors(doc(), host) == []
    errs = P.schema_errors(doc(year="2023"), host)
    assert [e["path"] for e in errs] == ["year"]


def test_unreadable_file_gets_an_error_entry(tmp_path, host):
    missing = P.audit_source(tmp_path / "nope.pdf", S(host), host)["result"]
    assert missing["failed"] and "找不到文件" in missing["error"]["zh"] and "score" not in missing
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    entry = P.audit_source(empty, S(host), host)["result"]
    assert entry["error"]["en"] == "the file is empty" and entry["error_kind"] == "empty"


def test_parser_bug_becomes_an_error_entry(tmp_path, host, monkeypatch):
    def explode(layout):
        raise ZeroDivisionError("oops")
    monkeypatch.setattr(P, "parse_layout", explode)
    (tmp_path / "x.txt").write_text("一、总体情况", encoding="utf-8")
    outcome = P.audit_source(tmp_path / "x.txt", S(host), host)
    entry = outcome["result"]
    assert "internal error while parsing" in entry["error"]["en"] and "ZeroDivisionError" in entry["error"]["en"]
    assert outcome["error"]["kind"] == "internal" and entry["error_kind"] == "internal"


def test_document_parsed_hook_enriches_and_failures_become_notes(host):
    good = types.ModuleType("enrich")
    good.auditor_document_parsed = hookimpl(lambda document: document.update(agency="改名"))
    bad = types.ModuleType("bad_enrich")

    def fail(document):
        raise RuntimeError("lookup down")
    bad.auditor_document_parsed = hookimpl(fail)
    h = plugins.build_host(extra=[("enrich", good), ("bad", bad)], autoload=False)
    d = doc()
    engine.notify_parsed(d, h)
    assert d["agency"] == "改名"
    assert d["notes"][0]["code"] == "plugin-hook-failed" and "lookup down" in d["notes"][0]["message"]


def _audit_in_worker(path, settings):
    """What a worker of any executor runs: the pipeline, the host rebuilt from the settings."""
    from auditor.rules.host import host_for
    return P.audit_source(path, settings, host_for(settings))["result"]


def test_worker_process_gives_the_same_result_from_the_settings_alone(seeds_dir, tmp_path):
    import concurrent.futures
    import multiprocessing
    (tmp_path / "local_rules.py").write_text(
        "from auditor.hookspecs import hookimpl\n"
        "from auditor.rules.api import rule\n"
        "@rule(code='L901', name='local-rule', title_zh='本地', title_en='Local', severity='info', weight=1)\n"
        "def local_rule(doc, ctx):\n"
        "    yield ctx.finding('本地', 'local')\n"
        "@hookimpl\n"
        "def auditor_register_rules():\n"
        "    return [local_rule]\n", encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text("plugins: {local: [local_rules.py]}\n", encoding="utf-8")
    settings, host = C.load(str(tmp_path / "auditor.yaml"))
    path = str(sorted(seeds_dir.glob("003_*"))[0])
    here = P.audit_source(path, settings, host)["result"]
    assert "L901" in [f["code"] for f in here["findings"]]
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        there = pool.submit(_audit_in_worker, path, settings).result(timeout=120)
    assert there == here
