"""The base Asterisk configuration of a managed instance.

Two kinds of files:

* runtime files (ports, directories, credentials) are rewritten at every start from the
  instance's state, because they only say where this instance lives;
* stock files are written once if missing and then belong to the administrator: they only
  ``#tryinclude`` the files Centrex renders (``centrex_*.conf``), which Centrex owns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from centrex.pbx.confgen import realtime
from centrex.pbx.confgen.sorcery import sorcery_conf
from centrex.pbx.ingest.records import cdr_custom_conf

if TYPE_CHECKING:
    from centrex.pbx.runtime.instance import Instance

# Modules that open ports on every address, talk to outside services or duplicate
# applications Centrex uses: never loaded in the managed runtime.
NOLOAD = (
    "app_adsiprog.so",
    "app_getcpeid.so",
    "res_adsi.so",
    "app_alarmreceiver.so",
    "app_festival.so",
    "app_minivm.so",
    "app_voicemail_odbc.so",
    "cdr_adaptive_odbc.so",
    "cdr_odbc.so",
    "cdr_pgsql.so",
    "cdr_radius.so",
    "cdr_sqlite3_custom.so",
    "cdr_tds.so",
    "cel_odbc.so",
    "cel_pgsql.so",
    "cel_radius.so",
    "cel_sqlite3_custom.so",
    "cel_tds.so",
    "chan_audiosocket.so",
    "chan_console.so",
    "chan_iax2.so",
    "chan_motif.so",
    "chan_unistim.so",
    "func_odbc.so",
    "pbx_ael.so",
    "pbx_dundi.so",
    "pbx_lua.so",
    "pbx_realtime.so",
    "res_ael_share.so",
    "res_calendar.so",
    "res_calendar_caldav.so",
    "res_calendar_ews.so",
    "res_calendar_exchange.so",
    "res_calendar_icalendar.so",
    "res_config_curl.so",
    "res_config_ldap.so",
    "res_config_mysql.so",
    "res_config_odbc.so",
    "res_config_pgsql.so",
    "res_hep.so",
    "res_hep_pjsip.so",
    "res_hep_rtcp.so",
    "res_odbc.so",
    "res_odbc_transaction.so",
    "res_phoneprov.so",
    "res_pjsip_phoneprov_provider.so",
    "res_pjsip_stir_shaken.so",
    "res_prometheus.so",
    "res_resolver_unbound.so",
    "res_smdi.so",
    "res_snmp.so",
    "res_statsd.so",
    "res_stir_shaken.so",
    "res_stun_monitor.so",
    "res_xmpp.so",
)


def runtime_files(inst: Instance) -> dict[str, str]:
    """Files rewritten at every start: they describe where and how this instance runs."""
    d = inst.chroot_dir
    noload = "\n".join(f"noload => {m}" for m in NOLOAD)
    return {
        "asterisk.conf": f"""; Managed by Centrex (runtime): rewritten at every start.
[directories]
astcachedir => {d}/cache
astetcdir => {d}/etc
astmoddir => {inst.module_dir}
astvarlibdir => {d}/lib
astdbdir => {d}/lib
astkeydir => {d}/lib
astdatadir => /usr/share/asterisk
astagidir => /usr/share/asterisk/agi-bin
astspooldir => {d}/spool
astrundir => {d}/run
astlogdir => {d}/log
astsbindir => /usr/sbin

[options]
runuser = asterisk
rungroup = asterisk
defaultlanguage = fr
documentation_language = en_US
hideconnect = yes
""",
        "modules.conf": f"""; Managed by Centrex (runtime): rewritten at every start.
[modules]
autoload = yes
{noload}
""",
        "logger.conf": """; Managed by Centrex (runtime): rewritten at every start.
[general]
dateformat = %F %T.%3q
[logfiles]
messages.log => notice,warning,error,verbose(3)
""",
        "manager.conf": f"""; Managed by Centrex (runtime): rewritten at every start.
[general]
enabled = yes
bindaddr = 127.0.0.1
port = {inst.ports['ami']}
displayconnects = no
authlimit = 10
authtimeout = 10

[{inst.ami_user}]
secret = {inst.ami_secret}
deny = 0.0.0.0/0.0.0.0
permit = 127.0.0.1/255.255.255.255
read = all
write = all
writetimeout = 5000
""",
        "http.conf": f"""; Managed by Centrex (runtime): rewritten at every start.
[general]
enabled = yes
bindaddr = 127.0.0.1
bindport = {inst.ports['http']}
""",
        "ari.conf": f"""; Managed by Centrex (runtime): rewritten at every start.
[general]
enabled = yes

[{inst.http_user}]
type = user
read_only = no
password = {inst.http_secret}
""",
        "rtp.conf": f"""; Managed by Centrex (runtime): rewritten at every start.
[general]
rtpstart = {inst.ports['rtp_start']}
rtpend = {inst.ports['rtp_end']}
""",
        "centrex_transports.conf": f"""; Managed by Centrex (runtime): rewritten at every start.
[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:{inst.ports['sip']}

[transport-tcp]
type = transport
protocol = tcp
bind = 127.0.0.1:{inst.ports['sip']}

[transport-ws]
type = transport
protocol = ws
bind = 127.0.0.1:{inst.ports['http']}
""",
        "sorcery.conf": sorcery_conf(),
        **realtime.config_files(f"{d}/lib/{realtime.DB_NAME}"),
        "cdr.conf": """; Managed by Centrex (runtime): rewritten at every start.
[general]
enable = yes
unanswered = yes
congestion = yes

[csv]
usegmtime = yes
loguniqueid = yes
loguserfield = yes
accountlogs = no
""",
        "cdr_custom.conf": cdr_custom_conf(),
    }


STOCK_FILES = {
    "pjsip.conf": """; Written once by Centrex, then yours; Centrex renders centrex_*.conf.
#tryinclude centrex_transports.conf
#tryinclude centrex_pjsip_trunks.conf
; Centrex's phones are not here: they live in AstDB (see sorcery.conf).
""",
    "extensions.conf": """; Written once by Centrex, then yours; Centrex renders centrex_*.conf.
[general]
static = yes
writeprotect = yes
clearglobalvars = no

#tryinclude centrex_extensions.conf
""",
    "voicemail.conf": """; Written once by Centrex, then yours; Centrex renders centrex_*.conf.
[general]
format = wav49|wav
attach = yes
maxmsg = 100
maxsecs = 300
minsecs = 1
maxsilence = 0
maxlogins = 3
emaildateformat = %d/%m/%Y %H:%M

; Centrex's boxes are not here: Asterisk reads them from a realtime table (extconfig.conf).
""",
    "musiconhold.conf": """; Written once by Centrex; yours to edit.
[default]
mode = files
directory = /usr/share/asterisk/moh
sort = alpha

#tryinclude centrex_musiconhold.conf
""",
    "cdr_manager.conf": "[general]\nenabled = yes\n",
    "queues.conf": """; Written once by Centrex, then yours; Centrex renders centrex_*.conf.
[general]
; Centrex keeps who is logged in to which queue, paused and why, in its database and
; applies it again after every restart of Asterisk and every reload (docs/contact_center.md):
; Asterisk's own copy of the members would compete with it.
persistentmembers = no
autofill = yes
; An agent in several queues: one call at a time, and wrap-up counts across queues.
shared_lastcall = yes
; queue_log names the agent by member name (the Centrex user), not by phone.
log_membername_as_agent = yes

#tryinclude centrex_queues.conf
""",
    "aeap.conf": "",
    "chan_websocket.conf": "",
    "geolocation.conf": "",
    "pjsip_wizard.conf": "",
    "websocket_client.conf": "",
    "cel.conf": "[general]\nenable = no\n",
}

# Lines added to a stock file written by an older Centrex (the file is the administrator's:
# only a missing line is appended, nothing else is touched).
STOCK_LINES = {"pjsip.conf": ("#tryinclude centrex_pjsip_trunks.conf",),
               "queues.conf": ("#tryinclude centrex_queues.conf",),
               "musiconhold.conf": ("#tryinclude centrex_musiconhold.conf",)}


def with_stock_lines(name: str, text: str) -> str:
    missing = [line for line in STOCK_LINES.get(name, ()) if line not in text.splitlines()]
    if not missing:
        return text
    return text + ("" if text.endswith("\n") or not text else "\n") + "\n".join(missing) + "\n"


# Stock files copied once from the Debian package's /etc/asterisk (tone tables, ...).
# Copying them makes the modules that refuse to load without a file (queues, conference,
# parking, ...) load with their package defaults.
COPIED_FILES = (
    "acl.conf",
    "agents.conf",
    "amd.conf",
    "ccss.conf",
    "cli_aliases.conf",
    "confbridge.conf",
    "features.conf",
    "followme.conf",
    "indications.conf",
    "pjproject.conf",
    "pjsip_notify.conf",
    "res_http_media_cache.conf",
    "res_parking.conf",
    "udptl.conf",
)


def adapt_stock(name: str, text: str) -> str:
    """Small changes to the package's stock files: French tones (ringback, busy) by default."""
    if name == "indications.conf":
        text = re.sub(r"^country\s*=>?\s*\w+", "country = fr", text, count=1, flags=re.M)
    return text
