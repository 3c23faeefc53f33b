"""The ``motcua`` command: one entry point, one subcommand per job.

Parses arguments and hands over to the module that does the work; heavy imports
(aiohttp, Qt) happen inside the subcommand that needs them, so ``motcua --help``
and ``motcua speak --text`` start instantly.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, NoReturn

from shared.cli.log_file import FORMAT
from shared.cli.words import say
from shared.core.errors import MotcuaError
from shared.languages.command_line import error_words, language

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    import platformdirs

    return platformdirs.user_data_path("motcua", appauthor=False)


def _office(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from shared.core.config import load_office

    return load_office(args.config)


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="office configuration (TOML); default: the embedded sample ward",
    )


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=None, metavar="DIR",
        help=f"where the database and the pairing code live (default: {default_data_dir()})",
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from shared.server.server import run

    office = _office(args)
    port = args.port if args.port is not None else office.server.port
    data_dir = args.data_dir or default_data_dir()
    desk = (args.desk_port if args.desk_port is not None else office.desk.port) \
        if office.desk.enabled else None
    return run(office, data_dir, args.host, port, not args.no_zeroconf, desk,
               args.config.resolve().parent if args.config else None)


def cmd_pair(args: argparse.Namespace) -> int:
    from shared.core.pairing import read_secret, replace_secret

    data_dir = args.data_dir or default_data_dir()
    print(replace_secret(data_dir) if args.new else read_secret(data_dir))
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from shared.cli import devices_command

    data_dir = args.data_dir or default_data_dir()
    if args.action == "list":
        return devices_command.list_devices(data_dir)
    if args.device is None:
        raise MotcuaError(say("device_id_needed", action=args.action))
    if args.action == "revoke":
        return devices_command.revoke(data_dir, args.device)
    return devices_command.allow(data_dir, args.device)


def cmd_report(args: argparse.Namespace) -> int:
    from shared.cli.report_command import make_report

    return make_report(_office(args), args.data_dir or default_data_dir(), args.start,
                       args.end, args.output)


def cmd_audit(args: argparse.Namespace) -> int:
    from shared.server.audit import audit_day, vietnamese
    from shared.server.server import DATABASE_FILE

    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        raise MotcuaError(say("bad_day", day=args.day)) from None
    data_dir = args.data_dir or default_data_dir()
    report = audit_day(_office(args), data_dir / DATABASE_FILE, day)
    print(vietnamese(report))
    return 0 if report.clean else 1


def cmd_admins(args: argparse.Namespace) -> int:
    from shared.cli import devices_command

    data_dir = args.data_dir or default_data_dir()
    if args.action == "list":
        return devices_command.list_devices(data_dir)
    if args.name is None:
        raise MotcuaError(say("admin_name_needed", action=args.action))
    if args.action == "add":
        return devices_command.add_admin(_office(args), data_dir, args.name,
                                         password_stdin=args.password_stdin)
    return devices_command.remove_admin(data_dir, args.name)


def cmd_user(args: argparse.Namespace) -> int:
    from shared.cli import user_command

    data_dir = args.data_dir or default_data_dir()
    if args.action == "list":
        return user_command.list_users(data_dir)
    if args.name is None:
        raise MotcuaError(say("user_name_needed", action=args.action))
    if args.action == "add":
        return user_command.add_user(data_dir, args.name, args.role,
                                     password_stdin=args.password_stdin)
    return user_command.remove_user(data_dir, args.name)


def cmd_officials(args: argparse.Namespace) -> int:
    from shared.cli import officials_command
    from shared.server.server import DATABASE_FILE

    data_dir = args.data_dir or default_data_dir()
    office = _office(args)
    if args.action == "list":
        return officials_command.list_officials(office, data_dir, data_dir / DATABASE_FILE)
    if args.official is None:
        raise MotcuaError(say("official_id_needed", action=args.action))
    if args.action == "pin":
        return officials_command.set_pin(office, data_dir, args.official,
                                         pin_stdin=args.pin_stdin)
    return officials_command.remove_pin(office, data_dir, args.official)


def cmd_bookings(args: argparse.Namespace) -> int:
    from shared.cli import bookings_command as command

    data_dir = args.data_dir or default_data_dir()
    if args.action == "import":
        if args.target is None:
            raise MotcuaError(say("bookings_file_needed"))
        return command.import_file(_office(args), data_dir, Path(args.target),
                                   command.columns_given(args.column), args.sheet)
    if args.action == "list":
        office = _office(args)
        day = office.local_time(datetime.now().astimezone()).date()
        if args.target is not None:
            try:
                day = date.fromisoformat(args.target)
            except ValueError:
                raise MotcuaError(say("not_a_day", text=args.target)) from None
        return command.list_day(office, data_dir, day)
    if args.target is None or (args.name is None and args.target != "list"):
        raise MotcuaError(say("bookings_key_how"))
    if args.target == "list":
        return command.list_keys(data_dir)
    if args.target == "add":
        return command.add_key(data_dir, args.name)
    if args.target == "remove":
        return command.remove_key(data_dir, args.name)
    raise MotcuaError(say("bookings_key_what", target=args.target))


def cmd_demo(args: argparse.Namespace) -> int:
    from shared.cli.demo import run

    return run(args.data_dir)


def cmd_languages(args: argparse.Namespace) -> int:
    from shared.cli import languages_command as command

    if args.action == "list":
        return command.list_languages()
    if args.file is None:
        raise MotcuaError(say("languages_file_needed"))
    return command.check(args.file)


def cmd_central(args: argparse.Namespace) -> int:
    from shared.cli import central_command as command

    if args.action == "serve":
        data_dir = args.data_dir or default_data_dir() / "central"
        return command.serve(args.database, data_dir, args.host, args.port, args.name_for_sites)
    if args.action == "config":
        if args.what == "publish" and args.province_defaults and not args.site:
            return command.publish(args.database, None, args.province_defaults)
        if args.what != "publish" or args.province_defaults or not args.site or not args.name:
            raise MotcuaError(say("publish_how"))
        return command.publish(args.database, args.site, Path(args.name))
    if args.action == "report":
        return command.report(args.database, args.sites, args.start, args.end, args.output,
                              args.title)
    if args.action == "user":
        if args.what == "list":
            return command.list_users(args.database)
        if not args.site:
            raise MotcuaError(say("central_user_needed", what=args.what))
        if args.what == "add":
            return command.add_user(args.database, args.site, args.password_stdin)
        return command.remove_user(args.database, args.site)
    if args.what == "add":
        if not args.site:
            raise MotcuaError(say("site_id_needed", what=args.what))
        return command.add_site(args.database, args.site, args.name, args.key_file)
    if args.what == "resume":
        if not args.site:
            raise MotcuaError(say("site_id_needed", what=args.what))
        return command.resume_site(args.database, args.site)
    if args.what == "remove":
        raise MotcuaError(say("site_remove"))
    return command.list_sites(args.database)


def cmd_speak(args: argparse.Namespace) -> int:
    from shared.core.reading import announcement_text

    office = _office(args)
    counter = office.counter(args.counter)
    if counter is None:
        known = ", ".join(str(c.number) for c in office.counters)
        raise MotcuaError(say("no_such_counter", counter=args.counter, known=known))
    try:
        text = announcement_text(office.announcement, args.number, counter)
    except ValueError:
        raise MotcuaError(say("unreadable_number", number=args.number)) from None
    if args.text:
        print(text)
        return 0
    from shared.cli.speak_command import speak

    if args.voice_pack is not None:
        office = dataclasses.replace(office, voice=dataclasses.replace(
            office.voice, pack=str(args.voice_pack)))
    return speak(office, args.number, args.counter, wav=args.wav)



def cmd_print_test(args: argparse.Namespace) -> int:
    from shared.printing.print_test import print_test

    return print_test(_office(args), args.printer, args.width_dots)


def cmd_check_config(args: argparse.Namespace) -> int:
    office = _office(args)
    print(say("config_ok", name=office.name, id=office.id, services=len(office.services),
              counters=len(office.counters)))
    return 0


def _add_program_commands(commands: Any) -> None:
    """The screens (kiosk, counter, display) add their own subcommands.

    They are found through the ``motcua.commands`` entry points, so that this
    module never imports a program: each entry point is a ``register(commands)``
    function in a light module that imports Qt only when its command runs.
    """
    for entry in sorted(entry_points(group="motcua.commands"), key=lambda e: e.name):
        try:
            register = entry.load()
        except ImportError as problem:
            print(say("cannot_load", name=entry.name, problem=problem), file=sys.stderr)
            continue
        register(commands)


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one plain line, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"motcua: lệnh chưa đúng / wrong command: {message} — xem / see "
                     f"`{self.prog} --help`\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="motcua",
        description="Queue tickets, counter calls and hall announcements for một cửa offices.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the office server (the single authority)")
    _add_config(serve)
    _add_data_dir(serve)
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--port", type=int, default=None,
                       help="TCP port (default: [server] port of the config, 8765)")
    serve.add_argument("--desk-port", type=int, default=None, metavar="PORT",
                       help="the leader's desk's HTTPS port (default: [desk] port, 8766)")
    serve.add_argument("--no-zeroconf", action="store_true",
                       help="do not advertise on the LAN (clients then need host:port)")
    serve.set_defaults(run=cmd_serve, log_level=logging.INFO)

    pair = commands.add_parser(
        "pair", help="show the office's pairing code (used once by each device to enrol)"
    )
    what = pair.add_mutually_exclusive_group(required=True)
    what.add_argument("--show", action="store_true",
                      help="print the pairing code alone on standard output")
    what.add_argument("--new", action="store_true",
                      help="replace the code now (enrolled devices keep working) and print it")
    _add_data_dir(pair)
    pair.set_defaults(run=cmd_pair)

    devices = commands.add_parser(
        "devices", help="list the enrolled kiosks, counters and displays; revoke one"
    )
    devices.add_argument("action", choices=("list", "revoke", "allow"),
                         help="list; revoke ID (disconnect and refuse it); allow ID (let a "
                         "revoked device enrol again)")
    devices.add_argument("device", nargs="?", metavar="ID", help="the device's id, as listed")
    _add_data_dir(devices)
    devices.set_defaults(run=cmd_devices)

    report = commands.add_parser(
        "report", help="how the office served, over a period: Excel (.xlsx), .csv or .json"
    )
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--output", required=True, type=Path, metavar="FILE",
                        help="report.xlsx, report.csv or report.json: the extension decides")
    _add_config(report)
    _add_data_dir(report)
    report.set_defaults(run=cmd_report)

    audit = commands.add_parser(
        "audit", help="check a day's log: unaltered, and every call the one the rules said"
    )
    audit.add_argument("--day", required=True, metavar="YYYY-MM-DD", help="the business day")
    _add_config(audit)
    _add_data_dir(audit)
    audit.set_defaults(run=cmd_audit)

    admins = commands.add_parser(
        "admins", help="add or remove an admin (who signs in with their own password)"
    )
    admins.add_argument("action", choices=("add", "remove", "list"))
    admins.add_argument("name", nargs="?", metavar="NAME", help="the admin's sign-in name")
    admins.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    _add_config(admins)
    _add_data_dir(admins)
    admins.set_defaults(run=cmd_admins)

    user = commands.add_parser(
        "user", help="accounts of the leader's desk in the browser (leader or admin)"
    )
    user.add_argument("action", choices=("add", "remove", "list"))
    user.add_argument("name", nargs="?", metavar="NAME", help="the sign-in name")
    user.add_argument("--role", choices=("leader", "admin"), default="leader",
                      help="leader (sees the desk) or admin (also manages it)")
    user.add_argument("--password-stdin", action="store_true",
                      help="read the password from the first line of standard input")
    _add_data_dir(user)
    user.set_defaults(run=cmd_user)

    officials = commands.add_parser(
        "officials", help="list the officials, or set an official's PIN for the counters"
    )
    officials.add_argument("action", choices=("list", "pin", "remove-pin"))
    officials.add_argument("official", nargs="?", metavar="ID",
                           help="the official's id, as in the office file's [[officials]]")
    officials.add_argument("--pin-stdin", action="store_true",
                           help="read the PIN from the first line of standard input")
    _add_config(officials)
    _add_data_dir(officials)
    officials.set_defaults(run=cmd_officials)

    bookings = commands.add_parser(
        "bookings", help="take bookings from a CSV or XLSX file, list a day's, and the API's keys"
    )
    bookings.add_argument("action", choices=("import", "list", "key"))
    bookings.add_argument("target", nargs="?", metavar="FILE|DAY|add|remove|list",
                          help="import: the file; list: the day (default today); key: add, "
                          "remove or list")
    bookings.add_argument("name", nargs="?", metavar="NAME",
                          help="key add/remove: the name of the system that sends bookings")
    bookings.add_argument("--column", action="append", default=[], metavar="FIELD=HEADER",
                          help="the file's header for a field, e.g. code=\"Mã hồ sơ\" "
                          "(see docs/bookings.md)")
    bookings.add_argument("--sheet", default=None, help="XLSX: the sheet (default: the first)")
    _add_config(bookings)
    _add_data_dir(bookings)
    bookings.set_defaults(run=cmd_bookings)

    central = commands.add_parser(
        "central", help="the province's server: the sites' logs on PostgreSQL (docs/central.md)")
    central.add_argument("action", choices=("serve", "site", "user", "config", "report"))
    central.add_argument("what", nargs="?", choices=("add", "list", "remove", "resume",
                                                     "publish"),
                         default="list",
                         help="site: add a site (its key is shown once), list them, or resume "
                         "a stopped one; user: add, list or remove an account of the central "
                         "view")
    central.add_argument("site", nargs="?", metavar="ID|USER",
                         help="site add: the site's id, as its [office] id; user: the name")
    central.add_argument("name", nargs="?",
                         help="site add: the site's name; config publish: the office file")
    central.add_argument("--database", default=os.environ.get("MOTCUA_CENTRAL_DATABASE"),
                         metavar="URL", help="the PostgreSQL database, e.g. "
                         "postgresql:///motcua (default: $MOTCUA_CENTRAL_DATABASE)")
    central.add_argument("--defaults", dest="province_defaults", type=Path, default=None,
                         metavar="FILE", help="config publish: the province's defaults, under "
                         "every site's own file")
    central.add_argument("--password-stdin", action="store_true",
                         help="user add: read the password from the first line of stdin")
    central.add_argument("--key-file", type=Path, default=None, metavar="FILE",
                         help="site add: write the key to FILE (0600) instead of showing it")
    central.add_argument("--host", default="0.0.0.0", help="serve: the address to listen on")
    central.add_argument("--port", type=int, default=8770, help="serve: the HTTPS port")
    central.add_argument("--name", dest="name_for_sites", action="append", default=[],
                         metavar="NAME", help="serve: a name or address the sites reach it by "
                         "(trung-tam.tinh.gov.vn, 10.0.0.5), for its certificate; repeatable")
    central.add_argument("--site", dest="sites", action="append", default=[], metavar="ID",
                         help="report: a site to report on, repeatable (none: every site)")
    central.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="report: first day")
    central.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="report: last day")
    central.add_argument("--output", type=Path, metavar="FILE",
                         help="report: tinh.xlsx, .csv or .json: the extension decides")
    central.add_argument("--title", metavar="NAME", help="report of several sites: the "
                         "reporting body on its letterhead, e.g. \"UBND tỉnh Mẫu\"")
    _add_data_dir(central)
    central.set_defaults(run=cmd_central, log_level=logging.INFO)

    languages = commands.add_parser(
        "languages", help="the languages each program speaks; check a translator's catalogue")
    languages.add_argument("action", choices=("list", "check"))
    languages.add_argument("file", nargs="?", type=Path, metavar="CODE/PROGRAM.po",
                           help="check: the catalogue, e.g. hmn/kiosk.po (docs/languages.md)")
    languages.set_defaults(run=cmd_languages)

    demo = commands.add_parser(
        "demo", help="a whole office on this screen: server, kiosk, two counters, display"
    )
    demo.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                      help="keep the demo's database here (default: a fresh temporary one)")
    demo.set_defaults(run=cmd_demo, log_level=logging.INFO)

    speak = commands.add_parser(
        "speak", help="play the call for a ticket on the speakers (or --wav FILE, or --text)"
    )
    speak.add_argument("number", help="ticket number, e.g. A023 or 1023")
    speak.add_argument("--counter", type=int, required=True, help="counter number")
    speak.add_argument("--text", action="store_true", help="print the sentence instead")
    speak.add_argument("--wav", type=Path, metavar="FILE",
                       help="write the announcement (chime, then the sentence) to a WAV file")
    speak.add_argument("--voice-pack", type=Path, metavar="PACK", default=None,
                       help="say it from the office's recorded voice pack (docs/voice.md)")
    _add_config(speak)
    speak.set_defaults(run=cmd_speak)

    printer = commands.add_parser("print-test", help="print a sample ticket to check a printer")
    printer.add_argument(
        "--printer", metavar="SPEC", default=None,
        help="usb:VID:PID, serial:DEV[:BAUD], network:HOST[:PORT], file:PATH, cups:NAME, "
        "win32:NAME or none (default: the office's [printer] spec)",
    )
    printer.add_argument(
        "--width-dots", type=int, choices=(384, 512, 576), default=None, metavar="DOTS",
        help="the paper's printable width: 384 (58 mm), 512 or 576 (80 mm); default: the "
        "office's [printer] width_dots, else the printer profile's",
    )
    _add_config(printer)
    printer.set_defaults(run=cmd_print_test)

    _add_program_commands(commands)

    check = commands.add_parser("check-config", help="load an office file and report problems")
    _add_config(check)
    check.set_defaults(run=cmd_check_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        # Long-running programs report what they do; one-shot tools only problems.
        level=logging.DEBUG if args.verbose else getattr(args, "log_level", logging.WARNING),
        format=FORMAT,
    )
    try:
        return int(args.run(args))
    except MotcuaError as problem:
        print(f"motcua: {error_words(problem, language())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `motcua … | head`: the reader has gone, nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
