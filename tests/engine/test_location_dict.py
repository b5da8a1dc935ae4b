"""Location.to_dict's fast path gives what dataclasses.asdict gives (None fields dropped)."""
from dataclasses import asdict, fields

from auditor.rules.api import _LOCATION_FIELDS, Location


def test_field_order_is_the_dataclass_order():
    assert tuple(f.name for f in fields(Location)) == _LOCATION_FIELDS


def test_to_dict_matches_asdict():
    for loc in (Location(), Location("requests", "requests", "new_received", "total", 2, 17),
                Location(page=3), Location(table="proactive", line=5), Location(row="x", page=1.0),
                Location(section=["odd", "plugin", "value"])):
        expected = {k: v for k, v in asdict(loc).items() if v is not None}
        assert loc.to_dict() == expected
        assert list(loc.to_dict()) == list(expected)
