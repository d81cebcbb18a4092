"""`tete manage check --deploy` is clean with the production settings docs/deploy.md lists,
read from that file, so the two cannot drift apart."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

DEPLOY_DOC = Path(__file__).resolve().parents[1] / "docs" / "deploy.md"
CHECK = [sys.executable, "-m", "tete.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"]


def documented_environment() -> dict[str, str]:
    """The `export NAME=value` lines of the shared settings block in docs/deploy.md."""
    text = DEPLOY_DOC.read_text()
    section = text.split("## 2. Shared settings", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    variables = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0]
        if line.startswith("export "):
            for name, value in re.findall(r"(\w+)=(\S+)", line):
                variables[name] = value
    return variables


POSTGRES_URL = "postgres://tete:secret@db.invalid:5432/tete"


def run_check(tmp_path: Path, variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TETE_", "DJANGO_")) and name != "DATABASE_URL"
    }
    env.update(variables)
    env["TETE_DATA_DIR"] = str(tmp_path)
    return subprocess.run(CHECK, env=env, capture_output=True, text=True, timeout=120)


def test_the_documented_production_settings_pass_the_deploy_check(tmp_path):
    variables = documented_environment()
    assert {"TETE_HTTPS", "TETE_SSL_REDIRECT", "TETE_HSTS_SECONDS", "TETE_CACHE_URL"} <= set(
        variables
    )
    # The placeholders a deployment fills in; the database of several app servers (the
    # check does not connect to it).
    variables["TETE_SECRET_KEY"] = secrets.token_urlsafe(50)
    variables["DATABASE_URL"] = POSTGRES_URL
    result = run_check(tmp_path, variables)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_them_the_deploy_check_says_what_is_missing(tmp_path):
    result = run_check(tmp_path, {})
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016", "tete.W001"):
        assert code in result.stderr, code


def test_app_servers_each_with_a_key_of_their_own_are_flagged(tmp_path):
    variables = documented_environment()
    variables.pop("TETE_SECRET_KEY", None)
    variables["DATABASE_URL"] = POSTGRES_URL
    result = run_check(tmp_path, variables)
    assert result.returncode != 0
    assert "tete.W002" in result.stderr
    assert "TETE_SECRET_KEY" in result.stderr


def test_one_machine_on_sqlite_may_keep_its_generated_key(tmp_path):
    variables = documented_environment()
    variables.pop("TETE_SECRET_KEY", None)
    result = run_check(tmp_path, variables)
    assert "tete.W002" not in result.stderr
