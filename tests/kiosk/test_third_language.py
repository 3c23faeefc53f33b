"""An office adds a language to the kiosk with a catalogue and no code: the language
button goes through Vietnamese, English and the new language, and the kiosk speaks
it wherever the catalogue has the words (Vietnamese where it has not)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import texts
from shared.languages.catalogue import FOLDER_VARIABLE
from tests.kiosk.conftest import WAIT, MakeKiosk, tap
from tests.kiosk.test_spoken_guidance import HeardPlayer, SaidEngine, needs_espeak

# Only the format is shown here: the words of a real catalogue come from a Hmong speaker.
HMONG = '''msgid ""
msgstr ""
"Language: hmn\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "language_name"
msgid "Tiếng Việt"
msgstr "Lus Hmoob"

msgctxt "take_number"
msgid "Lấy số thứ tự"
msgstr "Txais tus naj npawb"

msgctxt "choose_field"
msgid "Mời chọn lĩnh vực cần giải quyết"
msgstr "Thov xaiv ib yam haujlwm"

msgctxt "name"
msgid "Tư pháp – Chứng thực"
msgstr "Kev cai lij choj – Lees paub"

msgctxt "back"
msgid "‹  Quay lại"
msgstr "‹  Rov qab {page}"
'''


@pytest.fixture
def office_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An office's languages folder, named by MOTCUA_LANGUAGES, holding hmn/kiosk.po."""
    (tmp_path / "hmn").mkdir()
    (tmp_path / "hmn" / "kiosk.po").write_text(HMONG, encoding="utf-8")
    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path))
    texts.CATALOGUE.reload()  # as the kiosk program, started after the file was put there
    yield tmp_path
    monkeypatch.delenv(FOLDER_VARIABLE)
    texts.CATALOGUE.reload()


def test_a_catalogue_in_the_offices_folder_adds_a_language_to_the_kiosk(
    qtbot: QtBot, make_kiosk: MakeKiosk, office_language: Path,
) -> None:
    rig = make_kiosk()
    switch, header = rig.window.header.language, rig.window.header
    assert texts.languages() == ["vi", "en", "hmn"]
    assert switch.text() == "English"
    tap(qtbot, switch)
    assert switch.text() == "Lus Hmoob"  # the next language, named in itself
    tap(qtbot, switch)

    assert rig.controller.language == "hmn"
    assert header.tagline.text() == "Txais tus naj npawb"
    assert rig.controller.menu.title == "Thov xaiv ib yam haujlwm"
    shown = rig.texts()
    assert any("Kev cai lij choj – Lees paub" in text for text in shown), shown  # the office's name
    assert any("Xã hội – Cư trú" in text for text in shown), shown  # no translation: Vietnamese
    assert switch.text() == "Tiếng Việt"  # round to the first

    rig.controller.choose("field:TP")
    # The translator's "{page}" does not match the Vietnamese: that entry is left out.
    assert rig.window.menu_page.back.text() == "‹  Quay lại"
    tap(qtbot, switch)
    assert rig.controller.language == "vi"
    assert header.tagline.text() == "Lấy số thứ tự"


def test_without_the_catalogue_the_kiosk_has_its_two_languages(
    qtbot: QtBot, make_kiosk: MakeKiosk, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(FOLDER_VARIABLE, raising=False)
    texts.CATALOGUE.reload()
    rig = make_kiosk()
    assert texts.languages() == ["vi", "en"]
    tap(qtbot, rig.window.header.language)
    tap(qtbot, rig.window.header.language)
    assert rig.controller.language == "vi"


@needs_espeak
def test_the_voice_reads_a_language_it_does_not_speak_in_vietnamese(
    qtbot: QtBot, make_kiosk: MakeKiosk, office_language: Path,
) -> None:
    engine, player = SaidEngine(), HeardPlayer()
    languages: list[str] = []

    def speech(language: str) -> SaidEngine:
        languages.append(language)
        return engine

    rig = make_kiosk(speech=speech, player=player)
    tap(qtbot, rig.window.header.language)
    tap(qtbot, rig.window.header.language)
    assert rig.controller.language == "hmn"
    tap(qtbot, rig.window.header.read_aloud)

    qtbot.waitUntil(lambda: len(player.played) == 1, timeout=WAIT)
    assert engine.said[0].startswith("Mời chọn lĩnh vực cần giải quyết.")
    assert "Số 1: Tư pháp – Chứng thực." in engine.said[0]
    assert languages[-1] == "vi"
