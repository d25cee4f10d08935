"""What every Centrex dialplan file (``centrex_<app>.conf``, pbx_config) shares: a header,
a revision context at the end, and a verifier that reads that revision back through AMI.

Each file has its own revision context (``centrex-rev-<app>``), so a reload that did not
take one file is seen even when the others are fine.
"""

from __future__ import annotations

from centrex.pbx.ami import AMIClient, AMIError
from centrex.pbx.confgen import VerificationError, Verifier
from centrex.pbx.confgen import syntax as s


def render(title: str, body: str, revision_context: str) -> str:
    """``body`` under the header, followed by its revision context."""
    body = body if body.endswith("\n") else body + "\n"
    return (s.header(title) + "\n" + body + "\n"
            f"[{revision_context}]\n; Revision marker read back by Centrex after a reload.\n"
            f"exten => s,1,NoOp({s.revision(body)})\n")


def verifier(filename: str, revision_context: str) -> Verifier:
    """Asterisk must run the revision the new file carries in ``revision_context``."""

    async def verify(ami: AMIClient, old: str, new: str) -> None:
        try:
            _, events = await ami.action_list("ShowDialPlan", Context=revision_context)
        except AMIError as exc:
            raise VerificationError(f"Asterisk did not load the new {filename}") from exc
        if not any(e.get("AppData") == s.revision_of(new) for e in events):
            raise VerificationError(f"Asterisk did not load the new {filename}")

    return verify
