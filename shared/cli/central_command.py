"""``motcua central``: the province's server (issue 19).

    motcua central serve --database postgresql:///motcua
    motcua central site add phuong-ben-nghe "UBND Phường Bến Nghé" --database …
    motcua central site list --database …
    motcua central report --from 2026-11-01 --to 2026-11-30 --output tinh.xlsx --database …

The database is a PostgreSQL one (docs/central.md); its tables are made and brought
up to date by ``serve`` and ``site`` themselves.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from shared.core.errors import MotcuaError

_SITE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _database(url: str | None) -> str:
    if not url:
        raise MotcuaError("Cần địa chỉ cơ sở dữ liệu PostgreSQL: --database "
                          "postgresql:///motcua (xem docs/central.md). / Give the PostgreSQL "
                          "database with --database.")
    return url


def serve(database: str | None, data_dir: Path, host: str, port: int,
          names: list[str]) -> int:
    from shared.central.server import run

    return run(_database(database), data_dir, host, port, names)


def add_site(database: str | None, site: str, name: str | None, key_file: Path | None) -> int:
    import psycopg

    from shared.central import ledger
    from shared.central.schema import migrate
    from shared.central.server import shown

    if not _SITE_ID.fullmatch(site):
        raise MotcuaError(f"{site!r}: mã điểm chỉ gồm chữ thường a-z, số và dấu gạch ngang, ví dụ "
                          "phuong-ben-nghe (như [office] id của điểm). / A site id is lower-case "
                          "letters, digits and hyphens.")
    url = _database(database)
    try:
        migrate(url)
        key = ledger.add_site(url, site, name or site)
    except psycopg.OperationalError as error:
        raise MotcuaError(f"Không kết nối được {shown(url)}: {_one_line(error)}. / Cannot "
                          "connect.") from None
    if key_file is not None:
        from shared.core.private_files import write_private

        write_private(key_file, key + "\n")
        print(f"Đã thêm điểm {site}; khoá ở {key_file} (chỉ chủ tệp đọc được): chép sang máy "
              f"chủ của điểm, ghi vào [central] key_file. / Site {site} added; its key is in "
              f"{key_file}.")
    else:
        print(f"Đã thêm điểm {site}. Khoá của điểm (chỉ hiện một lần; ghi vào tệp [central] "
              f"key_file trên máy chủ của điểm) / The site's key, shown once:\n{key}")
    return 0


def list_sites(database: str | None) -> int:
    import psycopg

    from shared.central import ledger
    from shared.central.schema import migrate
    from shared.central.server import shown

    url = _database(database)
    try:
        migrate(url)
        found = ledger.sites(url)
    except psycopg.OperationalError as error:
        raise MotcuaError(f"Không kết nối được {shown(url)}: {_one_line(error)}. / Cannot "
                          "connect.") from None
    if not found:
        print("Chưa có điểm nào (motcua central site add). / No sites yet.")
    for site in found:
        seen = f"{site.last_seen:%Y-%m-%d %H:%M}" if site.last_seen else "chưa gửi / never"
        state = (f"DỪNG: {site.broken_reason} / STOPPED" if site.broken_reason
                 else "bình thường / ok")
        print(f"{site.id:24} {site.name:32} sự kiện/events {site.last_seq:>9}  {seen}  {state}")
        beat = site.heartbeat
        if beat is not None and site.heartbeat_at is not None:
            longest = ("—" if beat.longest_wait_seconds is None
                       else f"{int(beat.longest_wait_seconds // 60)} phút")
            print(f"{'':24} lúc / at {site.heartbeat_at:%H:%M:%S}: đang chờ / waiting "
                  f"{beat.waiting} (lâu nhất / longest {longest}), quầy mở / counters open "
                  f"{beat.counters_open}/{beat.counters}, hôm nay đã cấp / issued today "
                  f"{beat.issued} số, đã phục vụ / served {beat.served}, vắng / absent "
                  f"{beat.absent}" + (f", {len(beat.alerts)} cảnh báo / alerts"
                                      if beat.alerts else ""))
        if site.published or (beat is not None and beat.config_running):
            running = beat.config_running if beat is not None else None
            pending = beat.config_pending if beat is not None else None
            refused = beat.config_problem if beat is not None else ""
            print(f"{'':24} cấu hình / configuration: chạy / running {running or '—'}, phát "
                  f"hành / published {site.published or '—'}"
                  + (f", chờ ngày sau / waiting for the next day {pending}" if pending else "")
                  + (f"; điểm từ chối / refused: {refused}" if refused else ""))
    return 0


def _one_line(error: Exception) -> str:
    """PostgreSQL's message, which spans lines, as one."""
    return " ".join(str(error).split())


def add_user(database: str | None, name: str, password_stdin: bool) -> int:
    import unicodedata

    from shared.central import ledger
    from shared.central.schema import migrate
    from shared.cli.devices_command import _password
    from shared.core.secret_hash import hash_secret

    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise MotcuaError("Tên đăng nhập: 1 đến 64 ký tự, không có dấu cách. / A user name has "
                          "1 to 64 characters and no spaces.")
    url = _database(database)
    password = unicodedata.normalize("NFC", _password(password_stdin))
    migrate(url)
    ledger.set_user(url, name, hash_secret(password))
    print(f"Tài khoản “{name}” đăng nhập được vào trang các điểm của tỉnh. / Account “{name}” "
          "can sign in to the central view.")
    return 0


def remove_user(database: str | None, name: str) -> int:
    from shared.central import ledger

    if not ledger.remove_user(_database(database), name):
        raise MotcuaError(f"Không có tài khoản “{name}”. / No account “{name}”.")
    print(f"Đã xoá tài khoản “{name}”; phiên đăng nhập của tài khoản này kết thúc ngay. / "
          f"Removed account “{name}”; its sessions end now.")
    return 0


def list_users(database: str | None) -> int:
    from shared.central import ledger
    from shared.central.schema import migrate

    url = _database(database)
    migrate(url)
    found = ledger.users(url)
    if not found:
        print("Chưa có tài khoản nào: `motcua central user add TÊN`. / No account yet.")
    for name, seen in found:
        print(f"{name:32} {f'{seen:%Y-%m-%d %H:%M}' if seen else 'chưa đăng nhập / never'}")
    return 0


def resume_site(database: str | None, site: str) -> int:
    from shared.central import ledger

    after = ledger.resume_site(_database(database), site)
    print(f"Điểm {site} được nhận nhật ký lại, tiếp sau sự kiện {after}; các sự kiện sau đó "
          f"sẽ được gửi lại và kiểm tra như thường. / Site {site} is taken again after event "
          f"{after}.")
    return 0


def publish(database: str | None, site: str | None, path: Path) -> int:
    """A new version of a site's office file (``site``), or of the province's defaults
    (None), checked with every site it changes as each will check it."""
    from shared.central import ledger
    from shared.central.schema import migrate

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise MotcuaError(f"Không đọc được {path}: {error.strerror}. / Cannot read {path}.") \
            from None
    url = _database(database)
    migrate(url)
    made = ledger.publish(url, site or ledger.DEFAULTS, text)  # ConfigError: every problem
    what = f"tệp của điểm {site} / {site}'s file" if site else \
        "tệp mặc định của tỉnh / the province's defaults"
    print(f"Đã lưu {what}.")
    for name, version in made.items():
        print(f"  {name}: cấu hình số {version}, dùng từ đầu ngày làm việc sau / version "
              f"{version}, run from its next business day")
    if not made:
        print("  Không điểm nào thay đổi. / No site's configuration changed.")
    return 0


def report(database: str | None, sites: list[str], start_text: str | None,
           end_text: str | None, output: Path | None, title: str | None) -> int:
    """The reports of the leader's desk for one site, a group, or every site."""
    import psycopg

    from shared.central import reports
    from shared.central.server import shown
    from shared.cli.report_command import check_format, period

    start, end = period(start_text, end_text)
    if output is None:
        raise MotcuaError("Cần --output TỆP.xlsx (hoặc .csv, .json). / Give --output "
                          "FILE.xlsx (or .csv, .json).")
    check_format(output)
    url = _database(database)
    try:
        made = reports.export(url, sites, start, end, output, date.today(),
                              title or reports.PROVINCE)
    except psycopg.OperationalError as error:
        raise MotcuaError(f"Không kết nối được {shown(url)}: {_one_line(error)}. / Cannot "
                          "connect.") from None
    count = len(made.sites) or 1
    print(f"{output}: {count} điểm, {made.totals['issued']} phiếu. / {count} sites, "
          f"{made.totals['issued']} tickets.")
    return 0
