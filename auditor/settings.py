"""Configuration: ``auditor.yaml``, its ``extends`` chain, validation, rule selection.

Layers, later wins (dicts merge key by key, lists and scalars are replaced):

1. the built-in defaults (``auditor/defaults.yaml``);
2. plugin defaults (``auditor_default_config``) and plugin template ranges;
3. the ``extends`` chain of the user's file, oldest ancestor first;
4. the user's file;
5. command-line options (``--select`` replaces ``rules.select``, ``--ignore``
   adds to ``rules.ignore``, ``--fail-under``, ``--lang``).

Loading is two-phased because the plugins to load are themselves configured:
:func:`read_user_config` reads and structurally validates the YAML files
(JSON Schema) without knowing any rule; :func:`resolve` then checks every rule
code, name, prefix and option against the loaded rules (an unknown one is a
:class:`ConfigError` naming the closest valid one) and returns the effective
configuration, a plain JSON-able dict.
"""
from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import json
import re
from pathlib import Path
from importlib.resources import files
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from auditor import templates
from auditor.errors import ConfigError
from auditor.i18n import LANGS
from auditor.rules.host import build_host, closest_rule, find_rule
from auditor.templates import YEAR_RANGE_RE

FILENAME = "auditor.yaml"
MAX_CONFIG_BYTES = 2**20     # a configuration is a few KB (thousands of waivers stay under 1 MB);
                             # PyYAML takes about 10 s a MB, and a file of many MB minutes and gigabytes
RULE_KEYS = ("severity", "weight", "per_failure")
FAIL_ON = ("error", "warning", "info", "never")
PREFIX_RE = re.compile(r"^[A-Z]{1,4}\d{0,3}$")
ALL = "ALL"

_MMDD = {"type": "string", "pattern": r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"}
_CODES = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_RULE_ENTRY = {
    "type": ["object", "null"],
    "properties": {
        "severity": {"enum": ["error", "warning", "info"]},
        "weight": {"type": "number", "minimum": 0, "maximum": 100},
        "per_failure": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 100},
    },
}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "auditor.yaml",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "extends": _CODES,
        "lang": {"enum": list(LANGS)},
        "rules": {
            "type": "object",
            "properties": {"select": _CODES, "ignore": _CODES},
            "additionalProperties": _RULE_ENTRY,
        },
        "scoring": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "grades": {"type": "object", "minProperties": 1,
                           "additionalProperties": {"type": "number", "minimum": 0, "maximum": 100}},
                "fail_under": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                "fail_on": {"enum": list(FAIL_ON)},
                "failed_grade_cap": {"type": ["string", "null"]},
            },
        },
        "waivers": {
            "type": "array",
            "description": "accepted deviations: a waived finding is shown, marked, and not scored",
            "items": {
                "type": "object", "additionalProperties": False,
                "required": ["agency", "rule", "reason"],
                "properties": {
                    "agency": {"type": "string", "minLength": 1},
                    "year": {"type": "integer", "minimum": 1990, "maximum": 2100},
                    "rule": {"type": "string", "minLength": 1},
                    "reason": {"type": "string", "minLength": 1},
                    "expires": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                },
            },
        },
        "scorecard": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "prefer": {"type": "array", "items": {"type": "string"},
                           "description": "file suffixes in order of preference for the primary "
                                          "copy of an agency-year, e.g. [.pdf, .html]"},
            },
        },
        "deadlines": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "department": _MMDD,
                "government": _MMDD,
                "township": _MMDD,
                "jurisdictions": {"type": "object", "additionalProperties": {
                    "type": "object", "additionalProperties": False,
                    "properties": {"department": _MMDD, "government": _MMDD, "township": _MMDD}}},
            },
        },
        "templates": {
            "type": "object",
            "propertyNames": {"pattern": YEAR_RANGE_RE.pattern},
            "additionalProperties": {"type": "string"},
        },
        "readers": {
            "type": "object",
            "description": "the reader engine of a format when several serve it, e.g. pdf: pdfminer",
            "additionalProperties": {"type": "string"},
        },
        "plugins": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "local": {"type": "array", "items": {"type": "string"}},
                "disable": {"type": "array", "items": {"type": "string"}},
                "strict": {"type": "boolean"},
            },
        },
    },
}


# -- merging ---------------------------------------------------------------------

def merge(*layers: dict) -> dict:
    """Deep-merge dicts, later wins; lists and scalars are replaced."""
    out: dict = {}
    for layer in layers:
        for key, value in (layer or {}).items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
    return out


def builtin_defaults() -> dict:
    return copy.deepcopy(_builtin_defaults())


@functools.lru_cache(maxsize=None)
def _builtin_defaults() -> dict:
    """Read once per process.  ``defaults.yaml`` is the commented source; ``defaults.json`` is
    the same data (``python -m auditor.settings``; a test keeps them equal), read here so that a
    run without a configuration file never imports PyYAML."""
    text = files("auditor").joinpath("defaults.json").read_text(encoding="utf-8")
    return _normalise(json.loads(text))


def write_defaults_json() -> None:
    """Regenerate ``auditor/defaults.json`` from ``auditor/defaults.yaml``."""
    here = Path(__file__).with_name("defaults.yaml")
    data = _parse_yaml(here.read_text(encoding="utf-8"), "defaults.yaml")
    here.with_suffix(".json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")


# -- reading files -----------------------------------------------------------------

def find_config(explicit: str | None = None, cwd: str | Path | None = None) -> Path | None:
    """``--config FILE``, else ``auditor.yaml`` in the current folder, else None (defaults)."""
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"找不到配置文件：{p}", f"configuration file not found: {p}")
        return p
    p = Path(cwd or ".") / FILENAME
    return p if p.is_file() else None


def _parse_yaml(text: str, name: str) -> Any:
    import yaml
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise ConfigError(f"配置文件 {name} 嵌套过深，无法读取（是配置文件吗？）",
                          f"{name}: nested too deeply to read (is it a configuration file?)") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or str(e)
        if mark is not None:
            raise ConfigError(
                f"配置文件 {name} 第 {mark.line + 1} 行第 {mark.column + 1} 列有 YAML 语法错误：{problem}",
                f"{name}:{mark.line + 1}:{mark.column + 1}: invalid YAML: {problem}") from None
        raise ConfigError(f"配置文件 {name} 有 YAML 语法错误：{problem}",
                          f"{name}: invalid YAML: {problem}") from None


def read_user_config(path: str | Path | None) -> dict:
    """The merged ``extends`` chain of ``path`` (without the built-in defaults); {} for None."""
    if path is None:
        return {}
    return _read_chain(Path(path), ())


def _read_chain(path: Path, seen: tuple[Path, ...]) -> dict:
    path = path.resolve()
    if path in seen:
        chain = " → ".join(str(p) for p in seen + (path,))
        raise ConfigError(f"配置文件的 extends 形成了循环：{chain}", f"circular extends: {chain}")
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"配置文件 {path} 有 {size / 2**20:.1f} MB，超过上限 {MAX_CONFIG_BYTES // 2**20} MB："
                              "配置文件通常只有几 KB，请确认给的是配置文件（--config）",
                              f"{path} is {size / 2**20:.1f} MB, more than the {MAX_CONFIG_BYTES // 2**20} MB "
                              "a configuration may have (one is usually a few KB): is it the right file "
                              "(--config)?")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ConfigError(f"无法读取配置文件 {path}：{e.strerror}",
                          f"cannot read configuration file {path}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"配置文件 {path} 不是 UTF-8 编码（第 {e.start + 1} 个字节）：请以 UTF-8 保存",
                          f"{path} is not UTF-8 (byte {e.start + 1}): save it as UTF-8") from None
    data = _parse_yaml(text, str(path))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"配置文件 {path} 的顶层必须是映射（键: 值）",
                          f"{path}: the top level must be a mapping (key: value)")
    data = _normalise(data)
    validate_structure(data, str(path))
    parents = data.pop("extends", None) or []
    if isinstance(parents, str):
        parents = [parents]
    layers = []
    for parent in parents:
        if parent in ("default", "auditor:default"):
            continue    # the built-in defaults are always the bottom layer
        p = Path(parent).expanduser()
        if not p.is_absolute():
            p = path.parent / p
        if not p.is_file():
            raise ConfigError(f"{path}：extends 指向的配置文件不存在：{parent}",
                              f"{path}: extends names a file that does not exist: {parent}")
        layers.append(_read_chain(p, seen + (path,)))
    local = (data.get("plugins") or {}).get("local")
    if local:
        data["plugins"]["local"] = [str((path.parent / Path(x).expanduser()).resolve()) for x in local]
    return merge(*layers, data)


def _normalise(data: dict) -> dict:
    """YAML niceties: integer year keys and template names become strings, null rule entries {}."""
    data = dict(data)
    if isinstance(data.get("templates"), dict):
        data["templates"] = {str(k): (str(v) if isinstance(v, int) else v)
                             for k, v in data["templates"].items()}
    rules = data.get("rules")
    if isinstance(rules, dict):
        rules = {str(k): v for k, v in rules.items()}
        for key in ("select", "ignore"):
            if isinstance(rules.get(key), str):
                rules[key] = split_codes([rules[key]])
        for key, value in rules.items():
            if key not in ("select", "ignore") and value is None:
                rules[key] = {}
        data["rules"] = rules
    if isinstance(data.get("scoring"), dict) and isinstance(data["scoring"].get("grades"), dict):
        data["scoring"]["grades"] = {str(k): v for k, v in data["scoring"]["grades"].items()}
    return data


def validate_structure(data: dict, name: str) -> None:
    """JSON Schema validation of one configuration file; the first error becomes a ConfigError."""
    import jsonschema
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.message))
    if not errors:
        return
    e = errors[0]
    where = ".".join(str(p) for p in e.absolute_path) or "(top level)"
    hint_zh = hint_en = ""
    if e.validator == "additionalProperties" and isinstance(e.instance, dict):
        allowed = list((e.schema or {}).get("properties", {}))
        extra = [str(k) for k in e.instance if k not in allowed]    # YAML keys may be numbers
        if extra:
            close = difflib.get_close_matches(extra[0], allowed, n=1)
            hint_zh = f"未知的键“{extra[0]}”" + (f"，是不是“{close[0]}”？" if close else "")
            hint_en = f"unknown key {extra[0]!r}" + (f"; did you mean {close[0]!r}?" if close else "")
    raise ConfigError(f"配置文件 {name} 中 {where} 无效：{hint_zh or schema_message_zh(e)}",
                      f"{name}: invalid {where}: {hint_en or e.message}")


def schema_message_zh(e) -> str:
    """A JSON Schema error in Chinese (the validators this schema uses; others as jsonschema says)."""
    v, arg, value = e.validator, e.validator_value, json.dumps(e.instance, ensure_ascii=False, default=str)
    types = {"string": "文本", "number": "数字", "integer": "整数", "boolean": "true 或 false",
             "object": "映射（键: 值）", "array": "列表", "null": "null"}
    if v == "enum":
        return f"{value} 不是可选值之一（{'、'.join(map(str, arg))}）"
    if v == "type":
        wanted = arg if isinstance(arg, list) else [arg]
        return f"{value} 应为{'或'.join(types.get(t, t) for t in wanted)}"
    if v == "required":
        missing = next((k for k in arg if isinstance(e.instance, dict) and k not in e.instance), arg[0])
        return f"缺少必填的键“{missing}”"
    if v in ("minimum", "exclusiveMinimum"):
        return f"{value} 应{'大于等于' if v == 'minimum' else '大于'} {arg}"
    if v in ("maximum", "exclusiveMaximum"):
        return f"{value} 应{'小于等于' if v == 'maximum' else '小于'} {arg}"
    if v == "pattern":
        return f"{value} 的格式不对（应匹配 {arg}）"
    if v in ("minLength", "minProperties", "minItems"):
        return f"{value} 不能为空"
    if v == "additionalProperties":
        return "有未知的键"
    return e.message


# -- resolving against the loaded rules --------------------------------------------

def split_codes(values: Iterable[str] | None) -> list[str]:
    """``["A2,S101", "D4"]`` → ``["A2", "S101", "D4"]`` (for repeatable comma-list options)."""
    out = []
    for v in values or ():
        out.extend(x.strip() for x in str(v).split(",") if x.strip())
    return out


def resolve(user: dict, host, *, select: Iterable[str] | None = None,
            ignore: Iterable[str] | None = None, fail_under: float | None = None,
            fail_on: str | None = None, lang: str | None = None,
            engines: dict | None = None) -> dict:
    """The effective configuration: every layer merged, every rule reference checked.

    ``host`` is the :class:`auditor.rules.host.Host` (its rules, templates and
    plugin defaults).  Raises :class:`ConfigError` on anything unknown.
    """
    plugin_layers = list(getattr(host, "defaults", ()))
    for t in getattr(host, "templates", ()):
        key = f"{t['from']}-{t['to'] if t['to'] is not None else ''}"
        plugin_layers.append({"templates": {key: t["template"]}})
    for i, layer in enumerate(plugin_layers):
        validate_structure(_normalise(layer), f"plugin defaults #{i + 1}")
    cli: dict = {}
    if select is not None:
        cli.setdefault("rules", {})["select"] = split_codes(select)
    if fail_under is not None:
        cli.setdefault("scoring", {})["fail_under"] = float(fail_under)
    if fail_on is not None:
        cli.setdefault("scoring", {})["fail_on"] = fail_on
    if lang:
        cli["lang"] = lang
    if engines:
        cli["readers"] = dict(engines)
    config = merge(builtin_defaults(), *[_normalise(x) for x in plugin_layers], user, cli)
    rules = config.setdefault("rules", {})
    rules["select"] = split_codes(rules.get("select"))
    rules["ignore"] = split_codes(rules.get("ignore")) + split_codes(ignore)
    _check_selectors(rules["select"] + rules["ignore"], host.rules)
    _resolve_rule_entries(rules, host.rules)
    _check_scoring(config["scoring"])
    config["waivers"] = _check_waivers(config.get("waivers") or [], host.rules)
    _check_templates(config["templates"], host)
    _check_engines(config.get("readers") or {}, host)
    return config


def _did_you_mean(rules: dict, key: str) -> tuple[str, str]:
    close = closest_rule(rules, key)
    if close:
        return f"，是不是 {close}？", f"; did you mean {close}?"
    return "。运行 auditor rules 查看所有规则", "; run `auditor rules` to list the rules"


def _check_selectors(selectors: list[str], rules: dict) -> None:
    for s in selectors:
        if not selector_matches(s, rules):
            zh, en = _did_you_mean(rules, s)
            raise ConfigError(f"未知的规则代码或名称“{s}”{zh}", f"unknown rule code or name {s!r}{en}")


def selector_matches(selector: str, rules: dict) -> list[str]:
    """Codes a selector (code, kebab name, family prefix or ALL) picks out."""
    s = selector.strip()
    if s.upper() == ALL:
        return list(rules)
    for code, r in rules.items():
        if r.name == s.lower():
            return [code]
    up = s.upper()
    if PREFIX_RE.match(up):
        return [code for code in rules if code.startswith(up)]
    return []


def _specificity(selector: str, code: str, rules: dict) -> int:
    """How precisely ``selector`` names ``code``: -1 no match, 0 ALL, prefix length, 99 exact."""
    s = selector.strip()
    r = rules[code]
    if s.upper() == code or s.lower() == r.name:
        return 99
    if s.upper() == ALL:
        return 0
    if PREFIX_RE.match(s.upper()) and code.startswith(s.upper()):
        return len(s)
    return -1


def is_selected(code: str, config: dict, rules: dict) -> bool:
    """The most specific selector decides (flake8 style); a tie goes to ``ignore``.

    An empty ``select`` selects every rule.
    """
    sel = config["rules"].get("select") or [ALL]
    best_sel = max((_specificity(s, code, rules) for s in sel), default=-1)
    best_ign = max((_specificity(s, code, rules) for s in config["rules"].get("ignore") or ()),
                   default=-1)
    return best_sel >= 0 and best_sel > best_ign


def selected_rules(config: dict, rules: dict) -> list:
    return [r for code, r in rules.items() if is_selected(code, config, rules)]


def _resolve_rule_entries(section: dict, rules: dict) -> None:
    """Rewrite per-rule entries keyed by code; check options against each rule's schema."""
    entries = {k: v for k, v in section.items() if k not in ("select", "ignore")}
    for key in entries:
        del section[key]
    for key, entry in entries.items():
        rule = find_rule(rules, key)
        if rule is None:
            zh, en = _did_you_mean(rules, key)
            raise ConfigError(f"rules 下未知的规则“{key}”{zh}", f"rules: unknown rule {key!r}{en}")
        for opt, value in (entry or {}).items():
            if opt in RULE_KEYS:
                continue
            if opt not in rule.options:
                valid = list(RULE_KEYS) + list(rule.options)
                close = difflib.get_close_matches(opt, valid, n=1)
                zh = f"，是不是“{close[0]}”？" if close else f"；可用的键：{'、'.join(valid)}"
                en = f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(valid)}"
                raise ConfigError(f"规则 {rule.code}（{rule.name}）没有选项“{opt}”{zh}",
                                  f"rule {rule.code} ({rule.name}) has no option {opt!r}{en}")
            import jsonschema       # here, not above: without rule options it costs start-up time
            try:
                jsonschema.validate(value, rule.options[opt].json_schema())
            except jsonschema.ValidationError as e:
                raise ConfigError(f"规则 {rule.code} 的选项 {opt} 无效：{e.message}",
                                  f"rule {rule.code}: invalid option {opt}: {e.message}") from None
        section[rule.code] = merge(section.get(rule.code) or {}, entry or {})


def _check_scoring(scoring: dict) -> None:
    grades = scoring.get("grades") or {}
    if not grades or min(grades.values()) != 0:
        raise ConfigError("scoring.grades 中最低的等级必须从 0 分起（例如 D: 0）",
                          "scoring.grades: the lowest grade must start at 0 (e.g. D: 0)")
    cap = scoring.get("failed_grade_cap")
    if cap is not None and cap not in grades:
        names = "、".join(grades)
        raise ConfigError(f"scoring.failed_grade_cap“{cap}”不是 scoring.grades 中的等级（{names}）",
                          f"scoring.failed_grade_cap {cap!r} is not one of scoring.grades "
                          f"({', '.join(grades)})")


def _check_waivers(waivers: list, rules: dict) -> list:
    """Each waiver's rule exists (written as code or name; stored as the code) and its expiry
    is a real date."""
    import datetime as dt
    out = []
    for i, w in enumerate(waivers, 1):
        rule = find_rule(rules, w["rule"])
        if rule is None:
            zh, en = _did_you_mean(rules, w["rule"])
            raise ConfigError(f"waivers 第 {i} 条：未知的规则“{w['rule']}”{zh}",
                              f"waivers #{i}: unknown rule {w['rule']!r}{en}")
        if w.get("expires"):
            try:
                dt.date.fromisoformat(w["expires"])
            except ValueError:
                raise ConfigError(f"waivers 第 {i} 条：expires“{w['expires']}”不是日期（如 2025-12-31）",
                                  f"waivers #{i}: expires {w['expires']!r} is not a date "
                                  "(e.g. 2025-12-31)") from None
        out.append(dict(w, rule=rule.code))
    return out


def _check_templates(mapping: dict, host) -> None:
    known = list(templates.TEMPLATES) + [t["template"] for t in getattr(host, "templates", ())]
    for years, template in mapping.items():
        if template not in known:
            close = difflib.get_close_matches(template, known, n=1)
            raise ConfigError(
                f"templates 中 {years} 对应的模板“{template}”不存在"
                + (f"，是不是“{close[0]}”？" if close else f"；可用：{'、'.join(known)}"),
                f"templates: {years} maps to unknown template {template!r}"
                + (f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"))


def _check_engines(engines: dict, host) -> None:
    """Every ``readers:`` entry names a format and one of its registered engines."""
    for fmt, engine in engines.items():
        known = sorted({r.engine for r in host.readers if r.format == fmt and r.engine})
        if engine not in known:
            listed = "、".join(known) or "无"
            raise ConfigError(f"readers 中格式“{fmt}”没有引擎“{engine}”；可用：{listed}",
                              f"readers: format {fmt!r} has no engine {engine!r}; known: "
                              f"{', '.join(known) or 'none'}")


# -- reading the effective configuration ----------------------------------------------

def rule_settings(config: dict, rule) -> dict:
    """Severity, weight, per_failure and options of ``rule`` under ``config``."""
    entry = (config.get("rules") or {}).get(rule.code) or {}
    options = {name: copy.deepcopy(opt.default) for name, opt in rule.options.items()}
    options.update({k: v for k, v in entry.items() if k not in RULE_KEYS})
    return {
        "severity": entry.get("severity", rule.severity),
        "severity_overridden": "severity" in entry,
        "weight": float(entry.get("weight", rule.weight)),
        "per_failure": entry.get("per_failure", rule.per_failure),
        "options": options,
    }


def template_for_year(config: dict, year: int | None) -> str | None:
    """The template the configuration assigns to a report year."""
    return templates.template_for_year(config.get("templates") or {}, year)


def digest(config: dict) -> str:
    """sha256 of the canonical JSON of everything that affects findings and scores (not ``lang``)."""
    data = {k: v for k, v in config.items() if k != "lang"}
    canon = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(canon.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Settings:
    """Everything a run needs from the configuration, resolved once and handed to the pipeline
    and to every worker (frozen; plain data, so it pickles).

    ``config`` is the effective configuration (JSON data; rules see it read-only as
    ``ctx.config``); ``rules`` every loaded rule's settings by code (severity, weight,
    per_failure, options — what the rules run with and are scored by); ``selected`` the codes
    the configuration selects, in code order; ``digest`` what stored results are keyed by (it
    does not include the language: results are language-neutral).
    """
    config: dict
    rules: dict = field(default_factory=dict)
    selected: tuple = ()
    digest: str = ""
    lang: str = "zh"

    @property
    def scoring(self) -> dict:
        return self.config["scoring"]

    @property
    def waivers(self) -> list:
        """The ``waivers:`` list (rules as codes); :func:`auditor.score.apply_waivers` uses it."""
        return self.config.get("waivers") or []

    @property
    def plugins(self) -> dict:
        """The ``plugins`` section: what a worker needs to rebuild the same plugin host."""
        return self.config.get("plugins") or {}

    @property
    def engines(self) -> dict:
        """Which reader engine serves a format when several do (``readers:`` in the file)."""
        return self.config.get("readers") or {}

    def template_for(self, year: int | None) -> str | None:
        """The template the configuration assigns to a report year."""
        return template_for_year(self.config, year)

    def with_lang(self, lang: str | None) -> "Settings":
        return replace(self, lang=lang) if lang and lang != self.lang else self


def build_settings(config: dict, host) -> Settings:
    """Freeze a resolved configuration with every rule's settings."""
    return Settings(config=config,
                    rules={code: rule_settings(config, r) for code, r in host.rules.items()},
                    selected=tuple(r.code for r in selected_rules(config, host.rules)),
                    digest=digest(config), lang=config.get("lang") or "zh")


def load(path: str | None = None, *, cwd: str | Path | None = None, strict: bool = False,
         extra_plugins: Iterable[Any] = (), autoload: bool = True, **overrides) -> tuple[Settings, Any]:
    """Find, read and resolve the configuration; build the plugin host.  → (settings, host)."""
    user = read_user_config(find_config(path, cwd))
    plugin_section = merge(builtin_defaults().get("plugins") or {}, user.get("plugins") or {})
    host = build_host(plugin_section, strict=strict or bool(plugin_section.get("strict")),
                      extra=extra_plugins, autoload=autoload)
    return build_settings(resolve(user, host, **overrides), host), host


if __name__ == "__main__":  # pragma: no cover - regenerates defaults.json
    write_defaults_json()
