"""A stand-in for the GitHub CLI (`gh`) in tests of the workflow scripts.

Tests put a `gh` wrapper that runs this file first on PATH. It keeps the repository's issues,
pull requests and releases in a JSON state file (FAKE_GH_STATE), records every call there, and
answers the handful of `gh` commands the scripts use the way the real CLI does (URLs on stdout,
JSON for `--json`, exit 1 for a missing release). Anything else fails loudly.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

REPO_URL = "https://github.com/example/pln-kit"


def _flag(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def _body(args: list[str]) -> str | None:
    path = _flag(args, "--body-file")
    return Path(path).read_text(encoding="utf-8") if path else _flag(args, "--body")


def _issue(state: dict[str, Any], number: str) -> dict[str, Any]:
    return next(i for i in state["issues"] if str(i["number"]) == number)


def run(state: dict[str, Any], args: list[str]) -> int:
    group, verb, rest = args[0], args[1], args[2:]
    if (group, verb) == ("auth", "setup-git"):
        return 0
    if group == "issue":
        if verb == "list":
            wanted = _flag(rest, "--state") or "open"
            found = [
                {k: i[k] for k in ("number", "state", "title")}
                for i in state["issues"]
                if wanted == "all" or i["state"] == wanted.upper()
            ]
            print(json.dumps(found))
            return 0
        if verb == "create":
            number = len(state["issues"]) + len(state["prs"]) + 1
            state["issues"].append(
                {
                    "number": number,
                    "title": _flag(rest, "--title"),
                    "state": "OPEN",
                    "body": _body(rest),
                    "comments": [],
                }
            )
            print(f"{REPO_URL}/issues/{number}")
            return 0
        issue = _issue(state, rest[0])
        if verb == "edit":
            issue["body"] = _body(rest)
        elif verb in ("close", "reopen"):
            issue["state"] = "CLOSED" if verb == "close" else "OPEN"
            if _flag(rest, "--comment"):
                issue["comments"].append(_flag(rest, "--comment"))
        elif verb == "comment":
            issue["comments"].append(_body(rest))
        else:
            return _unsupported(args)
        return 0
    if group == "pr":
        if verb == "list":
            head = _flag(rest, "--head")
            prs = [
                {"number": p["number"], "url": p["url"]}
                for p in state["prs"]
                if p["head"] == head and p["state"] == "OPEN"
            ]
            print(json.dumps(prs))
            return 0
        if verb == "create":
            number = len(state["issues"]) + len(state["prs"]) + 1
            url = f"{REPO_URL}/pull/{number}"
            state["prs"].append(
                {
                    "number": number,
                    "url": url,
                    "state": "OPEN",
                    "base": _flag(rest, "--base"),
                    "head": _flag(rest, "--head"),
                    "title": _flag(rest, "--title"),
                    "body": _body(rest),
                }
            )
            print(url)
            return 0
        if verb == "edit":
            pr = next(p for p in state["prs"] if str(p["number"]) == rest[0])
            pr["title"], pr["body"] = _flag(rest, "--title"), _body(rest)
            return 0
    if group == "release":
        tag = rest[0]
        release = next((r for r in state["releases"] if r["tag"] == tag), None)
        if verb == "view":
            return 0 if release else 1
        if verb == "create" and release is None:
            state["releases"].append({"tag": tag, "assets": [Path(rest[1]).name]})
            return 0
        if verb == "upload" and release is not None:
            name = Path(rest[1]).name
            if name in release["assets"] and "--clobber" not in rest:
                return 1
            release["assets"] = [*(a for a in release["assets"] if a != name), name]
            return 0
    return _unsupported(args)


def _unsupported(args: list[str]) -> int:
    print(f"fake gh: unsupported call: {args}", file=sys.stderr)
    return 1


def main() -> int:
    path = Path(os.environ["FAKE_GH_STATE"])
    state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for key in ("issues", "prs", "releases", "calls"):
        state.setdefault(key, [])
    args = sys.argv[1:]
    state["calls"].append(args)
    try:
        status = run(state, args)
    finally:
        path.write_text(json.dumps(state, indent=1), encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
