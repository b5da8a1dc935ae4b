"""defaults.json is defaults.yaml, so a run without a configuration file never imports PyYAML."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

PKG = Path(__file__).resolve().parents[2] / "auditor"


def test_defaults_json_equals_defaults_yaml():
    from_yaml = yaml.safe_load((PKG / "defaults.yaml").read_text(encoding="utf-8"))
    from_json = json.loads((PKG / "defaults.json").read_text(encoding="utf-8"))
    assert from_json == from_yaml, "run: python -m auditor.settings"


def test_no_yaml_import_without_a_configuration_file(tmp_path):
    code = ("import sys; from auditor import settings as C; C.load(None, cwd=sys.argv[1]); "
            "print('yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
