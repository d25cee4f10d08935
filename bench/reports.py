"""Benchmark of issue 7: one year of a 100-agent call center — about 5 million queue_log
lines and 3 million CDRs with realistic distributions — ingested, priced with a
10,000-prefix tariff, and every report computed over the full year.

Usage: ``.venv/bin/python bench/reports.py [--days 365] [--agents 100]`` (SQLite, in a
throw-away folder); ``.venv/bin/python tests/run_on_postgres.py -- .venv/bin/python
bench/reports.py`` for PostgreSQL; ``make bench-reports`` runs both. Results:
docs/performance.md.
Targets: every report over a year in under 1 s; ingestion and pricing above 100,000 rows/s.
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import gc
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["CENTREX_VAR_DIR"] = tempfile.mkdtemp(prefix="centrex-bench-")
# A year of records is about 6 GB: removed at exit unless CENTREX_BENCH_KEEP is set (to
# time a query again on the same data).
if not os.environ.get("CENTREX_BENCH_KEEP"):
    atexit.register(shutil.rmtree, os.environ["CENTREX_VAR_DIR"], ignore_errors=True)
os.environ["CENTREX_AUTO_APPLY"] = "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centrex.settings.base")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from centrex.contact_center.models import Queue  # noqa: E402
from centrex.core.models import Department, User  # noqa: E402
from centrex.reports import billing, billing_views, calllog, stats_views  # noqa: E402
from centrex.reports import statistics as st  # noqa: E402
from centrex.reports.models import Call, Prefix, RatePlan, Zone  # noqa: E402
from centrex.telephony.models import Phone, digest_ha1  # noqa: E402

QUEUES = ("Sales", "Support", "Billing", "Hotline", "Premium")
# Share of a weekday's calls by hour (8 h to 18 h busy, a little at night).
HOURLY = [1, 1, 1, 1, 1, 2, 5, 20, 70, 100, 100, 90, 60, 70, 100, 95, 85, 70, 40, 15, 6,
          3, 2, 1]


# -- the company ------------------------------------------------------------------------------
def make_company(agents: int) -> tuple[list[Phone], list[str]]:
    departments = [Department.objects.create(name=f"Team {i}") for i in range(5)]
    users, phones = [], []
    for i in range(agents):
        user = User(username=f"agent{i:03d}", first_name="Agent", last_name=f"{i:03d}",
                    department=departments[i % 5])
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__startswith="agent").order_by("username"))
    for i, user in enumerate(users):
        name = f"ubench{i:04d}"
        phones.append(Phone(extension=str(3000 + i), name=user.username, user=user,
                            sip_username=name, sip_ha1=digest_ha1(name, "x"),
                            voicemail_pin="1234"))
    Phone.objects.bulk_create(phones)
    Queue.objects.bulk_create([Queue(name=q, extension=str(4000 + i))
                               for i, q in enumerate(QUEUES)])
    return list(Phone.objects.order_by("extension")), [u.username for u in users]


def make_tariff(rng: random.Random) -> RatePlan:
    """10,000 prefixes: national, mobile, premium, forbidden, and countries by area."""
    plan = RatePlan.objects.create(name="Bench operator", active=True)
    zones = {name: Zone.objects.create(plan=plan, name=name, peak=peak, offpeak=peak // 2,
                                       setup=setup, first_increment=first, increment=step)
             for name, peak, setup, first, step in (
                 ("National", 200, 0, 60, 1), ("Mobile", 1200, 100, 1, 1),
                 ("Premium", 8000, 0, 60, 60), ("Europe", 2500, 0, 60, 60),
                 ("World", 9000, 500, 60, 60))}
    zones["Forbidden"] = Zone.objects.create(plan=plan, name="Forbidden", forbidden=True)
    prefixes = {f"0{d}": "National" for d in "12345"}
    prefixes |= {"06": "Mobile", "07": "Mobile", "08": "Premium", "089": "Forbidden"}
    while len(prefixes) < 10_000:
        country = str(rng.randint(20, 999))
        prefix = "00" + country + str(rng.randint(0, 9999)).rjust(rng.randint(1, 4), "0")
        prefixes.setdefault(prefix, "Europe" if country.startswith(("3", "4")) else "World")
    Prefix.objects.bulk_create([Prefix(plan=plan, prefix=p, zone=zones[z])
                                for p, z in prefixes.items()], batch_size=5000)
    plan.save()
    return plan


# -- one year of records ----------------------------------------------------------------------
def generate(folder: Path, days: int, phones: list[Phone], agents: list[str],
             rng: random.Random) -> tuple[int, int]:
    """Write queue_log and centrex_cdr.json for ``days`` days ending yesterday."""
    (folder / "cdr-custom").mkdir(parents=True, exist_ok=True)
    queue_log = (folder / "queue_log").open("w")
    cdrs = (folder / "cdr-custom" / "centrex_cdr.json").open("w")
    n_log = n_cdr = seq = 0
    first_day = datetime.date.today() - datetime.timedelta(days=days)
    weights = [w / sum(HOURLY) for w in HOURLY]

    def cdr(**fields) -> None:
        nonlocal n_cdr, seq
        seq += 1
        cdrs.write(json.dumps({"sequence": seq, "dcontext": "centrex-phones", "lastdata": "",
                               "accountcode": "", "userfield": "", **fields},
                              separators=(",", ":")) + "\n")
        n_cdr += 1

    def log(when: float, callid: str, queue: str, agent: str, event: str, *data) -> None:
        nonlocal n_log
        queue_log.write("|".join((str(int(when)), callid, queue, agent, event, *map(str, data)))
                        + "\n")
        n_log += 1

    for d in range(days):
        day = first_day + datetime.timedelta(days=d)
        weekend = day.weekday() >= 5
        midnight = datetime.datetime.combine(day, datetime.time()).timestamp()
        if not weekend:
            for agent in agents:  # a working day: login, a lunch pause, logout
                start = midnight + 8 * 3600 + rng.randint(0, 3600)
                for queue in rng.sample(QUEUES, 2):
                    log(start, "NONE", queue, agent, "ADDMEMBER", "")
                log(start + 4 * 3600, "NONE", "", agent, "PAUSEALL", "lunch")
                log(start + 4.75 * 3600, "NONE", "", agent, "UNPAUSEALL", "")
                log(start + 9 * 3600, "NONE", "", agent, "REMOVEMEMBER", "")
        calls = rng.randint(6500, 7500) if not weekend else rng.randint(600, 900)
        for _ in range(calls):
            hour = rng.choices(range(24), weights)[0]
            when = midnight + hour * 3600 + rng.random() * 3600
            uid = f"{when:.0f}.{seq}"
            queue = rng.choice(QUEUES)
            number = f"06{rng.randint(0, 99999999):08d}"
            log(when, uid, queue, "NONE", "ENTERQUEUE", "", number, 1)
            wait = int(rng.expovariate(1 / 25))
            trunk = f"PJSIP/trunk-op-{seq:08x}"
            fate = rng.random()
            if fate < 0.78:  # answered after a missed ring or two
                phone = rng.choice(phones)
                agent = phone.name
                talk = int(rng.lognormvariate(4.6, 0.7))
                if rng.random() < 0.4:
                    other = rng.choice(phones)
                    log(when + 10, uid, queue, other.name, "RINGNOANSWER", 10000)
                    cdr(uniqueid=uid, linkedid=uid, start=when, answer=when, end=when + wait,
                        duration=wait, billsec=0, disposition="NO ANSWER", src=number,
                        dst=str(4000 + QUEUES.index(queue)), clid=f'"" <{number}>',
                        channel=trunk, dstchannel=f"PJSIP/{other.sip_username}-{seq:08x}",
                        lastapp="Queue", lastdata=queue)
                log(when + wait, uid, queue, agent, "CONNECT", wait, uid + "1", 3)
                log(when + wait + talk, uid, queue, agent, "COMPLETECALLER", wait, talk, 1)
                cdr(uniqueid=uid, linkedid=uid, start=when, answer=when + wait,
                    end=when + wait + talk, duration=wait + talk, billsec=talk,
                    disposition="ANSWERED", src=number, dst=str(4000 + QUEUES.index(queue)),
                    clid=f'"" <{number}>', channel=trunk,
                    dstchannel=f"PJSIP/{phone.sip_username}-{seq + 1:08x}", lastapp="Queue",
                    lastdata=queue)
            else:
                reason = "ABANDON" if fate < 0.95 else "EXITWITHTIMEOUT"
                log(when + wait, uid, queue, "NONE", reason, 1, 1, wait)
                cdr(uniqueid=uid, linkedid=uid, start=when, answer=when, end=when + wait,
                    duration=wait, billsec=wait, disposition="ANSWERED", src=number,
                    dst=str(4000 + QUEUES.index(queue)), clid=f'"" <{number}>',
                    channel=trunk, dstchannel="", lastapp="Queue", lastdata=queue)
        for _ in range(calls // 2 if not weekend else 50):  # outgoing calls by the agents
            hour = rng.choices(range(24), weights)[0]
            when = midnight + hour * 3600 + rng.random() * 3600
            phone = rng.choice(phones)
            kind = rng.random()
            number = (f"0{rng.choice('1234567')}{rng.randint(0, 99999999):08d}" if kind < 0.9
                      else f"00{rng.randint(20, 999)}{rng.randint(0, 9999999):07d}")
            answered = rng.random() < 0.75
            talk = int(rng.lognormvariate(4.2, 0.8)) if answered else 0
            uid = f"{when:.0f}.{seq}"
            cdr(uniqueid=uid, linkedid=uid, start=when, answer=when + 5 if answered else 0,
                end=when + 5 + talk, duration=5 + talk, billsec=talk,
                disposition="ANSWERED" if answered else "NO ANSWER", src=phone.extension,
                dst=number, clid=f'"{phone.name}" <{phone.extension}>',
                channel=f"PJSIP/{phone.sip_username}-{seq:08x}",
                dstchannel=f"PJSIP/trunk-op-{seq + 1:08x}", lastapp="Dial", lastdata="")
    queue_log.close()
    cdrs.close()
    return n_log, n_cdr


# -- measures ---------------------------------------------------------------------------------
def timed(label: str, func, results: list, rows: int | None = None):
    started = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - started
    results.append((label, seconds, rows))
    rate = f"  {rows / seconds:,.0f} rows/s" if rows else ""
    print(f"{label:<58} {seconds:8.3f} s{rate}", flush=True)
    return value


def ensure_database() -> None:
    """The PostgreSQL server ``tests/run_on_postgres.py`` starts has no database yet (pytest
    would create its own): create the one the settings name."""
    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql":
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"],
                         password=db["PASSWORD"], dbname="postgres", autocommit=True) as pg:
        if not pg.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                          [db["NAME"]]).fetchone():
            pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--agents", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)  # noqa: S311 - synthetic data, seeded to be the same each run
    ensure_database()
    call_command("migrate", verbosity=0)
    phones, agents = make_company(args.agents)
    make_tariff(rng)
    folder = Path(settings.VAR_DIR) / "log"
    results: list = []
    n_log, n_cdr = timed("generate the files", lambda: generate(folder, args.days, phones,
                                                                 agents, rng), results)
    print(f"{n_log:,} queue_log lines, {n_cdr:,} CDRs", flush=True)
    from centrex.reports.ingest import QUEUE_LOG_FILE, SOURCES, ingest_file

    timed("ingest queue_log", lambda: ingest_file(
        "queue_log", folder / QUEUE_LOG_FILE, SOURCES["queue_log"][1]), results, n_log)
    timed("ingest CDRs (calls built and priced)", lambda: ingest_file(
        "cdr", folder / SOURCES["cdr"][0], SOURCES["cdr"][1]), results, n_cdr)
    outgoing = Call.objects.filter(direction="out", state="answered").count()
    last = datetime.date.today() - datetime.timedelta(days=1)
    first = last - datetime.timedelta(days=args.days - 1)
    pricer = billing.current_pricer()
    calls = list(Call.objects.filter(direction="out", state="answered"))
    timed("pricing alone (in memory)", lambda: [pricer.apply(c) for c in calls], results,
          len(calls))
    # The reports are timed without the 1.7 million model instances above: a page's
    # process holds none of them.
    calls.clear()
    gc.collect()
    # A new tariff (every price 10 % up), so that re-pricing rewrites every priced call.
    for zone in Zone.objects.all():
        zone.peak, zone.offpeak = zone.peak * 11 // 10, zone.offpeak * 11 // 10
        zone.save()
    RatePlan.objects.get(active=True).save()  # its ``updated`` tells the pricer to reload
    timed("re-price the year (priced and written)", lambda: billing.reprice(first, last),
          results, outgoing)
    period = st.Period(first, last)
    admin = User.objects.create_superuser("benchadmin", password=None)
    queues = list(Queue.objects.filter(name__in=QUEUES))

    def queue_report(statistic: str):
        # What the page draws: the figures and the table (stats_views), for every queue.
        return lambda: stats_views.queue_tables(statistic, queues, agents, period)

    reports = [
        ("global: calls per day (and month)", lambda: st.per_day(st.global_calls(), period)),
        ("global: calls per hour", lambda: st.per_hour(st.global_calls(), period)),
        ("global: one department's outgoing calls per day", lambda: st.per_day(
            st.global_calls(Department.objects.first().pk, "out"), period)),
        ("queues: calls received per queue", queue_report("global")),
        ("queues: per queue", queue_report("queues")),
        ("queues: service level (buckets and per queue)", queue_report("service_level")),
        ("queues: abandons (buckets and short)", queue_report("abandons")),
        ("queues: by weekday", queue_report("weekday")),
        ("queues: by hour", queue_report("hourly")),
        ("queues: service per agent", queue_report("agents")),
        ("billing: recap per department and phone", lambda: billing_views.report_tables(
            billing.visible(admin, totals=True).filter(day__gte=first, day__lte=last),
            "recap")),
        ("call log: first page of a year, with its count", lambda: (
            calllog.filter_calls(calllog.visible(admin), since=first, until=last).count(),
            list(calllog.filter_calls(calllog.visible(admin), since=first,
                                      until=last).order_by("-start")[:25]))),
    ]
    # Each report twice: the first right after the bulk writes above (the database's
    # caches full of other pages, its statistics maybe not refreshed yet), then again as
    # the next reader sees it.
    for label, func in reports:
        timed(f"report over {args.days} days — {label}", func, results)
        timed(f"  again — {label}", func, results)
    print(f"\n{connection.vendor}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{datetime.date.today()}: {Call.objects.count():,} calls, "
          f"{n_cdr:,} CDRs, {n_log:,} queue_log lines")


if __name__ == "__main__":
    main()
