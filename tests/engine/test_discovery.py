"""The entry-point scanner reads what importlib.metadata reads, only faster."""
import sys
from importlib import metadata

import pytest

from auditor.rules import discovery


def _by_metadata(group):
    unique = {}
    for ep in metadata.entry_points(group=group):
        unique.setdefault(ep.name, (ep.name, ep.value, ep.dist.metadata["Name"], ep.dist.version))
    return [unique[k] for k in sorted(unique)]


@pytest.mark.parametrize("group", ["auditor", "console_scripts", "pytest11"])
def test_same_entry_points_as_importlib_metadata(group):
    ours = [(ep.name, ep.value, ep.distribution, ep.version) for ep in discovery.entry_points(group)]
    assert ours == _by_metadata(group)


def test_the_built_in_pack_is_registered_by_the_host_not_through_an_entry_point():
    from auditor.rules.host import build_host
    assert [ep for ep in discovery.entry_points("auditor") if ep.distribution == "disclosure-auditor"] == []
    host = build_host()
    assert "A201" in host.rules and host.rules["A201"].plugin == "builtin"
    assert {"builtin", "builtin:read", "builtin:report", "builtin:local"} <= {p["name"] for p in host.plugins}


def test_section_parsing_keeps_to_its_group():
    text = ("[console_scripts]\nx = a:b\n\n# a comment\n[auditor]\n"
            "one = pkg.mod\n; another comment\ntwo=pkg.mod:obj.attr [extra]\n[other]\nthree = c\n")
    assert discovery.parse_section(text, "auditor") == [("one", "pkg.mod"),
                                                        ("two", "pkg.mod:obj.attr [extra]")]


def test_attribute_paths_and_extras_load(tmp_path, monkeypatch):
    (tmp_path / "auditor_disc_mod.py").write_text("class Holder:\n    value = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    ep = discovery.EntryPoint("x", "auditor_disc_mod:Holder.value [extra]", None, None)
    assert ep.load() == 42


def test_egg_info_first_on_path_wins(tmp_path, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, suffix, meta, version in ((first, ".egg-info", "PKG-INFO", "2.0"),
                                          (second, ".dist-info", "METADATA", "1.0")):
        info = folder / f"auditor_disc_pack-{version}{suffix}"
        info.mkdir(parents=True)
        (info / meta).write_text(f"Metadata-Version: 2.1\nName: auditor-disc-pack\nVersion: {version}\n"
                                 "\nVersion: body text, not a header\n")
        (info / "entry_points.txt").write_text("[auditor]\ndiscpack = auditor_disc_pack\n")
    monkeypatch.setattr(sys, "path", [str(first), str(second)] + sys.path)
    found = [ep for ep in discovery.entry_points("auditor") if ep.name == "discpack"]
    assert found == [discovery.EntryPoint("discpack", "auditor_disc_pack", "auditor-disc-pack", "2.0")]
