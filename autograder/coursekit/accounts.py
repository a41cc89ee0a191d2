"""The hub's Unix accounts: one per roster member, made by ``make hub`` (as root) and removed by ``make hub-down``.

Each account gets a home of its own, mode 0700 (no one else can list or read it), ``/bin/bash``, and, when
this command made it, a random password written to ``<hub root>/state/passwords.csv`` (mode 0600, root's).
An account that already exists is used as it is: its password and home are never changed.  The accounts
this command made are recorded in ``<hub root>/state/accounts.json``, so ``make hub-down`` removes those and
no other.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

from .paths import CourseError
from .roster import Member

__all__ = ["exists", "ensure_accounts", "remove_accounts"]


def exists(login: str) -> bool:
    """Whether the Unix account ``login`` exists."""
    try:
        pwd.getpwnam(login)
    except KeyError:
        return False
    return True


def _run(cmd: list[str], stdin: str | None = None) -> None:
    result = subprocess.run(cmd, input=stdin, text=True, capture_output=True)
    if result.returncode != 0:
        raise CourseError(f"{' '.join(cmd[:2])} failed ({result.returncode}): {(result.stderr or result.stdout).strip()}")


def ensure_accounts(members: list[Member], state: Path) -> dict[str, str]:
    """Make the missing accounts of ``members``; return ``{login: password}`` of the accounts made now."""
    if os.geteuid() != 0:
        raise CourseError("making the roster's Unix accounts needs root (run `make hub` as root)")
    for tool in ("useradd", "chpasswd", "userdel"):
        if shutil.which(tool) is None:
            raise CourseError(f"{tool} is not installed: apt-get install passwd")
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    made_file = state / "accounts.json"
    made = json.loads(made_file.read_text()) if made_file.exists() else []
    new: dict[str, str] = {}
    for m in members:
        if exists(m.id):
            continue
        _run(["useradd", "--create-home", "--shell", "/bin/bash",
              "--comment", f"{m.first_name} {m.last_name} (convbook {m.role})".strip(), m.id])
        os.chmod(pwd.getpwnam(m.id).pw_dir, 0o700)
        password = secrets.token_urlsafe(12)
        _run(["chpasswd"], stdin=f"{m.id}:{password}\n")
        new[m.id] = password
        made.append(m.id)
        made_file.write_text(json.dumps(made, indent=1) + "\n")
    if new:
        passwords = state / "passwords.csv"
        rows = list(csv.reader(passwords.read_text().splitlines())) if passwords.exists() else [["id", "password"]]
        rows += [[k, v] for k, v in new.items()]
        fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return new


def remove_accounts(state: Path) -> list[str]:
    """Remove the accounts that :func:`ensure_accounts` made (with their homes); return their names."""
    made_file = state / "accounts.json"
    if not made_file.exists():
        return []
    removed = []
    for login in json.loads(made_file.read_text()):
        if exists(login):
            subprocess.run(["pkill", "-KILL", "-u", login], capture_output=True)
            _run(["userdel", "--remove", login])
            removed.append(login)
    made_file.unlink()
    (state / "passwords.csv").unlink(missing_ok=True)
    return removed
