"""Every language but Vietnamese is a gettext catalogue: the packaged English is
complete and up to date with the code, and a translator's mistake in a catalogue is
reported and left out, never shown to a citizen."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk import texts as kiosk_texts
from shared.cli.main import main
from shared.languages.catalogue import EN, PACKAGED, VI, Catalogue
from shared.languages.command_line import lookup
from shared.languages.template import template, updated

ROOT = Path(__file__).resolve().parents[2]


def _catalogues() -> list[Catalogue]:
    spec = importlib.util.spec_from_file_location("update_languages",
                                                  ROOT / "tools" / "update_languages.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    found: list[Catalogue] = tool.catalogues()
    return found


CATALOGUES = _catalogues()
VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.domain)
def test_the_templates_and_the_english_say_what_the_code_says(catalogue: Catalogue) -> None:
    """Words changed in the code without `tools/update_languages.py` fail here."""
    pot = PACKAGED / f"{catalogue.domain}.pot"
    assert pot.read_bytes() == template(catalogue.domain, catalogue.source), (
        f"{pot} is out of date: run .venv/bin/python tools/update_languages.py")
    po = PACKAGED / EN / f"{catalogue.domain}.po"
    assert po.read_bytes() == updated(catalogue.domain, catalogue.source, po, EN), (
        f"{po} is out of date: run .venv/bin/python tools/update_languages.py")


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda c: c.domain)
def test_english_is_complete_and_sound(catalogue: Catalogue) -> None:
    assert catalogue.missing(EN) == []
    assert catalogue.problems(EN) == []
    assert catalogue.language_name(EN) == "English"
    for key in catalogue.source:
        english = catalogue.text(key, EN)
        assert english.strip(), key
        # Said in English, not left in Vietnamese (names quoted in English excepted).
        assert not VIETNAMESE_LETTERS & set(english.lower()) or "“" in english, (key, english)


def test_the_packaged_catalogues_pass_gettexts_own_check() -> None:
    """GNU msgfmt, the reference reader, finds nothing wrong in what we ship."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt is not None, "bootstrap.sh test installs GNU gettext (package gettext)"
    for po in sorted(PACKAGED.glob("*/*.po")):
        done = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


SOURCE = {"hello": "Xin chào {name}", "bye": "Tạm biệt", "count": "Có {count} người"}


def _po(entries: str) -> str:
    return ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            + entries)


def test_a_new_language_is_a_catalogue_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "hmn").mkdir()
    (tmp_path / "hmn" / "test.po").write_text(_po(
        'msgctxt "language_name"\nmsgid "Tiếng Việt"\nmsgstr "Lus Hmoob"\n\n'
        'msgctxt "hello"\nmsgid "Xin chào {name}"\nmsgstr "Nyob zoo {name}"\n'),
        encoding="utf-8")
    catalogue = Catalogue("test", SOURCE, [tmp_path])

    assert catalogue.languages() == [VI, "hmn"]
    assert catalogue.language_name("hmn") == "Lus Hmoob"
    assert catalogue.text("hello", "hmn", name="Lan") == "Nyob zoo Lan"
    assert catalogue.text("bye", "hmn") == "Tạm biệt"  # not translated: in Vietnamese
    assert catalogue.missing("hmn") == ["bye", "count"]
    assert catalogue.text("hello", VI, name="Lan") == "Xin chào Lan"
    assert catalogue.text("hello", "fr", name="Lan") == "Xin chào Lan"  # no catalogue


def test_a_translators_mistakes_are_reported_and_never_shown(tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture
                                                            ) -> None:
    (tmp_path / "hmn").mkdir()
    (tmp_path / "hmn" / "test.po").write_text(_po(
        'msgctxt "hello"\nmsgid "Xin chào {name}"\nmsgstr "Nyob zoo {npe}"\n\n'
        'msgctxt "count"\nmsgid "Có {count} người"\nmsgstr "Muaj {count tus neeg"\n\n'
        'msgctxt "bye"\nmsgid "Tạm biệt cũ"\nmsgstr "Sib ntsib dua"\n\n'
        'msgctxt "gone"\nmsgid "Đã bỏ"\nmsgstr "Tsis muaj lawm"\n'), encoding="utf-8")
    catalogue = Catalogue("test", SOURCE, [tmp_path])

    assert catalogue.text("hello", "hmn", name="Lan") == "Xin chào Lan"
    assert catalogue.text("count", "hmn", count=3) == "Có 3 người"
    assert catalogue.text("bye", "hmn") == "Tạm biệt"  # translated from older Vietnamese
    said = [p.words(lookup(EN)) for p in catalogue.problems("hmn")]
    assert len(said) == 4, said
    assert any(":6: 'hello': the translation must fill in the same places as the "
               "Vietnamese ({name})" in s for s in said), said
    assert any("'count'" in s and "({count})" in s for s in said), said
    assert any("'bye': the Vietnamese has changed" in s for s in said), said
    assert any("'gone' is not one of the test's texts" in s for s in said), said
    # Said to a translator in Vietnamese unless asked otherwise (MOTCUA_LANG).
    assert any(":6: 'hello': bản dịch phải có đúng các chỗ điền như tiếng Việt ({name})"
               in str(p) for p in catalogue.problems("hmn"))
    assert "Nyob zoo {npe}" not in caplog.text  # logged by line and key, not echoed


def test_a_format_of_its_own_in_a_translation_is_refused(tmp_path: Path) -> None:
    """"{count:{x}}" names the same place, but filling it in would fail."""
    (tmp_path / "hmn").mkdir()
    (tmp_path / "hmn" / "test.po").write_text(_po(
        'msgctxt "count"\nmsgid "Có {count} người"\nmsgstr "Muaj {count:{x}} tus"\n\n'
        'msgctxt "hello"\nmsgid "Xin chào {name}"\nmsgstr "Nyob zoo {name!z}"\n'),
        encoding="utf-8")
    catalogue = Catalogue("test", SOURCE, [tmp_path])
    assert catalogue.text("count", "hmn", count=3) == "Có 3 người"
    assert catalogue.text("hello", "hmn", name="Lan") == "Xin chào Lan"
    assert len(catalogue.problems("hmn")) == 2


def test_only_a_language_code_is_a_language(tmp_path: Path) -> None:
    for folder in ("hmn", "backup", "hmn.old", "zh_Hant"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "test.po").write_text(_po(""), encoding="utf-8")
    catalogue = Catalogue("test", SOURCE, [tmp_path / "hmn"])
    assert catalogue.paths("..") == []
    assert Catalogue("test", SOURCE, [tmp_path]).languages() == [VI, "hmn", "zh_Hant"]


def test_a_catalogue_that_cannot_be_read_is_skipped_with_a_plain_message(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "hmn").mkdir()
    (tmp_path / "hmn" / "test.po").write_bytes(b'msgid "\xff\xfe\nmsgstr')
    catalogue = Catalogue("test", SOURCE, [tmp_path])

    assert catalogue.text("bye", "hmn") == "Tạm biệt"
    assert "không đọc được" in caplog.text
    assert "bỏ qua tệp này" in caplog.text


def test_the_offices_catalogue_overrides_ours(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for folder, word in ((ours, "Goodbye"), (theirs, "Bye now")):
        (folder / EN).mkdir(parents=True)
        (folder / EN / "test.po").write_text(_po(
            f'msgctxt "bye"\nmsgid "Tạm biệt"\nmsgstr "{word}"\n'), encoding="utf-8")
    assert Catalogue("test", SOURCE, [ours, theirs]).text("bye", EN) == "Bye now"


def test_the_update_tool_keeps_translations_and_leaves_new_words_empty(
        tmp_path: Path) -> None:
    po = tmp_path / "hmn" / "test.po"
    po.parent.mkdir()
    po.write_text(_po('msgctxt "bye"\nmsgid "Tạm biệt"\nmsgstr "Sib ntsib dua"\n\n'
                      'msgctxt "gone"\nmsgid "Đã bỏ"\nmsgstr "Tsis muaj lawm"\n'),
                  encoding="utf-8")
    po.write_bytes(updated("test", SOURCE, po, "hmn"))

    catalogue = Catalogue("test", SOURCE, [tmp_path])
    assert catalogue.text("bye", "hmn") == "Sib ntsib dua"
    assert catalogue.missing("hmn") == ["hello", "count"]
    assert "Đã bỏ" not in po.read_text(encoding="utf-8")
    assert catalogue.problems("hmn") == []


def test_motcua_languages_check_shows_a_translator_each_problem_by_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from shared.cli.main import main

    po = tmp_path / "hmn" / "kiosk.po"
    po.parent.mkdir()
    po.write_text(_po('msgctxt "language_name"\nmsgid "Tiếng Việt"\nmsgstr "Lus Hmoob"\n\n'
                      'msgctxt "waiting"\nmsgid "Đang chờ:\u00a0{count}"\nmsgstr "Tos: {n}"\n\n'
                      'msgctxt "take_number"\nmsgid "Lấy số thứ tự"\n'
                      'msgstr "Txais tus naj npawb"\n'), encoding="utf-8")

    assert main(["languages", "check", str(po)]) == 1
    said = capsys.readouterr().out
    total = len(kiosk_texts.keys()) + 1  # and the language's name
    assert f"{po}: Lus Hmoob (hmn), 2/{total} " in said
    assert "'waiting': bản dịch phải có đúng các chỗ điền như tiếng Việt" in said
    assert "chưa dịch (hiện bằng tiếng Việt): " in said
    assert "take_number" not in said.split("chưa dịch (hiện bằng tiếng Việt): ")[1]

    assert main(["languages", "check", str(tmp_path / "hmn" / "server.po")]) == 2
    assert ("kiosk.po, pages.po, desk.po, display.po, ticket.po, counter.po"
            in capsys.readouterr().err)


def test_the_machinerys_problems_are_vietnamese_first_and_english_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    # Issue 16: the server's, the voice's and the printer's problems were English only.
    from shared.core.errors import StoreError
    from shared.core.system_words import said
    from shared.languages.command_line import error_words

    problem = StoreError(said("database_unopened", path="/srv/x.sqlite", problem="locked"))
    assert str(problem) == "Không mở được cơ sở dữ liệu /srv/x.sqlite: locked"
    assert error_words(problem, "en") == "Cannot open the database /srv/x.sqlite: locked"
    # At the command line: a data directory that is a file cannot be used.
    where = tmp_path / "data"
    where.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("MOTCUA_LANG", "en")
    assert main(["serve", "--data-dir", str(where), "--port", "0", "--no-zeroconf"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"motcua: Cannot use the data directory {where}")
