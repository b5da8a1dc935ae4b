"""Readers, reporters and executors are plugins on the same hooks as rules; built-ins included."""
from __future__ import annotations

import json
import types

import pytest

from auditor import pipeline as P
from auditor import settings as C
from auditor.cli import main
from auditor.errors import ConfigError
from auditor.hookspecs import hookimpl
from auditor.layout import Layout, Line
from auditor.read import Reader
from auditor.report import RUN, Reporter, pick_reporter
from auditor.rules import host as plugins

REPORT_LINES = ["某县商务局2023年政府信息公开工作年度报告", "一、总体情况", "本年度依法公开政府信息。",
                "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "无。",
                "六、其他需要报告的事项", "无。"]


def _read_rpt(data: bytes, path: str) -> Layout:
    """A toy format: the report's lines, one per line, after a 'RPT1' magic line."""
    text = data.decode("utf-8").split("\n", 1)[1]
    return Layout(lines=[Line(t, number=i) for i, t in enumerate(text.splitlines(), 1)], format="rpt")


def _plugin(**hooks) -> types.ModuleType:
    mod = types.ModuleType("toy_plugin")
    for name, value in hooks.items():
        setattr(mod, name, hookimpl(lambda value=value: value))
    return mod


def test_a_plugin_reader_is_picked_by_sniff_and_suffix(tmp_path):
    reader = Reader("rpt", (".rpt",), _read_rpt, sniff=lambda head: head.startswith(b"RPT1\n"))
    host = plugins.build_host(extra=[("toy", _plugin(auditor_register_readers=[reader]))])
    settings = C.build_settings(C.resolve({}, host), host)
    assert [r.plugin for r in host.readers if r.format == "rpt"] == ["toy"]
    body = ("RPT1\n" + "\n".join(REPORT_LINES)).encode("utf-8")
    for name in ("r.rpt", "renamed.txt"):              # the sniff wins over the suffix
        (tmp_path / name).write_bytes(body)
        doc = P.document_of(tmp_path / name, settings, host)
        assert doc["source"]["format"] == "rpt" and doc["agency"] == "某县商务局" and doc["year"] == 2023
        assert [e for e in P.schema_errors(doc, host) if "format" in str(e.get("path"))] == []


def test_a_broken_extension_is_reported_with_its_plugin_and_skipped():
    bad = _plugin(auditor_register_readers=[object()], auditor_register_reporters=["not a reporter"])
    host = plugins.build_host(extra=[("broken-pack", bad)])
    assert {p.plugin for p in host.problems} == {"broken-pack"}
    assert any("auditor_register_readers" in p.en for p in host.problems)
    assert all(r.plugin != "broken-pack" for r in host.readers + host.reporters)
    assert "A201" in host.rules                        # the rest of the host is intact
    with pytest.raises(ConfigError, match="broken-pack"):
        plugins.build_host(extra=[("broken-pack", bad)], strict=True)


def test_a_plugin_reporter_is_a_format_of_the_command_line(tmp_path, capsys, monkeypatch, seeds_dir):
    seen = {}

    def render(run, lang):
        seen["lang"] = lang
        return f"{len(run['reports'])} {lang}\n"
    reporter = Reporter("count", RUN, render)
    host = plugins.build_host(extra=[("counter", _plugin(auditor_register_reporters=[reporter]))])
    assert pick_reporter(host, RUN, "count").plugin == "counter"
    with pytest.raises(ConfigError, match="count"):    # an unknown format lists every known one
        pick_reporter(host, RUN, "xml")
    monkeypatch.setattr(C, "build_host", lambda *a, **k: host)      # what `auditor` loads
    seed = str(sorted(seeds_dir.glob("001_*"))[0])
    assert main(["audit", seed, "--format", "count", "--lang", "en"]) in (0, 1)
    assert capsys.readouterr().out == "1 en\n" and seen["lang"] == "en"


def test_an_unknown_format_is_a_usage_error_naming_the_known_ones(capsys, seeds_dir):
    seed = str(sorted(seeds_dir.glob("001_*"))[0])
    assert main(["audit", seed, "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert "未知的输出格式“xml”" in err and "table, json, csv, markdown" in err


def test_lang_before_or_after_the_subcommand(capsys, seeds_dir):
    seed = str(sorted(seeds_dir.glob("001_*"))[0])
    outputs = []
    for argv in (["--lang", "en", "audit", seed], ["audit", seed, "--lang", "en"]):
        main(argv)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "report(s):" in outputs[0] and "共" not in outputs[0]
    main(["--lang", "en", "rules"])
    listing = capsys.readouterr().out
    assert "error" in listing and "错误" not in listing
    main(["rules"])
    assert "错误" in capsys.readouterr().out               # severities in Chinese by default
    with pytest.raises(SystemExit) as e:
        main(["--lang", "en", "--help"])
    assert e.value.code == 0


def test_parse_shows_what_the_rules_see(tmp_path, capsys, seeds_dir):
    seed = sorted(seeds_dir.glob("001_*"))[0]
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,agency,year\n{seed},清单里的机关,2024\n", encoding="utf-8")
    assert main(["parse", str(seed), "--manifest", str(manifest)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["agency"], doc["year"]) == ("清单里的机关", 2024)


def test_the_same_file_gives_the_same_result_in_either_language_from_a_warm_store(tmp_path, loaded):
    from auditor.results import localize
    from auditor.sweep.run import sweep
    settings, host = loaded
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "r.txt").write_text("\n".join(REPORT_LINES), encoding="utf-8")
    db = str(tmp_path / "s.db")
    cold = sweep([folder], settings, host, db=db, progress=False)
    warm = sweep([folder], settings.with_lang("en"), host, db=db, progress=False)
    assert warm["stats"]["reused"] == 1 and warm["results"] == cold["results"]
    en = localize({"reports": warm["results"]}, "en")["reports"][0]
    zh = localize({"reports": cold["results"]}, "zh")["reports"][0]
    assert en["findings"] and all(isinstance(f["message"], str) for f in en["findings"])
    assert [f["code"] for f in en["findings"]] == [f["code"] for f in zh["findings"]]
    assert en["findings"][0]["message"] != zh["findings"][0]["message"]


def test_a_crashing_plugin_reader_or_reporter_is_named(tmp_path, capsys, monkeypatch, seeds_dir):
    def explode(data, path):
        raise ValueError("bad table")
    reader = Reader("boom", (".boom",), explode)
    reporter = Reporter("boom", RUN, lambda run, lang: 1 / 0)
    host = plugins.build_host(extra=[("boom-pack", _plugin(auditor_register_readers=[reader],
                                                           auditor_register_reporters=[reporter]))])
    settings = C.build_settings(C.resolve({}, host), host)
    (tmp_path / "r.boom").write_bytes(b"x")
    result = P.audit_source(tmp_path / "r.boom", settings, host)["result"]
    assert result["error_kind"] == "internal"
    assert "boom-pack" in result["error"]["en"] and "ValueError: bad table" in result["error"]["en"]
    monkeypatch.setattr(C, "build_host", lambda *a, **k: host)
    seed = str(sorted(seeds_dir.glob("001_*"))[0])
    assert main(["audit", seed, "--format", "boom"]) == 2
    err = capsys.readouterr().err
    assert "插件“boom-pack”" in err and "ZeroDivisionError" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["rules"], ["init"], ["scorecard", "--db", "x.db"],
                                     ["fetch", "urls.csv", "-o", "out"], ["parse", "r.txt"]])
def test_lang_before_the_subcommand_is_kept_by_every_subcommand(command):
    from auditor.cli import build_parser
    assert build_parser().parse_args(["--lang", "en", *command]).lang == "en"
    assert build_parser().parse_args([*command, "--lang", "en"]).lang == "en"
