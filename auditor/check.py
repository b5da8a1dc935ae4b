"""Load the JSON Schema of a template and validate a report document against it.

Schemas live in ``schemas/<template>.json`` (installed as the package
``auditor_schemas``) and are generated from :mod:`auditor.templates`.
Plugins may add templates (hook ``auditor_register_templates``); pass their
schemas in ``extra``.  Validation results are data — a list of error dicts
that rule S104 reports — never exceptions.
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path


CHECKOUT_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"   # a plain source checkout


@lru_cache(maxsize=None)
def load_schema(template: str) -> dict:
    """The bundled schema of ``template`` (installed as ``auditor_schemas``, or the ``schemas/``
    folder of a source checkout); KeyError when there is none."""
    name = f"{template}.json"
    try:
        text = resources.files("auditor_schemas").joinpath(name).read_text("utf-8")
    except ModuleNotFoundError:
        try:
            text = (CHECKOUT_SCHEMAS / name).read_text("utf-8")
        except OSError:
            raise KeyError(template) from None
    except FileNotFoundError:
        raise KeyError(template) from None
    return json.loads(text)


@lru_cache(maxsize=None)
def _validator(template: str, schema_json: str | None = None):
    from jsonschema import Draft202012Validator
    schema = json.loads(schema_json) if schema_json else load_schema(template)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _error_dict(error) -> dict:
    path = [str(p) for p in error.absolute_path]
    out = {"path": "/".join(path), "message": error.message, "validator": error.validator}
    if len(path) >= 2 and path[0] == "tables":
        out["table"] = path[1]
        if len(path) >= 3:
            out["row"] = path[2]
        if len(path) >= 4:
            out["column"] = path[3]
        if error.validator == "required" and isinstance(error.validator_value, list):
            missing = [k for k in error.validator_value if k not in (error.instance or {})]
            out["missing"] = missing
    return out


def validate(document: dict, extra: dict[str, dict] | None = None) -> list[dict]:
    """Validate ``document`` against its template's schema; returns error dicts (empty: valid)."""
    template = document.get("template")
    if not isinstance(template, str):
        return [{"path": "template", "message": f"template must be a string, not {template!r}",
                 "validator": "type"}]
    schema_json = json.dumps(extra[template], sort_keys=True) if extra and template in extra else None
    try:
        fast = _fast_check(template, schema_json)
    except KeyError:
        return [{"path": "template", "message": f"no schema for template {template!r}",
                 "validator": "template"}]
    if fast(document):
        return []
    validator = _validator(template, schema_json)        # jsonschema is imported only here
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [_error_dict(e) for e in errors]


# -- fast path ---------------------------------------------------------------------------
# jsonschema takes ~0.1 s to walk one report document (most of the audit of a text report),
# and nearly every document is valid.  So a predicate compiled from the schema answers first;
# only a document it does not pass goes through jsonschema, which gives the error list.  The
# predicate is sound, never complete: it is True only where jsonschema finds no error, and it
# is False for anything it does not know (a keyword outside the subset the generated schemas
# use, ``$ref``, an integral float…) — then jsonschema decides, so results are exactly its.

_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "default",
                          "examples", "deprecated", "readOnly", "writeOnly"})
_PY_TYPES = {"null": "NoneType", "boolean": "bool", "integer": "int", "number": "int, float",
             "string": "str", "object": "dict", "array": "list"}
_SCALARS = (str, int, float, bool, type(None))


@lru_cache(maxsize=None)
def _fast_check(template: str, schema_json: str | None = None):
    """The compiled check of a bundled template's schema (or of a plugin's, given as JSON)."""
    return compile_check(json.loads(schema_json) if schema_json else load_schema(template),
                         formats=True)


def _is_date(x) -> bool:
    """jsonschema's ``date`` format (``FORMAT_CHECKER``): YYYY-MM-DD that is a real date."""
    if type(x) is not str:
        return True
    try:
        return bool(_DATE.fullmatch(x)) and bool(date.fromisoformat(x))
    except ValueError:
        return False


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_FORMATS = {"date": "_is_date"}     # the formats the generated schemas use, checked as jsonschema does


def _never(_instance) -> bool:
    return False


def _exact_types(x) -> set[str]:
    """Every JSON type jsonschema gives a JSON value ``x``."""
    t = type(x)
    if t is int:
        return {"integer", "number"}
    if t is float:
        return {"number", "integer"} if x.is_integer() else {"number"}
    return {{type(None): "null", bool: "boolean", str: "string", dict: "object", list: "array"}[t]}


class _Unsupported(Exception):
    pass


def compile_check(schema, formats: bool = False):
    """Python source generated from ``schema``: a function that is True only where the
    schema certainly holds (exact types only: a ``dict`` subclass or an integral float fails
    it).  A schema using anything else than the keywords below compiles to "always False".
    ``formats``: ``format`` asserts (as with jsonschema's ``FORMAT_CHECKER``); only the formats
    of :data:`_FORMATS` are known, any other compiles to "always False"."""
    env = {"_is_date": _is_date, "_exact_types": _exact_types, "NoneType": type(None), "_SCALARS": _SCALARS,
           "_JSON": frozenset({dict, list, str, int, float, bool, type(None)})}
    funcs: list[str] = []

    def node(sch) -> str:
        name = f"_s{len(funcs)}"
        funcs.append("")
        if sch is True or sch == {}:
            funcs[int(name[2:])] = f"def {name}(x):\n    return type(x) in _JSON\n"
            return name
        if not isinstance(sch, dict):
            raise _Unsupported
        body = ["if type(x) not in _JSON: return False"]
        props = sch.get("properties", {})
        for key, value in sch.items():
            if key in _ANNOTATIONS:
                continue
            if key == "type":
                names = value if isinstance(value, list) else [value]
                if not all(n in _PY_TYPES for n in names):
                    raise _Unsupported
                body.append(f"if type(x) not in ({', '.join(_PY_TYPES[n] for n in names)},): return False")
            elif key in ("const", "enum"):
                options = [value] if key == "const" else value
                if not isinstance(options, list) or not all(type(o) in _SCALARS for o in options):
                    raise _Unsupported
                var = f"_v{len(env)}"
                env[var] = frozenset((type(o), o) for o in options)
                body.append(f"if type(x) not in _SCALARS or (type(x), x) not in {var}: return False")
            elif key in ("minimum", "maximum"):
                if type(value) not in (int, float):
                    raise _Unsupported
                op = "<" if key == "minimum" else ">"
                body.append(f"if type(x) in (int, float) and x {op} {value!r}: return False")
            elif key == "pattern":
                var = f"_v{len(env)}"
                env[var] = re.compile(value)
                body.append(f"if type(x) is str and {var}.search(x) is None: return False")
            elif key == "format":
                if formats:
                    if value not in _FORMATS:
                        raise _Unsupported
                    body.append(f"if not {_FORMATS[value]}(x): return False")
            elif key == "required":
                if not all(isinstance(k, str) for k in value):
                    raise _Unsupported
                var = f"_v{len(env)}"
                env[var] = tuple(value)
                body.append(f"if type(x) is dict:\n        for k in {var}:\n"
                            f"            if k not in x: return False")
            elif key == "properties":
                lines = []
                for k, v in value.items():
                    lines.append(f"        if {k!r} in x and not {node(v)}(x[{k!r}]): return False")
                if lines:
                    body.append("if type(x) is dict:\n" + "\n".join(lines))
            elif key == "additionalProperties":
                if "patternProperties" in sch:
                    raise _Unsupported
                if value is True:
                    continue
                var = f"_v{len(env)}"
                env[var] = frozenset(props)
                if value is False:
                    body.append(f"if type(x) is dict and not {var}.issuperset(x): return False")
                else:
                    sub = node(value)
                    body.append(f"if type(x) is dict:\n        for k, v in x.items():\n"
                                f"            if k not in {var} and not {sub}(v): return False")
            elif key == "items":
                if "prefixItems" in sch:
                    raise _Unsupported
                sub = node(value)
                body.append(f"if type(x) is list:\n        for v in x:\n"
                            f"            if not {sub}(v): return False")
            elif key == "oneOf":
                subs = [node(v) for v in value]
                # another branch certainly fails only when the value's type is not its type
                types = [frozenset(v["type"] if isinstance(v["type"], list) else [v["type"]])
                         if isinstance(v, dict) and "type" in v else None for v in value]
                if None in types:
                    raise _Unsupported
                var = f"_v{len(env)}"
                env[var] = tuple(types)
                body.append(f"passed = [i for i, f in enumerate(({', '.join(subs)},)) if f(x)]\n"
                            f"    if len(passed) != 1: return False\n"
                            f"    have = _exact_types(x)\n"
                            f"    if any(have & t for j, t in enumerate({var}) if j != passed[0]): return False")
            else:
                raise _Unsupported
        funcs[int(name[2:])] = f"def {name}(x):\n" + "".join(f"    {b}\n" for b in body) + "    return True\n"
        return name

    try:
        root = node(schema)
    except (_Unsupported, TypeError, re.error):
        return _never
    exec(compile("\n".join(funcs), "<auditor.check fast check>", "exec"), env)
    return env[root]
