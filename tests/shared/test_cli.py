"""The ``motcua`` command as an IT person meets it: help, the spoken sentence, errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared.cli.main import main


def motcua(*args: str, language: str = "") -> subprocess.CompletedProcess[str]:
    command = shutil.which("motcua", path=str(Path(sys.executable).parent))
    assert command is not None, "the console script is installed with the package"
    environment = {k: v for k, v in os.environ.items() if k != "MOTCUA_LANG"}
    if language:
        environment["MOTCUA_LANG"] = language
    return subprocess.run([command, *args], capture_output=True, text=True, check=False,
                          timeout=60, env=environment)


def test_help_lists_the_subcommands() -> None:
    result = motcua("--help")
    assert result.returncode == 0
    for name in ("serve", "pair", "speak", "check-config"):
        assert name in result.stdout


@pytest.mark.parametrize(
    ("number", "counter", "sentence"),
    [
        ("A023", "3", "Xin mời công dân có số thứ tự a không hai ba đến quầy số ba"),
        ("B105", "4", "Xin mời công dân có số thứ tự bê một không năm đến quầy số bốn"),
    ],
)
def test_speak_text_prints_the_sentence(number: str, counter: str, sentence: str) -> None:
    result = motcua("speak", number, "--counter", counter, "--text")
    assert result.returncode == 0, result.stderr
    assert result.stdout == sentence + "\n"


def test_speak_for_an_unknown_counter_says_which_exist() -> None:
    result = motcua("speak", "A023", "--counter", "9", "--text")
    assert result.returncode == 2
    assert result.stderr == "motcua: Văn phòng không có quầy 9 (có: 1, 2, 3, 4).\n"
    english = motcua("speak", "A023", "--counter", "9", "--text", language="en")
    assert english.stderr == "motcua: No counter 9 in this office (counters: 1, 2, 3, 4).\n"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("number", ["", "A-23", "AB12", "A", "A 12"])
def test_speak_a_malformed_number_is_one_plain_line(
    number: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 16: these printed a Python traceback.
    assert main(["speak", number, "--counter", "1", "--text"]) == 2
    said = capsys.readouterr()
    assert said.out == ""
    [line] = said.err.splitlines()
    assert line.startswith(f"motcua: Số thứ tự “{number}” không đọc được")
    assert "như A023 hoặc 1023" in line


def test_a_broken_config_names_file_key_and_problem(tmp_path: Path) -> None:
    broken = tmp_path / "office.toml"
    broken.write_text(
        '[office]\nid = "x"\nname = "X"\n\n[[services]]\ncode = "A"\nname = "A"\n'
        'name_en = "A"\ndaily_cap = "many"\n\n[[counters]]\nnumber = 1\nservices = ["A"]\n',
        encoding="utf-8",
    )
    result = motcua("check-config", "--config", str(broken))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # Issue 16: the problems were English only. Vietnamese first; English when asked.
    assert result.stderr == (f"motcua: {broken}, dòng 9: services[1].daily_cap: phải là một "
                             "số nguyên, không phải văn bản ('many')\n")
    english = motcua("check-config", "--config", str(broken), language="en")
    assert english.stderr == (f"motcua: {broken}, line 9: services[1].daily_cap: must be a "
                              "whole number, not text ('many')\n")
    unknown = motcua("check-config", "--config", str(broken), language="xx")
    assert unknown.stderr == result.stderr


def test_the_default_office_checks_out() -> None:
    result = motcua("check-config")
    assert result.returncode == 0
    assert "UBND Phường Mẫu" in result.stdout


def test_the_command_line_speaks_english_when_asked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Issue 16: Vietnamese first, English on request (MOTCUA_LANG), from the catalogues.
    wrong = ["report", "--from", "2026-12-05", "--to", "2026-12-01",
             "--output", str(tmp_path / "r.xlsx"), "--data-dir", str(tmp_path)]
    assert main(wrong) == 2
    assert capsys.readouterr().err == ("motcua: --to 2026-12-01 đứng trước --from "
                                       "2026-12-05.\n")
    monkeypatch.setenv("MOTCUA_LANG", "en")
    assert main(wrong) == 2
    assert capsys.readouterr().err == "motcua: --to 2026-12-01 comes before --from 2026-12-05.\n"
    assert main(["check-config"]) == 0
    assert capsys.readouterr().out == "UBND Phường Mẫu (phuong-mau): 6 services, 4 counters — OK\n"
    monkeypatch.setenv("MOTCUA_LANG", "vi")
    assert main(["check-config"]) == 0
    assert capsys.readouterr().out == ("UBND Phường Mẫu (phuong-mau): 6 dịch vụ, 4 quầy — tệp "
                                       "dùng được\n")
