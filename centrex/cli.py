"""The ``centrex`` command: run the portal, manage the Asterisk, apply, create phones.

Every command exits 0 on success and non-zero with a one-line message on stderr on failure,
so scripts (``make``, CI, provisioning) can rely on it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence

EXIT_FAILURE = 1
EXIT_INVALID = 2


class CommandError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


def _setup(auto_apply: bool = False) -> None:
    """Start Django. Commands apply synchronously themselves, so the debounced automatic
    apply is off for them; the portal (`centrex run`) keeps it on."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centrex.settings.base")
    import django
    from django.conf import settings

    django.setup()
    if not auto_apply:
        settings.CENTREX_ASTERISK["AUTO_APPLY"] = False


# -- asterisk ------------------------------------------------------------------------------
def cmd_asterisk(args: argparse.Namespace) -> int:
    from centrex.pbx import connection
    from centrex.pbx.runtime import BuildError, RuntimeFailure, build

    try:
        if args.action == "build":
            root = build(_root_path(), force=args.force)
            print(f"Asterisk root ready: {root}")
            return 0
        if args.action == "status":
            return _asterisk_status()
        if args.action == "cli":
            return _asterisk_cli(args.command)
        if connection.asterisk_settings()["MODE"] != "managed":
            raise CommandError("Asterisk is external: start and stop it where it runs")
        inst = connection.managed_instance(create=args.action == "start")
        if args.action == "start":
            start_managed(inst)
            print(f"Asterisk started (instance {inst.name}, AMI 127.0.0.1:{inst.ports['ami']}, "
                  f"SIP 127.0.0.1:{inst.ports['sip']})")
        elif args.action == "stop":
            if inst is not None:
                inst.stop()
            print("Asterisk stopped")
        return 0
    except (BuildError, RuntimeFailure, connection.NotConfigured) as exc:
        raise CommandError(str(exc)) from exc


def _root_path():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.CENTREX_ASTERISK["ROOT"])


def start_managed(inst) -> None:
    """Write the instance's files and Centrex's own, start Asterisk, then push what it
    does not read from files (the phones' PJSIP objects, kept in AstDB)."""
    from centrex.pbx import apply

    inst.prepare()
    apply.write_only()
    inst.start()
    try:
        apply.apply()
    except apply.ApplyError as exc:
        raise CommandError(str(exc)) from exc


def _asterisk_status() -> int:
    from centrex.pbx.ami.sync import run_action
    from centrex.pbx.connection import target

    tgt = target()
    try:
        settings = run_action(tgt.ami, "CoreSettings")
        status = run_action(tgt.ami, "CoreStatus")
    except Exception as exc:  # any failure means "not answering", which is what we report
        raise CommandError(
            f"Asterisk does not answer on AMI {tgt.ami['host']}:{tgt.ami['port']}: {exc}"
        ) from exc
    print(f"mode: {tgt.mode}")
    print(f"version: Asterisk {settings.get('AsteriskVersion')}")
    started = f"{status.get('CoreStartupDate')} {status.get('CoreStartupTime')}"
    print(f"started: {started} (uptime {_uptime(tgt.ami)})")
    print(f"reloaded: {status.get('CoreReloadDate')} {status.get('CoreReloadTime')}")
    print(f"calls: {status.get('CoreCurrentCalls')}")
    print(f"AMI: {tgt.ami['host']}:{tgt.ami['port']} answering")
    return 0


def _uptime(conn: dict) -> str:
    """Uptime as Asterisk counts it (CoreStatus gives a start time but no zone)."""
    from centrex.pbx.ami.sync import run_command

    out = run_command(conn, "core show uptime seconds")
    match = re.search(r"System uptime:\s*(\d+)", out)
    if not match:
        return "unknown"
    seconds = int(match.group(1))
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m{seconds % 60:02d}s"


def _asterisk_cli(command: str) -> int:
    from centrex.pbx.ami.sync import run_command
    from centrex.pbx.connection import target

    try:
        print(run_command(target().ami, command))
    except Exception as exc:
        raise CommandError(f"Asterisk CLI command failed: {exc}") from exc
    return 0


# -- apply ---------------------------------------------------------------------------------
def cmd_apply(args: argparse.Namespace) -> int:
    from centrex.pbx.apply import ApplyError, apply

    try:
        result = apply(dry_run=args.dry_run)
    except ApplyError as exc:
        raise CommandError(str(exc)) from exc
    if args.dry_run:
        sys.stdout.write(result.diff() or "No change.\n")
    else:
        names = ", ".join(c.filename for c in result.changes) or "nothing changed"
        print(f"{result.message}: {names} ({result.seconds:.3f} s)")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Read what Asterisk appended to its CDR and queue_log files (``centrex run`` does it
    every second; this is for scripts and for catching up by hand)."""
    from pathlib import Path

    from centrex.reports.ingest import ingest

    done = ingest(Path(args.log_dir) if args.log_dir else None)
    if not done:
        raise CommandError("no Asterisk is configured")
    print(", ".join(f"{source}: {rows} new row(s)" for source, rows in done.items()))
    return 0


def cmd_rollup(args: argparse.Namespace) -> int:
    """Recompute the per-day totals the reports read (ingestion keeps them; this is for rows
    written by other means, or to count a changed wrap-up time in past days)."""
    import datetime

    from centrex.reports.rollup import rebuild

    try:
        since, until = (datetime.date.fromisoformat(d) if d else None
                        for d in (args.since, args.until))
    except ValueError as exc:
        raise CommandError(f"dates are YYYY-MM-DD: {exc}") from exc
    print(f"{rebuild(since, until)} day(s) recomputed")
    return 0


# -- phones --------------------------------------------------------------------------------
def cmd_phone(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from centrex.pbx.apply import ApplyError
    from centrex.telephony.services import create_phone_with_user

    try:
        phone, password = create_phone_with_user(
            extension=args.extension, name=args.name, department=args.department
        )
    except ValidationError as exc:
        raise CommandError(_validation_message(exc), EXIT_INVALID) from exc
    except ApplyError as exc:
        raise CommandError(str(exc)) from exc
    from centrex.pbx.connection import target

    tgt = target()
    data = {
        "extension": phone.extension,
        "name": phone.name,
        "sip_username": phone.sip_username,
        "sip_password": password,
        "sip_host": tgt.sip_host,
        "sip_port": tgt.sip_port,
        "voicemail_pin": phone.voicemail_pin,
    }
    if args.json:
        print(json.dumps(data))
    else:
        for key, value in data.items():
            print(f"{key}: {value}")
    return 0


def _validation_message(exc) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


# -- admin, portal -------------------------------------------------------------------------
def cmd_init_admin(args: argparse.Namespace) -> int:
    from centrex.core.services import ensure_first_admin

    password = ensure_first_admin(args.username)
    if password:
        print(f"First administrator: {args.username}")
        print(f"Password (shown once, change it at first sign-in): {password}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import uvicorn

    from centrex.pbx import connection

    inst = None
    if connection.asterisk_settings()["MODE"] == "managed":
        inst = connection.managed_instance(create=True)
        started_here = not inst.is_running()
        start_managed(inst)
        print(f"Asterisk running (SIP 127.0.0.1:{inst.ports['sip']})")
    print(f"Centrex on http://{args.host}:{args.port}/")
    from centrex.pbx import events

    events.start()  # AMI event listener: voicemail e-mails, later queue events
    try:
        uvicorn.run("centrex.asgi:application", host=args.host, port=args.port, log_level="info")
    finally:
        events.stop()
        if inst is not None and started_here:
            inst.stop()  # the demo's Asterisk lives as long as the portal that started it
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["centrex manage", *args.args])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="centrex", description="Centrex IP-PBX")
    sub = parser.add_subparsers(dest="cmd", required=True)

    run = sub.add_parser("run", help="start the managed Asterisk and the web portal")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.set_defaults(func=cmd_run, auto_apply=True)

    ast = sub.add_parser("asterisk", help="the managed Asterisk")
    ast_sub = ast.add_subparsers(dest="action", required=True)
    b = ast_sub.add_parser("build", help="build the Debian root with Asterisk (about a minute)")
    b.add_argument("--force", action="store_true", help="rebuild even if it exists")
    ast_sub.add_parser("start", help="start Asterisk and wait until AMI answers")
    ast_sub.add_parser("stop", help="stop Asterisk")
    ast_sub.add_parser("status", help="version, uptime; exit 0 only if AMI answers")
    c = ast_sub.add_parser("cli", help="run one Asterisk CLI command")
    c.add_argument("command")
    ast.set_defaults(func=cmd_asterisk)

    ap = sub.add_parser("apply", help="apply the database to Asterisk")
    ap.add_argument("--dry-run", action="store_true", help="print the diff, change nothing")
    ap.set_defaults(func=cmd_apply)

    ing = sub.add_parser("ingest", help="store the new CDRs and queue_log lines")
    ing.add_argument("--log-dir", help="read the files of this folder (default: Asterisk's)")
    ing.set_defaults(func=cmd_ingest)

    rol = sub.add_parser("rollup", help="recompute the per-day totals of the reports")
    rol.add_argument("--since", help="first day (YYYY-MM-DD; default: the first there is)")
    rol.add_argument("--until", help="last day (YYYY-MM-DD; default: the last there is)")
    rol.set_defaults(func=cmd_rollup)

    phone = sub.add_parser("phone", help="phones")
    phone_sub = phone.add_subparsers(dest="action", required=True)
    pc = phone_sub.add_parser("create", help="create a user with a phone and apply it")
    pc.add_argument("--extension", required=True)
    pc.add_argument("--name", required=True, help='full name, e.g. "Alice Martin"')
    pc.add_argument("--department", default=None)
    pc.add_argument("--json", action="store_true", help="print the credentials as JSON")
    phone.set_defaults(func=cmd_phone)

    ia = sub.add_parser("init-admin", help="create the first administrator if there is none")
    ia.add_argument("--username", default="admin")
    ia.set_defaults(func=cmd_init_admin)

    mg = sub.add_parser("manage", help="Django management commands (migrate, shell, ...)")
    mg.add_argument("args", nargs=argparse.REMAINDER)
    mg.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup(auto_apply=getattr(args, "auto_apply", False))
    from django.db import DatabaseError
    func: Callable[[argparse.Namespace], int] = args.func
    import getpass

    from centrex.core import audit

    try:
        with audit.acting("cli", name=f"{getpass.getuser()} (command line)"):
            return func(args)
    except CommandError as exc:
        print(f"centrex: error: {exc}", file=sys.stderr)
        return exc.code
    except DatabaseError as exc:
        print(f"centrex: error: the database is not ready ({exc}); "
              "run 'centrex manage migrate' first", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
