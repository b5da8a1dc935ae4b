"""P901's YAML cases, through disclosure-auditor's public case helper."""
from pathlib import Path

import pytest

from auditor.testing import check_case, parametrize_cases
from auditor_provincial.rules import work_points_missing

ids, cases = parametrize_cases(Path(__file__).parent / "cases")


@pytest.mark.parametrize("case", cases, ids=ids)
def test_rule_case(case):
    # Passing the rule explicitly lets these tests run before the package is installed.
    check_case(case, rule=work_points_missing)
