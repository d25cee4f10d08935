"""Build the managed Asterisk: a Debian *testing* root made with debootstrap.

Debian's stable release ships no ``asterisk`` package, testing and unstable do (22.x). The
root is built once into a cache folder outside the checkout and shared by every instance
(the demo, the test suite), each of which keeps its own directories inside it.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger("centrex.pbx.runtime")

RELEASES = ("testing", "unstable")
PACKAGES = (
    "asterisk",
    "asterisk-core-sounds-en",
    "asterisk-core-sounds-fr",
    "asterisk-moh-opsound-wav",
)
# The file that proves a root is complete: written last, after a successful build.
STAMP = ".centrex-built"


class BuildError(RuntimeError):
    """The root could not be built (no debootstrap, no mirror, package missing, ...)."""


def apt_mirror(sources_dirs: tuple[str, ...] = ("/etc/apt",)) -> str:
    """Return the Debian archive this machine's apt already uses (never a hard-coded host).

    Reads both the one-line ``*.list`` format and the deb822 ``*.sources`` format and keeps
    the first URI that serves the main archive (not the security archive).
    """
    uris: list[str] = []
    for base in sources_dirs:
        root = Path(base)
        files = [root / "sources.list", *sorted((root / "sources.list.d").glob("*.list"))]
        for path in files:
            if path.is_file():
                for line in path.read_text(errors="replace").splitlines():
                    parts = line.split("#", 1)[0].split()
                    if parts and parts[0] == "deb":
                        uris.extend(p for p in parts[1:] if "://" in p)
        for path in sorted((root / "sources.list.d").glob("*.sources")):
            for line in path.read_text(errors="replace").splitlines():
                key, _, value = line.partition(":")
                if key.strip().lower() == "uris":
                    uris.extend(value.split())
    for uri in uris:
        if "security" not in uri and "/debian" in uri:
            return uri.rstrip("/")
    raise BuildError("no Debian archive found in the apt sources of this machine")


def is_built(root: Path) -> bool:
    return (root / STAMP).exists() and (root / "usr/sbin/asterisk").exists()


def build(root: Path, *, force: bool = False) -> Path:
    """Build the root at ``root`` unless a complete one is already there.

    The build happens in a sibling temporary folder renamed into place at the end, so an
    interrupted build never leaves a half-made root that looks usable.
    """
    if is_built(root) and not force:
        return root
    if shutil.which("debootstrap") is None:
        raise BuildError("debootstrap is not installed (apt-get install debootstrap)")
    mirror = apt_mirror()
    root.parent.mkdir(parents=True, exist_ok=True)
    errors = []
    for release in RELEASES:
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=root.parent))
        cmd = [
            "debootstrap",
            "--variant=minbase",
            "--include=" + ",".join(PACKAGES),
            release,
            str(work),
            mirror,
        ]
        log.info("building the Asterisk root: %s", " ".join(cmd))
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode == 0 and (work / "usr/sbin/asterisk").exists():
            (work / STAMP).write_text(release + "\n")
            # mkdtemp made it 0700: inside the chroot, "/" must be open to the asterisk user.
            work.chmod(0o755)
            if root.exists():
                shutil.rmtree(root)
            work.rename(root)
            return root
        errors.append(f"{release}: {(proc.stderr or proc.stdout).strip()[-400:]}")
        shutil.rmtree(work, ignore_errors=True)
    raise BuildError("debootstrap failed:\n" + "\n".join(errors))
