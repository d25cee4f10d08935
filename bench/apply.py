"""Benchmark: a full apply for 1,000 and 10,000 phones, and one change on top of 10,000.

A full apply = render, write, reload, verified through AMI — what `centrex apply` does.
Runs its own managed Asterisk instance on free ports with a throw-away database, so it
never touches a running demo. Usage: `make bench` (or `.venv/bin/python bench/apply.py`).
Targets (docs/performance.md): 10,000 phones in under 5 s; one change under 0.5 s.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["CENTREX_VAR_DIR"] = tempfile.mkdtemp(prefix="centrex-bench-")
os.environ["CENTREX_AUTO_APPLY"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centrex.settings.base")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from centrex.pbx import apply as pbx_apply  # noqa: E402
from centrex.pbx.runtime import Instance, build, free_ports  # noqa: E402
from centrex.telephony.models import Phone, digest_ha1  # noqa: E402

REPEAT = 5


def make_phones(count: int) -> None:
    Phone.objects.all().delete()
    phones = []
    for i in range(count):
        user = f"ubench{i:06d}"
        phones.append(Phone(
            extension=str(100000 + i), name=f"Bench User {i}", sip_username=user,
            sip_ha1=digest_ha1(user, "x"), voicemail_pin="1234",
        ))
    Phone.objects.bulk_create(phones, batch_size=2000)


def remove_centrex_files(inst: Instance) -> None:
    """Back to an Asterisk without Centrex's objects, so the next apply is a full one."""
    Phone.objects.all().delete()
    pbx_apply.apply()


def timed_apply() -> float:
    result = pbx_apply.apply()
    assert result.verified, result.message
    return result.seconds


def main() -> None:
    call_command("migrate", verbosity=0)
    root = Path(settings.CENTREX_ASTERISK["ROOT"])
    build(root)
    inst = Instance(name=f"bench-{os.getpid()}", root=str(root), ports=free_ports())
    inst.save(Path(settings.CENTREX_ASTERISK["STATE_FILE"]))
    inst.prepare()
    inst.start()
    version = inst.cli("core show version").split(" built")[0]
    rows = []
    try:
        for count in (1000, 10000):
            times = []
            for _ in range(REPEAT if count == 1000 else 3):
                remove_centrex_files(inst)
                make_phones(count)
                times.append(timed_apply())
            rows.append((f"full apply, {count:,} phones", times))
        # One change on top of 10,000, each applied and verified through AMI.
        phone = Phone.objects.get(extension="100500")
        changes = {
            "new SIP password (PJSIP only)": lambda i: phone.set_sip_password(),
            "rename (PJSIP + voicemail)": lambda i: setattr(phone, "name", f"Renamed {i}"),
            "ring time (dialplan only)": lambda i: setattr(phone, "ring_timeout", 21 + i),
        }
        for label, change in changes.items():
            times = []
            for i in range(REPEAT):
                change(i)
                phone.save()
                times.append(timed_apply())
            rows.append((f"one phone among 10,000: {label}", times))
        times = []
        for i in range(REPEAT):
            new = Phone(extension=str(200000 + i), name=f"New {i}", voicemail_pin="1234")
            new.set_sip_password()
            new.save()
            times.append(timed_apply())
        rows.append(("one phone added to 10,000 (all three files)", times))
    finally:
        inst.destroy()
    cpu = platform.processor() or platform.machine()
    print(f"# {time.strftime('%Y-%m-%d')} on {cpu}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {version}")
    print("| measure | median (s) | min (s) | max (s) | runs |")
    print("|---|---|---|---|---|")
    for label, times in rows:
        print(f"| {label} | {statistics.median(times):.3f} | {min(times):.3f} | "
              f"{max(times):.3f} | {len(times)} |")


if __name__ == "__main__":
    main()
