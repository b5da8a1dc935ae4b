"""The command line: ``auditor parse|audit|rules|init|scorecard``.

Nothing imports this module.  Heavy modules (pdfminer, jsonschema, the
engine) are imported inside the command functions so ``auditor --help``
answers at once.  Every user error becomes a one-line message and exit
status 2 — never a traceback.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from auditor import __version__
from auditor.errors import AuditorError, ConfigError, InputError, PluginCrash
from auditor.fetch import add_parser as add_fetch
from auditor.i18n import LANGS, pick, word
from auditor.report import RUN, SCORECARD, pick_reporter, write_output
from auditor.report.words import inventory_line, severity_text, summary_line

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
RUN_FORMATS = "table, json, csv, markdown, html"               # the built-in ones, for --help
SCORECARD_FORMATS = "table, csv, markdown, json, html, xlsx"


def _lang(args) -> str:
    return getattr(args, "lang", None) or "zh"


def _write(text: str, output: str | None) -> None:
    write_output(text, output)


# -- parse -------------------------------------------------------------------

def cmd_parse(args) -> int:
    from auditor.pipeline import document_of
    from auditor.sweep.manifest import path_key, read_manifest
    settings, host = _load_config(args)
    metadata = read_manifest(args.manifest).get(path_key(args.file), {}) if args.manifest else {}
    doc = document_of(args.file, settings, host, metadata=metadata)
    _write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", args.output)
    return EXIT_OK


def add_parse(sub) -> None:
    p = sub.add_parser("parse", help="解析一份报告，输出规则看到的报告文档 JSON / print the report document the rules see",
                       description="解析一份报告（PDF、HTML、Word、文本或 Markdown），以 JSON 输出规则看到的报告文档"
                                   "（含清单覆盖和插件补充）。Parse one report and print, as JSON, the report "
                                   "document the rules see (manifest overrides and plugin enrichment included).",
                       epilog="示例 / example:\n  auditor parse report.pdf -o report.json\n\n" + EXIT_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="报告文件 / the report file")
    p.add_argument("-o", "--output", help="写入文件而不是标准输出 / write to this file instead of standard output")
    p.add_argument("--config", metavar="FILE", help="配置文件 / configuration file")
    p.add_argument("--manifest", metavar="FILE", help="清单 CSV：其元数据覆盖解析结果 / sweep manifest whose row overrides the parser's metadata")
    p.add_argument("--pdf-engine", metavar="NAME", help="PDF 读取引擎 / PDF reading engine")
    _lang_option(p)
    p.set_defaults(func=cmd_parse)


# -- audit, rules, init (configuration and plugins shared) ------------------------

def _load_config(args, **overrides):
    """(settings, host) from ``--config``/``auditor.yaml``/defaults and the command line;
    plugin problems as warnings."""
    from auditor import settings as C
    from auditor.rules.host import report_problems
    engine = getattr(args, "pdf_engine", None)
    settings, host = C.load(getattr(args, "config", None),
                            strict=bool(getattr(args, "strict_plugins", False)),
                            lang=getattr(args, "lang", None),
                            engines={"pdf": engine} if engine else None, **overrides)
    report_problems(host, settings.lang)
    return settings, host


def _pdf_engine(host, settings) -> str:
    """The PDF engine this run reads with, and its version (part of the JSON output)."""
    from auditor.read import pick_reader
    reader = pick_reader(b"%PDF-", ".pdf", host.readers, settings.engines)
    return f"{reader.engine} ({reader.version})" if reader.version else reader.engine


def render_with(reporter, data: dict, lang: str):
    """A reporter's output; a plugin reporter that raises is named (the built-in ones are the
    tool's own defects, reported as internal errors)."""
    try:
        return reporter.render(data, lang)
    except AuditorError:
        raise
    except Exception as e:  # noqa: BLE001
        if not reporter.plugin or reporter.plugin.startswith("builtin"):
            raise
        raise PluginCrash(f"reporter {reporter.name}", reporter.plugin, e) from e


def _lang_option(p, nested: bool = True) -> None:
    """``--lang``, before or after the subcommand (an unset one never overwrites the other)."""
    p.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS if nested else None,
                   help="信息语言 / language of messages (default zh)")


def _common_options(p, formats, nested: bool = False) -> None:
    """--config --format --output --lang --strict-plugins.  ``nested``: a sub-subcommand, whose
    unset options must not overwrite what was given before its name."""
    more = {"default": argparse.SUPPRESS} if nested else {}
    p.add_argument("--config", metavar="FILE", **more,
                   help="配置文件（默认：当前目录的 auditor.yaml，没有则用内置默认值）/ "
                        "configuration file (default: ./auditor.yaml if present, else built-in defaults)")
    p.add_argument("--format", metavar="NAME", **(more or {"default": "table"}),
                   help=f"输出格式：{formats}，以及插件提供的格式 / output format: {formats}, and any a "
                        "plugin adds (default table)")
    p.add_argument("-o", "--output", metavar="FILE", **more,
                   help="写入文件而不是标准输出 / write to FILE")
    _lang_option(p)
    p.add_argument("--strict-plugins", action="store_true", **more,
                   help="插件无法加载时报错（退出状态 2）/ a plugin that fails to load is an error")


def cmd_audit(args) -> int:
    from auditor.results import run_result
    from auditor.rules.host import plugin_summary
    from auditor.score import exit_status
    from auditor.sweep.local import stop_helpers
    from auditor.sweep.run import resolve_jobs, sweep
    settings, host = _load_config(args, select=args.select, ignore=args.ignore,
                                  fail_under=args.fail_under, fail_on=args.fail_on)
    reporter = pick_reporter(host, RUN, args.format)
    if args.timeout is not None and args.timeout <= 0:
        raise ConfigError("--timeout 必须大于 0 秒", "--timeout must be more than 0 seconds")
    if args.executor == "local" and (args.scheduler or args.ship_files):
        raise ConfigError("--scheduler 和 --ship-files 需与 --executor dask 一起使用",
                          "--scheduler and --ship-files go with --executor dask")
    # Always the sweep (in-process with -j 1): it gives cross-year rules the other years of
    # the same run, accounts for every file, and draws a progress bar on a terminal.
    try:
        out = sweep(args.paths, settings, host, jobs=resolve_jobs(args.jobs), db=args.db,
                    manifest=args.manifest, timeout=args.timeout, executor=args.executor,
                    exclude=args.exclude or (), own=[args.output] if args.output else (),
                    documents=reporter.name == "html",
                    options={"scheduler": args.scheduler, "ship_files": args.ship_files})
    finally:
        stop_helpers()
    tool = {"name": "disclosure-auditor", "version": __version__, "plugins": plugin_summary(host),
            "pdf_engine": _pdf_engine(host, settings)}
    results = out["results"]
    if args.baseline:
        from auditor.results import mark_new, read_baseline
        results = mark_new(results, read_baseline(args.baseline))
    run = run_result(results, tool=tool, config_digest=settings.digest,
                     inventory=out["inventory"])
    if "documents" in out:
        run["documents"] = out["documents"]
    _write(render_with(reporter, run, settings.lang), args.output)
    if args.output:
        print(f"auditor: {summary_line(run['summary'], settings.lang)}；"
              f"{inventory_line(run['inventory'], settings.lang)} → {args.output}"
              if settings.lang != "en" else
              f"auditor: {summary_line(run['summary'], 'en')}; "
              f"{inventory_line(run['inventory'], 'en')} → {args.output}", file=sys.stderr)
    if out["interrupted"]:
        done, total = len(out["results"]), out["stats"]["files"]
        print(f"auditor: interrupted after {done} of {total} file(s); finished results are kept"
              + (f" in {args.db}" if args.db else "") if settings.lang == "en" else
              f"auditor: 已中断：完成 {done}/{total} 个文件" + (f"，结果已保存在 {args.db}" if args.db else ""),
              file=sys.stderr)
        return 130
    return exit_status(run["summary"])


EXIT_HELP = """\
退出状态 / exit status:
  0  成功 / success
  2  用法或配置错误 / usage or configuration error"""

AUDIT_EPILOG = """\
示例 / examples:
  auditor audit report.pdf
  auditor audit reports/ -j 2 --db sweep.db --manifest manifest.csv --format json -o audit.json
  auditor audit reports/ --exclude 'drafts/*' --lang en
  auditor audit report.pdf --format html -o report.html      # 一页一份报告 / a page per report
  auditor audit reports/ --baseline last-year.json           # 标出新增问题 / mark new findings

退出状态 / exit status:
  0  每份报告都已审核且都通过 / every report audited and none failed
  1  有报告未通过，或有文件无法审核 / some report failed, or a file could not be audited
  2  用法或配置错误 / usage or configuration error (bad YAML, unknown rule code…)

一份报告“未通过”：得分低于 --fail-under（或配置 scoring.fail_under），或有级别达到
--fail-on（或 scoring.fail_on，默认 error）的问题。
A report FAILS when its score is below --fail-under (scoring.fail_under), or when it has a
finding at --fail-on severity or worse (scoring.fail_on, default: error; "never" disables).
"""


def add_audit(sub) -> None:
    p = sub.add_parser(
        "audit", help="审核报告并评分 / audit and score reports",
        description="审核并评分报告：文件或文件夹（递归查找 .pdf .txt .md .html .htm）。"
                    "Audit and score report files and folders (recursively: .pdf .txt .md .html .htm).",
        epilog=AUDIT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或文件夹 / report files or folders")
    _common_options(p, RUN_FORMATS)
    p.add_argument("--select", action="append", metavar="CODES",
                   help="只运行这些规则（代码、名称或前缀，逗号分隔，可重复；替换配置中的 select）/ "
                        "run only these rules: codes, names or prefixes, comma-separated, repeatable "
                        "(replaces rules.select)")
    p.add_argument("--ignore", action="append", metavar="CODES",
                   help="不运行这些规则（追加到配置中的 ignore）/ skip these rules (added to rules.ignore)")
    p.add_argument("--fail-under", type=float, metavar="SCORE",
                   help="得分低于此值的报告为未通过 / a report scoring below SCORE fails")
    p.add_argument("--fail-on", choices=("error", "warning", "info", "never"),
                   help="有此级别或更严重问题的报告为未通过（默认 error）/ "
                        "a report with a finding at this severity or worse fails (default error)")
    p.add_argument("-j", "--jobs", metavar="N",
                   help="并行进程数（数字或 auto）/ worker processes: a number or auto (default 1)")
    p.add_argument("--db", metavar="FILE",
                   help="SQLite 结果库：未改动的文件直接复用结果 / SQLite results store; unchanged files are "
                        "not audited again")
    p.add_argument("--manifest", metavar="FILE",
                   help="清单 CSV（path,agency,year,publish_date,level,url），覆盖解析出的元数据 / "
                        "sweep manifest CSV whose metadata overrides the parser's")
    p.add_argument("--timeout", type=float, metavar="SECS",
                   help="每个文件的处理时限（秒，默认 300）/ time limit per file in seconds (default 300)")
    p.add_argument("--executor", default="local", metavar="NAME",
                   help="执行器：local（本机进程，默认）、dask 或插件提供的 / where the work runs: local "
                        "(processes on this machine, default), dask, or one a plugin adds")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="--executor dask 的调度器（如 tcp://10.0.0.5:8786；默认在本机启动）/ the Dask "
                        "scheduler for --executor dask (e.g. tcp://10.0.0.5:8786; default: a local cluster)")
    p.add_argument("--ship-files", action="store_true",
                   help="把文件内容发给工作进程（工作机看不到这些文件时）/ send the files' bytes to the "
                        "workers (when they do not share this file system)")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="跳过匹配的文件（相对所扫描文件夹的路径或文件名，可重复）/ skip files matching GLOB "
                        "(path relative to the swept folder, or file name; repeatable)")
    p.add_argument("--pdf-engine", metavar="NAME", help="PDF 读取引擎 / PDF reading engine")
    p.add_argument("--baseline", metavar="FILE",
                   help="上次运行的 --format json 输出：标出此后新增的问题 / the --format json output of an "
                        "earlier run: findings not in it are marked new")
    p.set_defaults(func=cmd_audit)


def _rule_rows(settings, host, lang):
    rows = []
    for code, r in host.rules.items():
        s = settings.rules[code]
        rows.append({"code": code, "name": r.name, "severity": s["severity"], "weight": s["weight"],
                     "per_failure": s["per_failure"], "plugin": r.plugin,
                     "title": pick(r.title, lang), "title_zh": r.title_zh, "title_en": r.title_en,
                     "templates": list(r.templates), "min_year": r.min_year, "max_year": r.max_year,
                     "options": s["options"], "selected": code in settings.selected})
    return rows


def cmd_rules(args) -> int:
    if getattr(args, "rules_command", None) == "explain":
        return cmd_rules_explain(args)
    from auditor.report.grid import grid     # tabulate's "simple" layout, without its imports
    settings, host = _load_config(args)
    lang = settings.lang
    rows = _rule_rows(settings, host, lang)
    if args.format == "json":
        _write(json.dumps({"rules": rows}, ensure_ascii=False, indent=2) + "\n", args.output)
        return EXIT_OK
    if args.format != "table":
        raise ConfigError(f"auditor rules 的输出格式只有 table 和 json，没有“{args.format}”",
                          f"auditor rules prints table or json, not {args.format!r}")
    headers = [word(k, lang) for k in ("code", "name", "severity", "weight", "plugin", "rule.title")]
    table = [[r["code"] + ("" if r["selected"] else " *"), r["name"], severity_text(r["severity"], lang),
              f"{r['weight']:g}", r["plugin"], r["title"]] for r in rows]
    text = grid(table, headers)
    text += ("\n\n" + (f"{len(rows)} rules; * = not selected by the configuration" if lang == "en"
                       else f"共 {len(rows)} 条规则；* 表示按配置不运行")) + "\n"
    _write(text, args.output)
    return EXIT_OK


def rule_doc(rule, lang: str) -> str:
    """A rule's documentation in ``lang``: in Chinese the file ``docs/zh/CODE.md`` of the rule's
    package when it ships one (the built-in pack does for every rule; any plugin may), else
    the rule's docstring; without Markdown emphasis marks."""
    if lang == "zh":
        from importlib.resources import files
        package = (getattr(rule.check, "__module__", "") or "").split(".")[0]
        try:
            return files(package).joinpath("docs", "zh", f"{rule.code}.md").read_text(encoding="utf-8")
        except (ImportError, OSError, TypeError, ValueError):
            pass
    return (rule.doc or "").replace("**", "")


def explain_text(rule, settings, lang) -> str:
    en = lang == "en"
    weight = f"{settings['weight']:g}"
    if settings["per_failure"] is not None:
        weight += (f" ({settings['per_failure']:g} per failure, at most {weight})" if en
                   else f"（每处扣 {settings['per_failure']:g} 分，最多 {weight} 分）")
    scope = []
    if rule.templates:
        scope.append(("templates " if en else "模板 ") + ", ".join(rule.templates))
    if rule.min_year or rule.max_year:
        scope.append(("years " if en else "年度 ") + f"{rule.min_year or ''}–{rule.max_year or ''}")
    lines = [f"{rule.code} {rule.name} — {pick(rule.title, lang)}", "",
             ("plugin:   " if en else "插件：") + rule.plugin,
             ("severity: " if en else "级别：") + severity_text(settings["severity"], lang),
             ("weight:   " if en else "权重：") + weight,
             ("applies:  " if en else "适用：") + ("; ".join(scope) or ("all reports" if en else "所有报告"))]
    if rule.options:
        lines.append("options:" if en else "选项：")
        for name, opt in rule.options.items():
            current = settings["options"].get(name)
            lines.append(f"  {name} = {json.dumps(current, ensure_ascii=False)}"
                         f"  ({'default' if en else '默认'} {json.dumps(opt.default, ensure_ascii=False)})"
                         + (f"  {opt.help}" if opt.help else ""))
    lines += ["", rule_doc(rule, lang).rstrip() or ("(no documentation)" if en else "（无说明）")]
    return "\n".join(lines) + "\n"


def cmd_rules_explain(args) -> int:
    from auditor.rules.host import closest_rule, find_rule
    settings_, host = _load_config(args)
    rule = find_rule(host.rules, args.code)
    if rule is None:
        close = closest_rule(host.rules, args.code)
        raise ConfigError(f"没有规则“{args.code}”" + (f"，是不是 {close}？" if close else ""),
                          f"no rule {args.code!r}" + (f"; did you mean {close}?" if close else ""))
    lang = settings_.lang
    settings = settings_.rules[rule.code]
    if args.format == "json":
        data = {"code": rule.code, "name": rule.name, "title_zh": rule.title_zh,
                "title_en": rule.title_en, "plugin": rule.plugin, "severity": settings["severity"],
                "weight": settings["weight"], "per_failure": settings["per_failure"],
                "templates": list(rule.templates), "min_year": rule.min_year,
                "max_year": rule.max_year, "doc": rule.doc, "doc_zh": rule_doc(rule, "zh"),
                "options": {n: {"default": o.default, "value": settings["options"].get(n),
                                "help": o.help, "schema": o.json_schema()}
                            for n, o in rule.options.items()}}
        _write(json.dumps(data, ensure_ascii=False, indent=2) + "\n", args.output)
    else:
        _write(explain_text(rule, settings, lang), args.output)
    return EXIT_OK


def add_rules(sub) -> None:
    p = sub.add_parser("rules", help="列出已加载的规则 / list every loaded rule",
                       description="列出所有已加载的规则（内置规则和已安装插件的规则）。"
                                   "List every loaded rule, built-in and from installed plugins.",
                       epilog="示例 / examples:\n  auditor rules\n  auditor rules explain A201\n"
                              "  auditor rules --format json --lang en\n\n" + EXIT_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _common_options(p, "table, json")
    rsub = p.add_subparsers(dest="rules_command", metavar="explain")
    e = rsub.add_parser("explain", help="显示一条规则的完整说明 / print a rule's documentation",
                        description="显示一条规则的完整说明（接受代码或名称）。"
                                    "Print a rule's documentation (code or name).")
    e.add_argument("code", metavar="CODE", help="规则代码或名称 / rule code or name")
    _common_options(e, "table, json", nested=True)
    e.set_defaults(func=cmd_rules)
    p.set_defaults(func=cmd_rules)


STARTER = """\
# auditor.yaml — disclosure-auditor 配置 / configuration
# 运行 `auditor rules` 查看所有规则；`auditor rules explain CODE` 查看一条规则的说明。

# 以内置默认值为基础（也可以写另一个配置文件的相对路径）。
# Start from the built-in defaults (or a path to another file, relative to this one).
extends: default

# 信息语言：zh 或 en / language of messages
lang: zh

rules:
  # 只运行这些规则：代码（A201）、名称（arithmetic-balance）或前缀（A、A2）；空表示全部。
  # Codes, names or family prefixes to run; empty = every rule.
  select: []
  # 不运行的规则 / rules to skip
  ignore: []
  # 单条规则的级别、权重（最多扣分）、每处扣分和选项 / per-rule severity, weight, options:
  # A206:
  #   severity: info
  #   weight: 2
  #   per_failure: 0.5

scoring:
  # 等级：得分达到最低分即得该等级 / grade bands (minimum score of each)
  grades: {A: 90, B: 75, C: 60, D: 0}
  # 得分低于此值的报告为未通过（null：不设）/ a report below this score fails
  fail_under: null
  # 有此级别或更严重问题的报告为未通过：error | warning | info | never
  fail_on: error
  # 未通过的报告最高只能得此等级（null：不限）/ a failing report's best possible grade
  failed_grade_cap: C

# 豁免：某机关（可限年度）的某条规则的问题照常显示、标为“已豁免”，但不扣分、不导致未通过。
# Waivers: a waived finding is shown and marked, but costs nothing and never fails a report.
waivers: []
#  - {agency: 临江县商务局, year: 2023, rule: D404, reason: 网站迁移延误, expires: "2025-06-30"}

# 评分表：同一报告有多个文件时，按后缀顺序选主文件 / which copy of a report is the primary file
scorecard:
  prefer: [".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md"]

# 公开期限（报告年度的次年，月-日）/ publication deadlines (month-day of the next year)
deadlines:
  department: "01-31"
  government: "03-31"
  # jurisdictions:
  #   某省: {department: "01-20", government: "03-15"}

# 报告年度对应的模板 / which template applies to which report years
templates:
  "2019-2020": "2019"
  "2021-": "2021"

# plugins:
#   local: [my_rules.py]      # 本地插件文件 / local plugin files
#   disable: []               # 不加载的插件 / plugins not to load
#   strict: false             # 插件无法加载时报错 / fail when a plugin cannot be loaded
"""


def cmd_init(args) -> int:
    path = Path(args.path)
    lang = _lang(args)
    if path.exists() and not args.force:
        raise ConfigError(f"{path} 已存在；用 --force 覆盖", f"{path} already exists; use --force to overwrite")
    write_output(STARTER, str(path))
    print(f"已写入 {path}" if lang != "en" else f"wrote {path}")
    return EXIT_OK


def add_init(sub) -> None:
    p = sub.add_parser("init", help="写出带注释的 auditor.yaml / write a commented starter auditor.yaml",
                       description="在当前目录写出带注释的 auditor.yaml。"
                                   "Write a commented starter auditor.yaml.",
                       epilog="示例 / examples:\n  auditor init\n  auditor init team.yaml --force\n\n" + EXIT_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", nargs="?", default="auditor.yaml", help="文件路径 / file to write (default auditor.yaml)")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file")
    _lang_option(p)
    p.set_defaults(func=cmd_init)


# -- scorecard -------------------------------------------------------------------

def cmd_scorecard(args) -> int:
    from auditor.sweep import scorecard as S
    if bool(args.db) == bool(args.from_json):
        raise ConfigError("请用 --db FILE 或 --from-json FILE… 指定数据来源（二选一）",
                          "give either --db FILE or --from-json FILE… (one of them)")
    settings, host = _load_config(args)
    lang = settings.lang
    reporter = pick_reporter(host, SCORECARD, args.format)
    records = S.records_from_store(args.db) if args.db else S.records_from_json(args.from_json)
    expected = S.expected_from_store(args.db) if args.db else S.expected_from_json(args.from_json)
    for path in args.manifest or ():
        expected += S.expected_from_manifest(path)
    for path in args.agencies or ():
        expected += S.expected_from_agencies(path)
    prefer = tuple((settings.config.get("scorecard") or {}).get("prefer") or S.DEFAULT_PREFER)
    card = S.build(records, year=args.year, region=args.region, level=args.level, expected=expected,
                   titles=S.rule_titles(host), prefer=prefer)
    if args.pages:
        _write_pages(card, S.documents_from_store(args.db, card["rows"]) if args.db else {}, args, lang)
    _write(render_with(reporter, card, lang), args.output)
    if args.output:
        from auditor.report.card import summary_text
        print(f"auditor: {summary_text(card, lang)} → {args.output}", file=sys.stderr)
    return EXIT_OK


def _write_pages(card: dict, documents: dict, args, lang: str) -> None:
    """A page per audited report in ``--pages DIR``; each row links to its page (``row["page"]``,
    relative to the scorecard file)."""
    from auditor.report.page import scorecard_pages
    folder = os.path.abspath(args.pages)
    os.makedirs(folder, exist_ok=True)
    base = os.path.dirname(os.path.abspath(args.output)) if args.output else os.getcwd()
    for row, name, page in scorecard_pages(card, documents, lang):
        target = os.path.join(folder, name)
        write_output(page, target)
        row["page"] = os.path.relpath(target, base).replace(os.sep, "/")


SCORECARD_EPILOG = """\
示例 / examples:
  auditor scorecard --db sweep.db
  auditor scorecard --db sweep.db --manifest manifest.csv --format html -o scorecard.html --pages pages
  auditor scorecard --db sweep.db --agencies agencies.txt --year 2023 --format xlsx -o 2023.xlsx
  auditor scorecard --from-json audit.json --format csv --lang en

""" + EXIT_HELP


def add_scorecard(sub) -> None:
    from auditor.agencies import LEVELS
    p = sub.add_parser("scorecard", help="按机关和年度输出评分表 / per-agency scorecards (agencies × years)",
                       description="按机关×年度输出评分表：结论（通过/未通过/无法审核/未发布）、得分、等级、"
                                   "各级别问题数、未通过的规则、较上年变化；同一报告的多个文件合为一行。"
                                   "Per-agency scorecards (agencies × years): verdict, score, grade, counts "
                                   "by severity, failing rules, change against last year; the files of one "
                                   "report become one row. See docs/scoring.md.",
                       epilog=SCORECARD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", metavar="FILE", help="结果库（auditor audit --db 生成）/ results store from audit --db")
    p.add_argument("--from-json", nargs="+", metavar="FILE",
                   help="auditor audit --format json 的输出文件 / output files of audit --format json")
    p.add_argument("--format", default="table", metavar="NAME",
                   help=f"输出格式：{SCORECARD_FORMATS}（html 为可排序的单个文件），以及插件提供的格式 / "
                        f"output format: {SCORECARD_FORMATS} (html: one sortable file), and any a plugin adds")
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件 / write to FILE")
    p.add_argument("--year", type=int, metavar="YEAR", help="只看这一年度 / only this report year")
    p.add_argument("--region", metavar="NAME", help="只看名称含此地区（或清单 region 列）的机关 / "
                                                     "only agencies in this region (name or manifest region)")
    p.add_argument("--level", choices=LEVELS, help="只看此层级 / only this level")
    p.add_argument("--manifest", action="append", metavar="FILE",
                   help="清单 CSV：文件不存在的行显示为“未发布”（未通过）/ sweep manifest: rows whose file "
                        "does not exist show as not published (failing)")
    p.add_argument("--agencies", action="append", metavar="FILE",
                   help="应公开报告的机关名单（每行一个，或含 agency[,year] 列的 CSV），没有报告的显示为“未发布”"
                        " / agencies expected to publish (one a line, or a CSV with agency[,year]); "
                        "those without a report show as not published")
    p.add_argument("--config", metavar="FILE", help="配置文件（scorecard.prefer 等）/ configuration file")
    p.add_argument("--pages", metavar="DIR",
                   help="为每份报告写一个 HTML 页面到 DIR，HTML 评分表链接到它们 / write a page per report into "
                        "DIR; the html scorecard links to them")
    _lang_option(p)
    p.set_defaults(func=cmd_scorecard)


# -- entry point ---------------------------------------------------------------

COMMANDS = [add_parse, add_audit, add_rules, add_init, add_scorecard, add_fetch]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor",
        description="审核并评分政府信息公开工作年度报告 — audit and score Chinese government "
                    "information-disclosure annual reports against the national templates.")
    parser.add_argument("--version", action="version", version=f"disclosure-auditor {__version__}")
    _lang_option(parser, nested=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command line (``argv`` None: this process's own, ``sys.argv``); the exit status."""
    code = _main(argv)
    if argv is None:
        _spare_the_teardown()
    return code


def _spare_the_teardown() -> None:
    """The command is done and its output written: freeze what is still alive, so that the
    interpreter's exit does not search it for reference cycles (0.25 s of CPU once Dask's
    modules are loaded).  Modules are still torn down and atexit handlers still run; only
    objects kept alive by cycles are not finalised, which Python never promised at exit.  Not
    for a caller of :func:`main` that goes on (tests pass ``argv``)."""
    import gc
    gc.freeze()


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except (InputError, ConfigError, AuditorError, PluginCrash) as e:
        print(f"auditor: {pick(e.text, _lang(args))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("auditor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as e:   # e.g. --output into a folder that does not exist
        name = f"{e.filename}: " if getattr(e, "filename", None) else ""
        print(f"auditor: {name}{e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as e:  # noqa: BLE001 - no traceback reaches the user
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        zh = (f"内部错误（{type(e).__name__}: {e}）：这是 auditor 的缺陷，请把这一行、所用命令和文件报告给"
              "auditor 的维护者；设置环境变量 AUDITOR_DEBUG=1 可查看详细信息")
        en = (f"internal error ({type(e).__name__}: {e}): a defect of auditor; please report this line, "
              "the command and the file to auditor's maintainers (set AUDITOR_DEBUG=1 for details)")
        print(f"auditor: {en if _lang(args) == 'en' else zh}", file=sys.stderr)
        return EXIT_USAGE
