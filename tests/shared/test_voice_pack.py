"""The office's own voice (issue 14, part 3): which phrases an office needs, a pack that
has them passes `motcua voice check`, an announcement assembled from it has the
expected length, no clipping and the configured loudness (measured from the samples),
and a phrase the pack lacks is synthesised — never silent. eSpeak NG's real WAVs stand
in for the clips a staff member would record."""

from __future__ import annotations

import shutil
from array import array
from dataclasses import replace
from pathlib import Path

import pytest

from shared.cli.main import main
from shared.core.office import Announcement, Counter, Office, Reading, Service, Voice
from shared.voice.announcement_audio import (
    read_mono16,
    rms_dbfs,
    wav_duration,
    write_mono16,
)
from shared.voice.chime import chime_path
from shared.voice.speech import EspeakNgSpeechEngine
from shared.voice.voice_pack import (
    RATE,
    VoicePack,
    VoicePackEngine,
    check,
    clip_name,
    clip_problems,
    load_pack,
    needed,
    save_pack,
    trimmed,
)

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="needs eSpeak NG (apt install espeak-ng)")

OFFICE = Office(
    id="test", name="Test",
    services=(Service("A", "Hộ tịch", "Civil status", prefix="A", daily_cap=30),
              Service("B", "Chứng thực", "Certification", prefix="B", daily_cap=30)),
    counters=(Counter(1, "Quầy 1", ("A",)), Counter(2, "Quầy 2", ("B",)),
              Counter(3, "Quầy 3", ("A", "B"))),
)


def test_an_office_needs_its_template_its_numbers_and_its_letters() -> None:
    texts = {p.text for p in needed(OFFICE)}
    assert {"xin mời công dân có số thứ tự", "đến quầy số", "số", "đến quầy"} <= texts
    assert {"a", "bê"} <= texts
    assert {"không", "một", "hai", "ba", "chín"} <= texts  # digit by digit
    assert "mươi" not in texts

    whole = replace(OFFICE, announcement=Announcement(reading=Reading.WHOLE))
    texts = {p.text for p in needed(whole)}
    assert {"mười", "mươi", "lăm", "mốt"} <= texts  # 15, 21: "mười lăm", "hai mươi mốt"
    southern = replace(OFFICE, announcement=Announcement(reading=Reading.WHOLE, southern=True),
                       services=(replace(OFFICE.services[0], daily_cap=None),),
                       counters=(Counter(105, "Quầy 105", ("A",)),))
    texts = {p.text for p in needed(southern)}
    assert "lẻ" in texts  # 105: "một trăm lẻ năm", the counter too
    assert "linh" not in texts
    named = replace(OFFICE, announcement=Announcement(
        template="Mời số {number} đến {tên quầy}"))
    assert "quầy một" in {p.text for p in needed(named)}  # its name, its number read out


def record(folder: Path, phrases: list[str], engine: EspeakNgSpeechEngine) -> VoicePack:
    """A pack as the recorder would leave it: each phrase said, silences trimmed."""
    clips = {}
    folder.mkdir(parents=True, exist_ok=True)
    for phrase in phrases:
        path = folder / clip_name(phrase)
        engine.synthesize(phrase, path)
        rate, samples = read_mono16(path)
        write_mono16(trimmed(samples, rate), rate, path)
        clips[phrase] = path.name
    return save_pack(folder, "Giọng thử", clips)


class Heard:
    """A synthesis engine that notes what it is asked to say."""

    def __init__(self, engine: EspeakNgSpeechEngine) -> None:
        self.engine = engine
        self.said: list[str] = []

    def synthesize(self, text: str, wav_path: Path) -> None:
        self.said.append(text)
        self.engine.synthesize(text, wav_path)


@needs_espeak
def test_a_complete_pack_passes_the_check_and_makes_the_announcement(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    espeak = EspeakNgSpeechEngine(Voice())
    pack = record(tmp_path / "pack", [p.text for p in needed(OFFICE)], espeak)
    result = check(pack, OFFICE)
    assert (result.missing, result.faulty) == ([], {})
    config = tmp_path / "office.toml"
    config.write_text(CONFIG, encoding="utf-8")
    assert main(["voice", "check", str(pack.folder), "--config", str(config)]) == 0
    assert "Đủ và tốt" in capsys.readouterr().out

    assert_announcement(pack.folder, config, tmp_path)


CONFIG = (
    '[office]\nid = "test"\nname = "Test"\n[[services]]\ncode = "A"\nname = "Hộ tịch"\n'
    'name_en = "Civil status"\ndaily_cap = 30\n[[services]]\ncode = "B"\n'
    'name = "Chứng thực"\nname_en = "Certification"\ndaily_cap = 30\n'
    '[[counters]]\nnumber = 1\nservices = ["A"]\n[[counters]]\nnumber = 2\n'
    'services = ["B"]\n[[counters]]\nnumber = 3\nservices = ["A", "B"]\n')


def assert_announcement(folder: Path, config: Path, tmp_path: Path) -> None:
    """`motcua speak A023 --counter 3 --voice-pack` from the pack: every word from its
    clips, short pauses only, said twice after the chime, no peak over -1 dBFS, and the
    speech at the office's loudness, measured from the samples."""
    out = tmp_path / "a023.wav"
    assert main(["speak", "A023", "--counter", "3", "--wav", str(out), "--voice-pack",
                 str(folder), "--config", str(config)]) == 0
    espeak = EspeakNgSpeechEngine(Voice())
    heard = Heard(espeak)
    pack = load_pack(folder)
    sentence = tmp_path / "sentence.wav"
    VoicePackEngine(pack, heard).synthesize(
        "Xin mời công dân có số thứ tự a không hai ba đến quầy số ba", sentence)
    assert heard.said == []  # every word from the pack
    clips = ["xin mời công dân có số thứ tự", "a", "không", "hai", "ba", "đến quầy số", "ba"]
    spoken = sum(len(trimmed(*reversed(read_mono16(pack.clips[c])))) for c in clips) / RATE
    assert spoken < wav_duration(sentence) < spoken + 8 * 0.07 + 0.5  # short pauses only
    rate, samples = read_mono16(out)
    chime = wav_duration(chime_path())
    speech = wav_duration(sentence)
    assert wav_duration(out) == pytest.approx(chime + 2 * speech + 1.0, abs=0.05)  # twice
    assert max(abs(s) for s in samples) < 32768 * 10 ** (-1 / 20) + 1  # no peak over -1 dBFS
    said = samples[round(chime * rate):round((chime + speech) * rate)]
    assert rms_dbfs(said) == pytest.approx(-20.0, abs=0.6)  # the office's loudness


@needs_espeak
def test_a_phrase_the_pack_lacks_is_synthesised_never_silent(tmp_path: Path) -> None:
    espeak = EspeakNgSpeechEngine(Voice())
    phrases = [p.text for p in needed(OFFICE) if p.text != "ba"]
    pack = record(tmp_path / "pack", phrases, espeak)
    assert [p.text for p in check(pack, OFFICE).missing] == ["ba"]
    heard = Heard(espeak)
    out = tmp_path / "sentence.wav"
    VoicePackEngine(pack, heard).synthesize(
        "Xin mời công dân có số thứ tự a không hai ba đến quầy số ba", out)
    assert heard.said == ["ba", "ba"]  # only what it lacks
    assert clip_problems(out) == []  # no long silence where "ba" would be


def test_the_check_names_quiet_clipped_and_silent_clips(tmp_path: Path) -> None:
    rate = RATE
    tone = array("h", (round(8000 * ((i // 20) % 2 * 2 - 1)) for i in range(rate // 2)))
    silence = array("h", bytes(2 * rate))
    write_mono16(tone, rate, tmp_path / "good.wav")
    write_mono16(array("h", (s // 100 for s in tone)), rate, tmp_path / "quiet.wav")
    write_mono16(array("h", (32767 if s > 0 else -32768 for s in tone)), rate,
                 tmp_path / "loud.wav")
    write_mono16(tone + silence + tone, rate, tmp_path / "gap.wav")
    write_mono16(silence + tone, rate, tmp_path / "late.wav")
    assert clip_problems(tmp_path / "good.wav") == []
    assert clip_problems(tmp_path / "quiet.wav")[0].startswith("quá nhỏ")
    assert clip_problems(tmp_path / "loud.wav") == ["bị rè (chạm mức tối đa; ghi lại nhỏ hơn)"]
    assert clip_problems(tmp_path / "gap.wav") == ["có đoạn im lặng dài 1.0 s giữa câu"]
    assert clip_problems(tmp_path / "late.wav")[0].startswith("im lặng ở đầu hoặc cuối")


def test_words_with_the_same_letters_have_clips_of_their_own() -> None:
    assert clip_name("mười") != clip_name("mươi")
    assert clip_name("một") != clip_name("mốt")
    assert clip_name("mười").startswith("muoi-")


def test_names_are_asked_for_as_a_sentence_is_cut() -> None:
    named = replace(OFFICE, announcement=Announcement(template="Mời số {number} đến {tên quầy}"),
                    counters=(Counter(1, "Quầy 1: Hộ tịch, chứng thực", ("A", "B")),))
    texts = {p.text for p in needed(named)}
    assert {"quầy một", "hộ tịch", "chứng thực"} <= texts


@needs_espeak
def test_an_unreadable_or_silent_clip_is_said_by_synthesis(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "float.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x03\x00"
                                       b"\x01\x00\x22\x56\x00\x00\x88\x58\x01\x00\x04\x00\x20"
                                       b"\x00data\x00\x00\x00\x00")  # 32-bit float: unreadable
    write_mono16(array("h", bytes(2 * RATE)), RATE, folder / "quiet.wav")
    pack = save_pack(folder, "Hỏng", {"hai": "float.wav", "ba": "quiet.wav"})
    heard = Heard(EspeakNgSpeechEngine(Voice()))
    out = tmp_path / "s.wav"
    VoicePackEngine(pack, heard).synthesize("hai ba", out)
    assert heard.said == ["hai", "ba"]  # neither word lost
    assert wav_duration(out) > 0.4
