"""Load the JSON Schema of a template and validate a report document against it.

Schemas live in ``schemas/<template>.json`` (installed as the package
``auditor_schemas``) and are generated from :mod:`auditor.templates`.
Plugins may add templates (hook ``auditor_register_templates``); pass their
schemas in ``extra``.  Validation results are data — a list of error dicts
that rule S104 reports — never exceptions.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_schema(template: str) -> dict:
    """The bundled schema of ``template``; KeyError when there is none."""
    try:
        text = resources.files("auditor_schemas").joinpath(f"{template}.json").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
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
    if extra and template in extra:
        validator = _validator(template, json.dumps(extra[template], sort_keys=True))
    else:
        try:
            validator = _validator(template)
        except KeyError:
            return [{"path": "template", "message": f"no schema for template {template!r}",
                     "validator": "template"}]
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [_error_dict(e) for e in errors]
