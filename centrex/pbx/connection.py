"""Where Centrex's Asterisk is: the managed instance, or an external one.

Every part of Centrex that talks to Asterisk (apply, the CLI, later the live state engine)
gets its AMI address, credentials and config folder from here, so the two modes differ in
one place only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from centrex.pbx.runtime.instance import Instance


class NotConfigured(RuntimeError):
    """No Asterisk is configured yet (managed mode before the first start)."""


@dataclass(frozen=True)
class Target:
    mode: str
    ami: dict
    config_dir: Path
    spool_dir: Path
    sip_host: str
    sip_port: int
    realtime_db: Path
    instance: Instance | None = None


def asterisk_settings() -> dict:
    return settings.CENTREX_ASTERISK


def instance_name() -> str:
    """The managed instance's name: set explicitly, else derived from the var folder."""
    import hashlib

    conf = asterisk_settings()
    if conf["INSTANCE"]:
        return conf["INSTANCE"]
    return "i" + hashlib.sha256(str(settings.VAR_DIR).encode()).hexdigest()[:10]


def managed_instance(create: bool = False) -> Instance | None:
    """The managed instance's state, created (ports from settings, new secrets) on request."""
    conf = asterisk_settings()
    state = Path(conf["STATE_FILE"])
    inst = Instance.load(state)
    if inst is None and create:
        inst = Instance(
            name=instance_name(),
            root=conf["ROOT"],
            ports={
                "sip": conf["SIP_PORT"],
                "ami": conf["AMI_PORT"],
                "http": conf["HTTP_PORT"],
                "rtp_start": conf["RTP_START"],
                "rtp_end": conf["RTP_END"],
            },
        )
        inst.save(state)
    return inst


def target() -> Target:
    conf = asterisk_settings()
    if conf["MODE"] == "external":
        return Target(
            mode="external",
            ami={
                "host": conf["AMI_HOST"],
                "port": conf["AMI_PORT"],
                "username": conf["AMI_USER"],
                "secret": conf["AMI_SECRET"],
            },
            config_dir=Path(conf["CONFIG_DIR"]),
            spool_dir=Path(conf["SPOOL_DIR"]),
            sip_host=conf["SIP_HOST"],
            sip_port=conf["SIP_PORT"],
            realtime_db=Path(conf["REALTIME_DB"]),
        )
    if conf["MODE"] != "managed":
        raise NotConfigured(
            f"CENTREX_ASTERISK_MODE must be 'managed' or 'external', not {conf['MODE']!r}"
        )
    inst = managed_instance()
    if inst is None:
        raise NotConfigured("the managed Asterisk is not set up yet: run 'centrex asterisk start'")
    return Target(
        mode="managed",
        ami=inst.ami,
        config_dir=inst.etc_dir,
        spool_dir=inst.spool_dir,
        sip_host="127.0.0.1",
        sip_port=inst.ports["sip"],
        realtime_db=inst.realtime_db,
        instance=inst,
    )


def log_dir() -> Path | None:
    """Where Asterisk writes queue_log and the CDR files: the managed instance's log
    folder, or ``CENTREX_ASTERISK["LOG_DIR"]`` (default /var/log/asterisk) in external mode;
    None while no Asterisk is configured."""
    try:
        conn = target()
    except NotConfigured:
        return None
    if conn.instance is not None:
        return conn.instance.log_dir
    return Path(settings.CENTREX_ASTERISK.get("LOG_DIR", "/var/log/asterisk"))
