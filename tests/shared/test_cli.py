"""The ``motcua`` command as an IT person meets it: help, the spoken sentence, errors."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared.cli.main import build_parser, main


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


def _words(text: str) -> str:
    """The help as words, whatever width argparse wrapped it to."""
    return " ".join(text.split())


def test_help_is_in_vietnamese_and_in_english_when_asked() -> None:
    # Issue 16: every line of `motcua --help` was English, argparse's own words too.
    vietnamese = motcua("--help")
    assert vietnamese.returncode == 0, vietnamese.stderr
    said = _words(vietnamese.stdout)
    assert said.startswith("Cách dùng: motcua [-h] [-v] COMMAND ...")
    assert "serve chạy máy chủ của văn phòng (nơi duy nhất quyết định số thứ tự)" in said
    assert "Tham số:" in said
    assert "Tuỳ chọn: -h, --help hiện trợ giúp này rồi thoát" in said
    assert "-v, --verbose ghi nhật ký chi tiết hơn" in said
    for english in ("usage:", "options:", "positional arguments", "run the office server",
                    "show this help"):
        assert english not in said

    english = motcua("--help", language="en")
    assert english.returncode == 0, english.stderr
    said = _words(english.stdout)
    assert said.startswith("usage: motcua [-h] [-v] COMMAND ...")
    assert "serve run the office server (the single authority)" in said
    assert "options: -h, --help show this help message and exit" in said
    assert "Cách dùng" not in said
    assert "chạy máy chủ" not in said

    assert motcua("--help", language="xx").stdout == vietnamese.stdout


@pytest.mark.parametrize(
    ("command", "vietnamese", "english"),
    [
        (["serve"], ["--host HOST địa chỉ lắng nghe (mặc định: mọi địa chỉ)",
                     "--config FILE tệp cấu hình của văn phòng (TOML)"],
         ["--host HOST address to listen on (default: all)",
          "--config FILE office configuration (TOML)"]),
        # A program's own command, and the screens' connection options (shared.qt).
        (["kiosk"], ["Màn hình cảm ứng nơi công dân lấy số thứ tự.",
                     "--server HOST:PORT địa chỉ máy chủ của văn phòng"],
         ["The touchscreen where citizens take a number.",
          "--server HOST:PORT the office server's address"]),
        # A value filled in keeps its own words in both languages.
        (["bookings"], ['tiêu đề cột trong tệp ứng với một trường, ví dụ code="Mã hồ sơ"'],
         ['the file\'s header for a field, e.g. code="Mã hồ sơ"']),
    ],
)
def test_a_commands_help_is_in_the_command_lines_language(
        command: list[str], vietnamese: list[str], english: list[str]) -> None:
    for language, usage, options, wanted, unwanted in (
            ("", "Cách dùng:", "Tuỳ chọn: -h, --help hiện trợ giúp này rồi thoát", vietnamese,
             english),
            ("en", "usage:", "options: -h, --help show this help message and exit", english,
             vietnamese)):
        said = motcua(*command, "--help", language=language)
        assert said.returncode == 0, said.stderr
        words = _words(said.stdout)
        assert words.startswith(f"{usage} motcua {command[0]} [-h]")
        assert options in words
        for line in wanted:
            assert line in words
        for line in unwanted:
            assert line not in words


VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def test_every_help_text_is_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    """No English `help=` or `description=` left in a command (the counter's own options
    excepted while its command is being reworded)."""
    monkeypatch.delenv("MOTCUA_LANG", raising=False)
    english: list[str] = []

    def look(parser: argparse.ArgumentParser, name: str) -> None:
        texts = [parser.description] + [a.help for a in parser._actions]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                texts += [c.help for c in action._choices_actions if c.dest != "counter"]
                for command, subparser in action.choices.items():
                    if command != "counter":
                        look(subparser, f"{name} {command}")
        english.extend(f"{name}: {text}" for text in texts
                       if text and text != argparse.SUPPRESS
                       and not VIETNAMESE_LETTERS & set(text.lower()))

    look(build_parser(), "motcua")
    assert english == []


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
    assert capsys.readouterr().err == ("motcua: Ngày --to 2026-12-01 sớm hơn ngày --from "
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


def test_a_wrong_option_value_is_one_plain_line_in_the_readers_language() -> None:
    result = motcua("kiosk", "--size", "10x10")
    assert result.returncode == 2
    assert result.stderr == ("motcua: lệnh chưa đúng: argument --size: '10x10': viết kích thước "
                             "dạng RỘNGxCAO, như 1920x1080 hoặc 1080x1920 — xem `motcua kiosk "
                             "--help`\n")
    english = motcua("kiosk", "--size", "10x10", language="en")
    assert english.stderr.startswith("motcua: wrong command: argument --size: '10x10': write "
                                     "the size as WIDTHxHEIGHT")
