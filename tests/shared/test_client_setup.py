"""Where a screen finds its server and its pairing code, and what it remembers."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from shared.core.config import load_office
from shared.core.office import Server
from shared.core.pairing import load_or_create_secret
from shared.qt.client_setup import (
    ClientSetupError,
    add_connection_arguments,
    client_id,
    pairing_code,
    server_address,
)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_connection_arguments(parser)
    return parser.parse_args(argv)


def test_a_client_id_is_made_once_and_kept() -> None:
    first = client_id("test-program-a")
    assert first.startswith("test-program-a-")
    assert client_id("test-program-a") == first
    assert client_id("test-program-a", counter=2) != first


def test_a_code_given_once_is_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTCUA_PAIRING_CODE", raising=False)
    assert pairing_code("test-program-b", parse()) is None
    assert pairing_code("test-program-b", parse("--pairing-code", "k7qh 3mxp 9rta wc2d")) == (
        "K7QH-3MXP-9RTA-WC2D"
    )
    assert pairing_code("test-program-b", parse()) == "K7QH-3MXP-9RTA-WC2D"


def test_the_local_server_code_is_found_in_its_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MOTCUA_PAIRING_CODE", raising=False)
    code = load_or_create_secret(tmp_path)
    assert pairing_code("test-program-c", parse("--data-dir", str(tmp_path))) == code


def test_server_address_from_the_command_line_or_the_config() -> None:
    office = load_office()
    assert server_address(parse("--server", "192.168.1.10:8765"), office) == (
        "192.168.1.10", 8765)
    assert server_address(parse(), office) is None  # discovery
    configured = office.__class__(**{**office.__dict__, "server": Server(host="10.0.0.2")})
    assert server_address(parse(), configured) == ("10.0.0.2", 8765)


@pytest.mark.parametrize("bad", ["localhost", "host:port", ":8765", "h:70000"])
def test_a_malformed_server_address_says_how_to_write_it(bad: str) -> None:
    with pytest.raises(ClientSetupError, match="viết địa chỉ dạng MÁY:CỔNG"):
        server_address(parse("--server", bad), load_office())
