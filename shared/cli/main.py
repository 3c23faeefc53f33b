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
from shared.languages.help_words import helped

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
        help=helped("config"),
    )


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=Path, default=None, metavar="DIR",
        help=helped("data_dir", default=default_data_dir()),
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


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, its "usage:" in the command line's language ("Cách dùng:")."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups,
                          helped("usage") + ": " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in the command line's language (its own words too: "Tuỳ chọn:", "hiện
    trợ giúp này rồi thoát"); a mistake on the command line is one plain line, not a
    usage dump. The subcommands' parsers are made of this class too (argparse makes them
    of the main parser's class), so every ``--help`` speaks the same language."""

    def __init__(self, **kwargs: Any) -> None:  # argparse makes subparsers by keywords
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = helped("positionals")
        self._optionals.title = helped("options")
        if add_help:  # as argparse adds it, in our words
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=helped("help_option"))

    def error(self, message: str) -> NoReturn:
        # argparse's own part of the message stays in its words (English).
        self.exit(2, say("wrong_command", message=message, prog=self.prog) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="motcua",
        description=helped("description"),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=helped("verbose"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help=helped("serve"))
    _add_config(serve)
    _add_data_dir(serve)
    serve.add_argument("--host", default="0.0.0.0", help=helped("serve_host"))
    serve.add_argument("--port", type=int, default=None,
                       help=helped("serve_port"))
    serve.add_argument("--desk-port", type=int, default=None, metavar="PORT",
                       help=helped("serve_desk_port"))
    serve.add_argument("--no-zeroconf", action="store_true",
                       help=helped("serve_no_zeroconf"))
    serve.set_defaults(run=cmd_serve, log_level=logging.INFO)

    pair = commands.add_parser("pair", help=helped("pair"))
    what = pair.add_mutually_exclusive_group(required=True)
    what.add_argument("--show", action="store_true",
                      help=helped("pair_show"))
    what.add_argument("--new", action="store_true",
                      help=helped("pair_new"))
    _add_data_dir(pair)
    pair.set_defaults(run=cmd_pair)

    devices = commands.add_parser("devices", help=helped("devices"))
    devices.add_argument("action", choices=("list", "revoke", "allow"),
                         help=helped("devices_action"))
    devices.add_argument("device", nargs="?", metavar="ID", help=helped("devices_id"))
    _add_data_dir(devices)
    devices.set_defaults(run=cmd_devices)

    report = commands.add_parser("report", help=helped("report"))
    report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    report.add_argument("--output", required=True, type=Path, metavar="FILE",
                        help=helped("report_output"))
    _add_config(report)
    _add_data_dir(report)
    report.set_defaults(run=cmd_report)

    audit = commands.add_parser("audit", help=helped("audit"))
    audit.add_argument("--day", required=True, metavar="YYYY-MM-DD", help=helped("audit_day"))
    _add_config(audit)
    _add_data_dir(audit)
    audit.set_defaults(run=cmd_audit)

    admins = commands.add_parser("admins", help=helped("admins"))
    admins.add_argument("action", choices=("add", "remove", "list"))
    admins.add_argument("name", nargs="?", metavar="NAME", help=helped("admins_name"))
    admins.add_argument("--password-stdin", action="store_true",
                        help=helped("password_stdin"))
    _add_config(admins)
    _add_data_dir(admins)
    admins.set_defaults(run=cmd_admins)

    user = commands.add_parser("user", help=helped("user"))
    user.add_argument("action", choices=("add", "remove", "list"))
    user.add_argument("name", nargs="?", metavar="NAME", help=helped("user_name"))
    user.add_argument("--role", choices=("leader", "admin"), default="leader",
                      help=helped("user_role"))
    user.add_argument("--password-stdin", action="store_true",
                      help=helped("password_stdin"))
    _add_data_dir(user)
    user.set_defaults(run=cmd_user)

    officials = commands.add_parser("officials", help=helped("officials"))
    officials.add_argument("action", choices=("list", "pin", "remove-pin"))
    officials.add_argument("official", nargs="?", metavar="ID",
                           help=helped("officials_id"))
    officials.add_argument("--pin-stdin", action="store_true",
                           help=helped("officials_pin_stdin"))
    _add_config(officials)
    _add_data_dir(officials)
    officials.set_defaults(run=cmd_officials)

    bookings = commands.add_parser("bookings", help=helped("bookings"))
    bookings.add_argument("action", choices=("import", "list", "key"))
    bookings.add_argument("target", nargs="?", metavar="FILE|DAY|add|remove|list",
                          help=helped("bookings_target"))
    bookings.add_argument("name", nargs="?", metavar="NAME",
                          help=helped("bookings_name"))
    bookings.add_argument("--column", action="append", default=[], metavar="FIELD=HEADER",
                          help=helped("bookings_column", example='code="Mã hồ sơ"'))
    bookings.add_argument("--sheet", default=None, help=helped("bookings_sheet"))
    _add_config(bookings)
    _add_data_dir(bookings)
    bookings.set_defaults(run=cmd_bookings)

    central = commands.add_parser("central", help=helped("central"))
    central.add_argument("action", choices=("serve", "site", "user", "config", "report"))
    central.add_argument("what", nargs="?", choices=("add", "list", "remove", "resume",
                                                     "publish"),
                         default="list",
                         help=helped("central_what"))
    central.add_argument("site", nargs="?", metavar="ID|USER",
                         help=helped("central_site"))
    central.add_argument("name", nargs="?",
                         help=helped("central_name"))
    central.add_argument("--database", default=os.environ.get("MOTCUA_CENTRAL_DATABASE"),
                         metavar="URL", help=helped("central_database"))
    central.add_argument("--defaults", dest="province_defaults", type=Path, default=None,
                         metavar="FILE", help=helped("central_defaults"))
    central.add_argument("--password-stdin", action="store_true",
                         help=helped("central_password_stdin"))
    central.add_argument("--key-file", type=Path, default=None, metavar="FILE",
                         help=helped("central_key_file"))
    central.add_argument("--host", default="0.0.0.0", help=helped("central_host"))
    central.add_argument("--port", type=int, default=8770, help=helped("central_port"))
    central.add_argument("--name", dest="name_for_sites", action="append", default=[],
                         metavar="NAME", help=helped("central_name_for_sites"))
    central.add_argument("--site", dest="sites", action="append", default=[], metavar="ID",
                         help=helped("central_sites"))
    central.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help=helped("central_from"))
    central.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=helped("central_to"))
    central.add_argument("--output", type=Path, metavar="FILE",
                         help=helped("central_output"))
    central.add_argument("--title", metavar="NAME",
                         help=helped("central_title", example='"UBND tỉnh Mẫu"'))
    _add_data_dir(central)
    central.set_defaults(run=cmd_central, log_level=logging.INFO)

    languages = commands.add_parser("languages", help=helped("languages"))
    languages.add_argument("action", choices=("list", "check"))
    languages.add_argument("file", nargs="?", type=Path, metavar="CODE/PROGRAM.po",
                           help=helped("languages_file"))
    languages.set_defaults(run=cmd_languages)

    demo = commands.add_parser("demo", help=helped("demo"))
    demo.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                      help=helped("demo_data_dir"))
    demo.set_defaults(run=cmd_demo, log_level=logging.INFO)

    speak = commands.add_parser("speak", help=helped("speak"))
    speak.add_argument("number", help=helped("speak_number"))
    speak.add_argument("--counter", type=int, required=True, help=helped("speak_counter"))
    speak.add_argument("--text", action="store_true", help=helped("speak_text"))
    speak.add_argument("--wav", type=Path, metavar="FILE",
                       help=helped("speak_wav"))
    speak.add_argument("--voice-pack", type=Path, metavar="PACK", default=None,
                       help=helped("speak_voice_pack"))
    _add_config(speak)
    speak.set_defaults(run=cmd_speak)

    printer = commands.add_parser("print-test", help=helped("print_test"))
    printer.add_argument(
        "--printer", metavar="SPEC", default=None,
        help=helped("printer"),
    )
    printer.add_argument(
        "--width-dots", type=int, choices=(384, 512, 576), default=None, metavar="DOTS",
        help=helped("print_test_width_dots"),
    )
    _add_config(printer)
    printer.set_defaults(run=cmd_print_test)

    _add_program_commands(commands)

    check = commands.add_parser("check-config", help=helped("check_config"))
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
