"""The province's office configuration as a site keeps it: checked, held for the next
business day, run, with the site's own sections and files always its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from shared.core.config import load_office
from shared.core.office import Central
from shared.server.central_config import ConfigBundles

VERSION = """\
[office]
id = "phuong-tam"
name = "UBND Phường Tám v{n}"

[[fields]]
code = "TP"
name = "Tư pháp"
name_en = "Justice"
icon = "can-cân.svg"

[[services]]
code = "A"
name = "Hộ tịch"
name_en = "Civil status"
field = "TP"

[[counters]]
number = 1
services = ["A"]
"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
       '<rect width="9" height="9"/></svg>')


def local(tmp_path: Path) -> ConfigBundles:
    office = replace(load_office(), id="phuong-tam", central=Central(
        url="https://t:8770", site="phuong-tam", key_file="/k"))
    files = tmp_path / "etc"
    files.mkdir()
    (files / "can-cân.svg").write_text(SVG, encoding="utf-8")
    return ConfigBundles(tmp_path / "data", office, files)


def test_a_version_is_held_then_run_with_the_sites_own_sections_and_files(
        tmp_path: Path) -> None:
    bundles = local(tmp_path)
    assert bundles.effective() is bundles.local
    assert bundles.take(1, VERSION.format(n=1)) == ""
    assert (bundles.pending, bundles.served) == (1, None)

    office = bundles.effective()  # the next business day
    assert office.name == "UBND Phường Tám v1"
    assert office.central == bundles.local.central
    assert office.server == bundles.local.server
    assert office.fields[0].pictogram is not None  # found beside the site's own file
    assert "rect" in office.fields[0].pictogram
    assert (bundles.pending, bundles.served) == (None, 1)
    assert ConfigBundles(tmp_path / "data", bundles.local, tmp_path / "etc").effective(
        ).name == "UBND Phường Tám v1"  # and after a restart


def test_any_new_number_is_taken_even_one_that_looks_older(tmp_path: Path) -> None:
    """The province's database restored from a backup numbers again from 1."""
    bundles = local(tmp_path)
    bundles.take(7, VERSION.format(n=7))
    bundles.effective()
    assert not bundles.is_new(7)
    assert bundles.is_new(1)
    assert bundles.take(1, VERSION.format(n=1)) == ""
    assert bundles.effective().name == "UBND Phường Tám v1"
    assert bundles.served == 1


def test_a_version_the_site_cannot_run_is_refused_and_nothing_of_it_runs(
        tmp_path: Path) -> None:
    bundles = local(tmp_path)
    said = bundles.take(2, VERSION.format(n=2).replace('"phuong-tam"', '"phuong-chin"'))
    assert "phuong-chin" in said
    assert bundles.refused == (2, said)
    assert not bundles.is_new(2)
    said = bundles.take(3, VERSION.format(n=3).replace("can-cân.svg", "khong-co.svg"))
    assert "khong-co.svg" in said  # a picture the site does not have
    assert bundles.pending is None
    assert bundles.effective() is bundles.local
