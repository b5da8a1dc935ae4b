"""The plugin host: find plugins, register them with pluggy, collect their rules and templates.

Built-in rules (the ``auditor_rules`` package) and third-party rule packs are
found the same way, through the ``auditor`` entry-point group::

    [project.entry-points.auditor]
    provincial = "auditor_provincial"

:func:`build_host` does, in order:

1. load each entry point on its own (a plugin that fails to import is reported
   with its name and skipped; with ``strict=True`` it is a :class:`ConfigError`);
2. register in-memory plugins (tests) and ``plugins.local`` files from the
   configuration;
3. look for misspelt hook implementations (an ``@hookimpl`` whose name is no
   hook, e.g. ``auditor_register_rule``): the plugin is reported with the
   closest hook name and dropped (strict: an error);
4. call ``auditor_register_rules`` plugin by plugin, so every rule knows which
   plugin gave it; two rules with one code (or one name) are an error naming
   both plugins;
5. call ``auditor_register_templates`` and ``auditor_default_config``.

Everything :func:`build_host` needs is in a plain dict (the configuration's
``plugins`` section), so a worker process rebuilds the same host from the
configuration instead of receiving a pickled plugin manager.
"""
from __future__ import annotations

import difflib
import importlib.util
import json
import sys
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Iterable

import pluggy

from auditor import hookspecs
from auditor.errors import ConfigError
from auditor.i18n import pick
from auditor.rules.discovery import entry_points
from auditor.rules.api import CODE_RE, NAME_RE, SEVERITIES, Rule

GROUP = hookspecs.PROJECT          # the entry-point group
OWN_DISTRIBUTION = "disclosure-auditor"


# The host's own plugins, registered explicitly (as pytest registers its default plugins) so a
# plain checkout works without being installed: (plugin name, module).  The machinery — readers,
# reporters, the local and Dask executors — is always registered; the rule pack like any rule plugin.
BUILTIN_MACHINERY = [("builtin:read", "auditor.read.builtin"), ("builtin:report", "auditor.report.builtin"),
                     ("builtin:local", "auditor.sweep.local"), ("builtin:dask", "auditor.sweep.dask")]
BUILTIN_RULES = ("builtin", "auditor_rules")


@dataclass
class Problem:
    """A plugin that could not be used, with messages in Chinese and English."""
    plugin: str
    zh: str
    en: str

    @property
    def text(self) -> dict:
        return {"zh": self.zh, "en": self.en}


@dataclass
class Host:
    """What the plugins gave: the plugin manager, rules by code, templates, readers, reporters,
    executors, problems."""
    pm: pluggy.PluginManager
    rules: dict[str, Rule] = field(default_factory=dict)       # code -> Rule, sorted by code
    templates: list[dict] = field(default_factory=list)        # {"template","schema","from","to","plugin"}
    defaults: list[dict] = field(default_factory=list)         # auditor_default_config results
    readers: list = field(default_factory=list)                # auditor.read.Reader, registration order
    reporters: list = field(default_factory=list)              # auditor.report.Reporter
    executors: list = field(default_factory=list)              # auditor.sweep.executor.Executor
    plugins: list[dict] = field(default_factory=list)          # {"name","distribution","version"}
    problems: list[Problem] = field(default_factory=list)

    def rule(self, code_or_name: str) -> Rule | None:
        return find_rule(self.rules, code_or_name)


# -- building the host ---------------------------------------------------------

def new_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def build_host(settings: dict | None = None, *, strict: bool | None = None,
               extra: Iterable[Any] = (), autoload: bool = True) -> Host:
    """Build the plugin host from the configuration's ``plugins`` section.

    ``settings`` keys (all optional): ``disable`` (plugin names not to load),
    ``local`` (paths of Python files to load as plugins), ``strict``.
    ``extra`` are in-memory plugins (modules or objects, optionally as
    ``(name, plugin)`` pairs); ``autoload=False`` loads neither the built-in rule pack nor
    entry points (only the machinery and ``extra``: for tests of a plugin on its own).
    """
    settings = dict(settings or {})
    strict = bool(settings.get("strict")) if strict is None else strict
    host = Host(pm=new_plugin_manager())
    disabled = set(settings.get("disable") or ())
    for name, module in BUILTIN_MACHINERY:
        _register(host, importlib.import_module(module), name, OWN_DISTRIBUTION, None)
    if autoload:
        _register_builtin_rules(host, disabled)
        _load_entry_points(host, disabled)
    for path in settings.get("local") or ():
        _load_local(host, path, settings.get("base_dir"))
    for item in extra:
        name, plugin = item if isinstance(item, tuple) else (None, item)
        _register(host, plugin, name or _plugin_name(plugin), distribution=None, version=None)
    _check_pending(host)
    _collect_rules(host)
    _collect_templates(host)
    _collect_defaults(host)
    _collect_extensions(host)
    if strict and host.problems:
        raise ConfigError(*_joined(host.problems))
    return host


_HOSTS: dict[str, Host] = {}


def host_for(settings) -> Host:
    """The plugin host :class:`auditor.settings.Settings` describe, built once per process and
    configuration: a worker receives plain settings, never a plugin manager."""
    host = _HOSTS.get(settings.digest)
    if host is None:
        host = _HOSTS[settings.digest] = build_host(settings.plugins)
    return host


def _register_builtin_rules(host: Host, disabled: set[str]) -> None:
    """The built-in rule pack: installed as ``auditor_rules``; from a plain checkout, the
    ``rules/`` folder beside the ``auditor`` package."""
    name, module_name = BUILTIN_RULES
    if name in disabled:
        host.pm.set_blocked(name)
        return
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise
        module = _import_checkout_package(module_name, Path(__file__).resolve().parents[2] / "rules")
    _register(host, module, name, OWN_DISTRIBUTION, None)


def _import_checkout_package(name: str, folder: Path):
    """Import ``folder`` (a package of a source checkout) under ``name``."""
    spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r} and no {folder}", name=name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _joined(problems: list[Problem]) -> tuple[str, str]:
    return ("；".join(p.zh for p in problems), "; ".join(p.en for p in problems))


def _plugin_name(plugin: Any) -> str:
    return getattr(plugin, "__name__", None) or type(plugin).__name__


def _load_entry_points(host: Host, disabled: set[str]) -> None:
    for ep in entry_points(GROUP):
        dist_name, version = ep.distribution, ep.version
        if dist_name == OWN_DISTRIBUTION:
            continue                   # registered explicitly above
        if ep.name in disabled or (dist_name and dist_name in disabled):
            host.pm.set_blocked(ep.name)
            continue
        try:
            plugin = ep.load()
        except Exception as e:  # noqa: BLE001 - any import failure is the plugin's, not ours
            label = dist_name or ep.name
            host.problems.append(Problem(
                label,
                f"插件“{label}”（入口 {ep.name} = {ep.value}）无法加载，已跳过：{type(e).__name__}: {e}",
                f"plugin {label!r} (entry point {ep.name} = {ep.value}) failed to load and was "
                f"skipped: {type(e).__name__}: {e}"))
            continue
        _register(host, plugin, ep.name, dist_name, version)


def _load_local(host: Host, path: str, base_dir: str | None) -> None:
    p = Path(path)
    if not p.is_absolute() and base_dir:
        p = Path(base_dir) / p
    name = f"local:{p.stem}"
    try:
        spec = importlib.util.spec_from_file_location(f"auditor_local_{p.stem}", p)
        if spec is None or spec.loader is None:
            raise ImportError(f"not a Python file: {p}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as e:  # noqa: BLE001
        host.problems.append(Problem(
            name, f"本地插件 {p} 无法加载，已跳过：{type(e).__name__}: {e}",
            f"local plugin {p} failed to load and was skipped: {type(e).__name__}: {e}"))
        return
    _register(host, module, name, distribution=None, version=None)


def _register(host: Host, plugin: Any, name: str, distribution: str | None,
              version: str | None) -> None:
    try:
        host.pm.register(plugin, name=name)
    except Exception as e:  # noqa: BLE001 - pluggy validates hookimpl signatures here
        host.problems.append(Problem(
            name, f"插件“{name}”的钩子实现无效，已跳过：{e}",
            f"plugin {name!r} has an invalid hook implementation and was skipped: {e}"))
        return
    host.plugins.append({"name": name, "distribution": distribution, "version": version})


def display_name(host: Host, name: str) -> str:
    """The name users see for a plugin: its distribution, or ``builtin`` for ours."""
    for p in host.plugins:
        if p["name"] == name:
            if p["distribution"] in (None, OWN_DISTRIBUTION):
                return name
            return p["distribution"]
    return name


def _check_pending(host: Host) -> None:
    """Every ``@hookimpl`` must implement a known hook: report misspellings, drop the plugin."""
    known = sorted(n for n in dir(hookspecs) if n.startswith("auditor_"))
    bad: dict[str, list[str]] = {}
    for hook_name in list(vars(host.pm.hook)):
        if hook_name.startswith("_"):
            continue
        caller = getattr(host.pm.hook, hook_name)
        if caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if not impl.opts.get("optionalhook"):
                bad.setdefault(impl.plugin_name, []).append(hook_name)
    for plugin_name, hooks in sorted(bad.items()):
        hints_zh, hints_en = [], []
        for h in sorted(hooks):
            close = closest(h, known)
            hints_zh.append(f"{h}" + (f"（是不是 {close}？）" if close else ""))
            hints_en.append(f"{h}" + (f" (did you mean {close}?)" if close else ""))
        host.problems.append(Problem(
            plugin_name,
            f"插件“{plugin_name}”实现了不存在的钩子：{'、'.join(hints_zh)}；已跳过该插件",
            f"plugin {plugin_name!r} implements unknown hook(s): {', '.join(hints_en)}; "
            "the plugin was skipped"))
        _unregister(host, plugin_name)


def _unregister(host: Host, name: str) -> None:
    plugin = host.pm.get_plugin(name)
    if plugin is not None:
        host.pm.unregister(plugin, name=name)
    host.plugins = [p for p in host.plugins if p["name"] != name]


def _call_each(host: Host, hook_name: str) -> list[tuple[str, Any]]:
    """Call one hook plugin by plugin, so results keep their plugin; failures become problems."""
    caller = getattr(host.pm.hook, hook_name)
    out = []
    for impl in caller.get_hookimpls():   # registration order
        try:
            result = impl.function()
        except Exception as e:  # noqa: BLE001
            host.problems.append(Problem(
                impl.plugin_name,
                f"插件“{impl.plugin_name}”的 {hook_name} 出错，已跳过：{type(e).__name__}: {e}",
                f"plugin {impl.plugin_name!r} failed in {hook_name} and was skipped: "
                f"{type(e).__name__}: {e}"))
            continue
        if result is not None:
            out.append((impl.plugin_name, result))
    return out


def _rule_problem(rule: Any) -> str | None:
    if not isinstance(rule, Rule):
        return f"not a Rule: {rule!r}"
    if not CODE_RE.match(rule.code or ""):
        return f"bad rule code {rule.code!r}"
    if not NAME_RE.match(rule.name or ""):
        return f"bad rule name {rule.name!r}"
    if rule.severity not in SEVERITIES:
        return f"bad severity {rule.severity!r} for {rule.code}"
    if not callable(rule.check):
        return f"{rule.code}: check is not callable"
    return None


def _collect_rules(host: Host) -> None:
    by_code: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    clashes: list[tuple[str, str]] = []
    for plugin_name, rules in _call_each(host, "auditor_register_rules"):
        shown = display_name(host, plugin_name)
        for rule in list(rules or ()):
            problem = _rule_problem(rule)
            if problem:
                host.problems.append(Problem(
                    shown, f"插件“{shown}”提供的规则无效，已忽略：{problem}",
                    f"plugin {shown!r} gave an invalid rule, ignored: {problem}"))
                continue
            rule.plugin = shown
            for key, index in ((rule.code, by_code), (rule.name, by_name)):
                other = index.get(key)
                if other is not None and other is not rule:
                    clashes.append((
                        f"规则“{key}”重复：插件“{other.plugin}”与插件“{shown}”都提供了它",
                        f"duplicate rule {key!r}: provided by both plugin {other.plugin!r} "
                        f"and plugin {shown!r}"))
            by_code.setdefault(rule.code, rule)
            by_name.setdefault(rule.name, rule)
    if clashes:
        raise ConfigError("；".join(c[0] for c in clashes), "; ".join(c[1] for c in clashes))
    host.rules = {code: by_code[code] for code in sorted(by_code)}


def _collect_templates(host: Host) -> None:
    for plugin_name, templates in _call_each(host, "auditor_register_templates"):
        shown = display_name(host, plugin_name)
        for t in list(templates or ()):
            try:
                host.templates.append(_template_entry(t, shown, host.pm.get_plugin(plugin_name)))
            except (KeyError, TypeError, ValueError, OSError) as e:
                host.problems.append(Problem(
                    shown, f"插件“{shown}”登记的模板无效，已忽略：{e}",
                    f"plugin {shown!r} registered an invalid template, ignored: {e}"))


def _template_entry(t: dict, plugin: str, module: Any) -> dict:
    name = str(t["template"])
    start = int(t["from"])
    end = None if t.get("to") is None else int(t["to"])
    schema = t.get("schema")
    if isinstance(schema, (str, Path)):
        path = Path(schema)
        if not path.is_absolute() and getattr(module, "__file__", None):
            path = Path(module.__file__).parent / path
        schema = json.loads(path.read_text(encoding="utf-8"))
    if schema is not None and not isinstance(schema, dict):
        raise TypeError(f"template {name}: schema must be a dict or a path")
    return {"template": name, "from": start, "to": end, "schema": schema, "plugin": plugin}


def _collect_defaults(host: Host) -> None:
    for plugin_name, cfg in _call_each(host, "auditor_default_config"):
        if isinstance(cfg, dict):
            host.defaults.append(cfg)
        else:
            host.problems.append(Problem(
                plugin_name, f"插件“{plugin_name}”的默认配置不是映射，已忽略",
                f"plugin {plugin_name!r} returned default configuration that is not a mapping; ignored"))


def _collect_extensions(host: Host) -> None:
    """Readers, reporters and executors, each stamped with its plugin; a malformed one is a
    problem of its plugin, and skipped."""
    kinds = (("auditor_register_readers", host.readers, ("format", "suffixes", "read")),
             ("auditor_register_reporters", host.reporters, ("name", "kind", "render")),
             ("auditor_register_executors", host.executors, ("name", "run")))
    for hook_name, target, needed in kinds:
        for plugin_name, items in _call_each(host, hook_name):
            shown = display_name(host, plugin_name)
            for item in list(items or ()):
                missing = [a for a in needed if getattr(item, a, None) in (None, "")]
                if missing:
                    host.problems.append(Problem(
                        shown, f"插件“{shown}”在 {hook_name} 中提供的对象无效（缺少 {', '.join(missing)}），已忽略",
                        f"plugin {shown!r} gave an invalid object in {hook_name} (missing "
                        f"{', '.join(missing)}), ignored"))
                    continue
                target.append(_stamped(item, shown))


def _stamped(item: Any, plugin: str) -> Any:
    """``item`` with its ``plugin`` field set (a copy of a frozen dataclass)."""
    if is_dataclass(item) and any(f.name == "plugin" for f in fields(item)):
        return replace(item, plugin=plugin)
    return item


# -- looking rules up ----------------------------------------------------------

def find_rule(rules: dict[str, Rule], code_or_name: str) -> Rule | None:
    key = (code_or_name or "").strip()
    if key.upper() in rules:
        return rules[key.upper()]
    for r in rules.values():
        if r.name == key.lower():
            return r
    return None


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): a swap of two characters is 1."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def closest(key: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest ``key`` (typos, swapped characters), or None if nothing is close."""
    best = None
    for cand in candidates:
        d = edit_distance(key, cand)
        rank = (d, -difflib.SequenceMatcher(None, key, cand).ratio(), cand)
        if d <= max(1, len(key) // 3) and (best is None or rank < best):
            best = rank
    return best[2] if best else None


def closest_rule(rules: dict[str, Rule], key: str) -> str | None:
    """The rule whose code or name is most like ``key``, as "CODE (name)", for "did you mean"."""
    code = closest(key.strip().upper(), rules)
    name = closest(key.strip().lower(), [r.name for r in rules.values()])
    if code and name and code != find_rule(rules, name).code:
        code_d = edit_distance(key.strip().upper(), code)
        name_d = edit_distance(key.strip().lower(), name)
        found = rules[code] if code_d <= name_d else find_rule(rules, name)
    else:
        found = rules[code] if code else (find_rule(rules, name) if name else None)
    return f"{found.code} ({found.name})" if found else None


def report_problems(host: Host, lang: str = "zh", stream=None) -> None:
    """Print plugin problems as warnings (non-strict mode)."""
    stream = stream or sys.stderr
    label = "warning" if lang == "en" else "警告"
    for p in host.problems:
        print(f"auditor: {label}: {pick(p.text, lang)}", file=stream)


def plugin_summary(host: Host) -> list[dict]:
    """``[{"name", "version"}]`` of loaded plugins, for output metadata."""
    out = []
    for p in host.plugins:
        out.append({"name": display_name(host, p["name"]), "entry_point": p["name"],
                    "distribution": p["distribution"], "version": p["version"]})
    return out
