"""``motcua display``: its options, and plain words for a mistake a person can fix."""

from __future__ import annotations

import pytest

from shared.cli.main import build_parser, main


def test_the_display_command_takes_its_options() -> None:
    args = build_parser().parse_args(
        ["display", "--windowed", "--portrait", "--no-voice", "--server", "10.0.0.5:8765",
         "--pairing-code", "K7QH-3MXP-9RTA-WC2D"])
    assert (args.windowed, args.portrait, args.no_voice) == (True, True, True)
    assert args.server == "10.0.0.5:8765"
    assert args.pairing_code == "K7QH-3MXP-9RTA-WC2D"
    plain = build_parser().parse_args(["display"])
    assert (plain.windowed, plain.portrait, plain.no_voice) == (False, False, False)


def test_a_wrong_server_address_is_a_plain_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["display", "--server", "somewhere"]) == 2
    assert "MÁY:CỔNG" in capsys.readouterr().err


def test_the_display_speaks_a_language_it_has_a_catalogue_for(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert build_parser().parse_args(["display", "--language", "en"]).language == "en"
    assert main(["display", "--language", "xx"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--language xx: màn hình chỉ có vi, en" in err
    assert len(err.splitlines()) == 1
