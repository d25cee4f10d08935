"""Live supervision in a real browser (issue 5, real-call test 7): the supervision page of a
queue updates, without a reload, when a caller joins the queue and when the agent answers.

A supervisor signs in through the portal's sign-in page and opens their queue's supervision
page (htmx + its server-sent-events extension). A SIPp caller dials the queue; the one
logged-in agent's SIPp phone rings a few seconds before answering. The page must show the
caller waiting, then the agent in an inbound call and nobody waiting, all pushed over the
event stream: a marker set in the page's window before the call is still there afterwards,
and the browser made a single navigation. Waits are generous; no delay is asserted.

The portal runs as in production (uvicorn + the AMI event listener, tests/e2e/conftest.py),
the browser is Debian's chromium (tests/e2e/test_browser.py). Numbers 3970-3979.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from centrex.contact_center import agents, services
from centrex.contact_center.models import Queue
from tests.e2e.test_browser import LAPTOP, browser, shoot  # noqa: F401
from tests.factories import make_user
from tests.integration.test_calls import asterisk_log_tail, new_line, wait_for
from tests.sipp import RtpPeer, free_udp_port, wait_udp_bound

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long supervisor passphrase"
RING_MS = 5000  # the agent's phone rings this long before answering
WAIT_MS = 90_000  # generous: the machine may be busy

# Set by an init script before the page's own scripts: htmx's SSE extension fires
# htmx:sseOpen once the event stream is connected.
SSE_PROBE = """
document.addEventListener("htmx:sseOpen", () => { window.__sseOpen = true; });
"""

# The page shows these counts (the ids of supervision_live.html) and this many waiting
# callers. Functions, not expressions: the portal's CSP forbids eval, which Playwright uses
# for an expression given as a string.
SHOWN = """({waiting, callers, answered}) => {
  const text = (id) => (document.getElementById(id)?.textContent || "").trim();
  return text("count-waiting") === waiting
    && document.querySelectorAll("#callers tbody tr[data-caller]").length === callers
    && (answered === undefined || text("count-answered") === answered);
}"""


def agent_phone(sip, line, peer: RtpPeer):
    """The agent's registered SIPp phone (scenario uas_supervision), ringing ``RING_MS``
    before answering."""
    port = free_udp_port()
    sip.register(line.user, line.password, local_port=port).assert_ok(f"REGISTER {line.user}")
    proc = sip.sipp("uas_supervision", local_port=port, hold_ms=RING_MS, timeout=120,
                    variables={"mport": peer.port}, name=f"uas_supervision-{line.user}")
    proc.start()
    assert wait_udp_bound(port), proc.report()
    return proc


def available(asterisk, line, queue: Queue, member: str) -> None:
    """Wait until the queue sees its member available: app_queue does not ring a member
    whose device is Unavailable, as a phone is until a qualify OPTIONS is answered."""
    asterisk.cli(f"pjsip qualify {line.user}")

    def ready() -> bool:
        shown = asterisk.cli(f"queue show {queue.name}")
        return member in shown and "(Not in use)" in shown

    assert wait_for(ready, timeout=10), asterisk.cli(f"queue show {queue.name}")


def hang_up(asterisk, user: str) -> None:
    """Hang up the channels of one phone, through the CLI (AMI from here would need an event
    loop of its own while Playwright's runs)."""
    for line in asterisk.cli("core show channels concise").splitlines():
        name = line.split("!", 1)[0]
        if name.startswith(f"PJSIP/{user}-"):
            asterisk.cli(f"channel request hangup {name}")


def test_supervision_page_updates_without_reload_when_a_caller_joins_and_is_answered(
        asterisk, sip, portal, request):
    queue = services.save_queue(Queue(name="SvBrowser", extension="3970"))
    agent = new_line("3971", "Bea Agentbrowser")
    agent.phone.user.groups.add(Group.objects.get(name=queue.agents_profile))
    caller = new_line("3972", "Cid Callerbrowser")
    boss = make_user("svbrowser.boss", password=PASSWORD, first_name="Sol",
                     last_name="Supervisorbrowser")
    boss.groups.add(Group.objects.get(name=queue.supervisors_profile))
    member = agent.phone.user.username
    peers = [RtpPeer(), RtpPeer()]
    context = None
    try:
        agent_sipp = agent_phone(sip, agent, peers[0])
        agents.login(agent.phone.user, queue)  # once its phone is registered
        available(asterisk, agent, queue, member)
        # Only now the browser: Playwright's sync API runs an event loop in this thread,
        # and the portal's services above run theirs (asyncio.run) for AMI.
        context = request.getfixturevalue("browser").new_context(viewport=LAPTOP,
                                                                 locale="en-US")

        # The supervisor signs in and opens the queue's supervision page.
        context.add_init_script(SSE_PROBE)
        page = context.new_page()
        page.set_default_timeout(30_000)
        url = f"{portal}/contact-center/supervision/{queue.pk}/"
        page.goto(url)
        assert "/signin/" in page.url
        page.fill("#id_username", boss.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(url)
        page.wait_for_function("() => window.__sseOpen === true", timeout=WAIT_MS)
        page.evaluate("() => { window.__noReload = 1; }")
        row = f"#agents tr[data-agent='{member}']"
        page.wait_for_selector(f"{row}[data-state='free']", timeout=WAIT_MS)
        assert page.inner_text("#count-waiting").strip() == "0"
        assert page.locator("#callers tbody tr[data-caller]").count() == 0
        shoot(page, "supervision-before")

        # A caller joins: shown waiting, pushed to the page.
        call = sip.caller(caller.user, caller.password, queue.extension,
                          media_port=peers[1].port, hold_ms=30_000, timeout=120)
        page.wait_for_function(SHOWN, arg={"waiting": "1", "callers": 1}, timeout=WAIT_MS)
        assert "Cid Callerbrowser" in page.inner_text("#callers") \
            or "3972" in page.inner_text("#callers")
        assert page.evaluate("() => window.__noReload") == 1
        shoot(page, "supervision-waiting")

        # The agent answers: in an inbound call, nobody waiting any more.
        agent_sipp.wait_for_log("ANSWERED", timeout=60)
        page.wait_for_selector(f"{row}[data-state='in_call_inbound']", timeout=WAIT_MS)
        page.wait_for_function(SHOWN, arg={"waiting": "0", "callers": 0, "answered": "1"},
                               timeout=WAIT_MS)
        shoot(page, "supervision-answered")

        # Never reloaded: the marker survived and the browser navigated once.
        assert page.evaluate("() => window.__noReload") == 1
        assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
        assert page.url == url
        # Hang the call up from Asterisk: the agent's phone gets its BYE and ends; the
        # caller's scenario does not expect one, so it is simply stopped.
        hang_up(asterisk, caller.user)
        agent_sipp.wait(timeout=20).assert_ok("the agent's phone")
        call.stop()
    except Exception:
        print(asterisk.cli(f"queue show {queue.name}"))
        print(asterisk_log_tail(asterisk, 30))
        raise
    finally:
        if context is not None:
            context.close()
        for peer in peers:
            peer.close()
