"""`flask --app wsgi init-db | create-coordinator | seed-demo`."""
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.accounts.models import Organization, OrgStatus, Role, User
from portal.cooperation.models import Proposal, ProposalStatus
from portal.monitoring.balance import balance
from portal.monitoring.models import Dimension, MonitoringWarning
from portal.monitoring.periods import Period, PeriodKind

ROOT = Path(__file__).resolve().parent.parent


def test_create_coordinator(runner, db):
    result = runner.invoke(args=["create-coordinator", "--email", "Liu@City.example",
                                 "--name", "刘协调员", "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User))
    assert user.role is Role.COORDINATOR and user.email == "liu@city.example"
    assert user.organization_id is None


@pytest.mark.parametrize("password, message", [
    ("short", "密码长度应在 10 到 128 个字符之间"),
    ("1234567890", "过于简单"),  # issue 14: ten digits were accepted
    ("woaini1314520", "过于简单"),
])
def test_create_coordinator_refuses_weak_passwords(runner, db, password, message):
    result = runner.invoke(args=["create-coordinator", "--email", "a@city.example",
                                 "--name", "A", "--password", password])
    assert result.exit_code != 0 and message in result.output
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_create_coordinator_refuses_duplicates(runner, db):
    runner.invoke(args=["create-coordinator", "--email", "a@city.example", "--name", "A",
                        "--password", "a-long-password"])
    result = runner.invoke(args=["create-coordinator", "--email", "A@city.example",
                                 "--name", "B", "--password", "a-long-password"])
    assert result.exit_code != 0 and "该电子邮箱已注册" in result.output
    assert db.scalar(select(func.count()).select_from(User)) == 1


def test_create_coordinator_asks_for_the_password_twice(runner, db):
    result = runner.invoke(args=["create-coordinator", "--email", "p@city.example",
                                 "--name", "P"], input="a-long-password\na-long-password\n")
    assert result.exit_code == 0, result.output
    assert db.scalar(select(User.email)) == "p@city.example"


def test_seed_demo_prints_logins_that_work_and_can_run_twice(runner, client, db):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    lines = [line.split() for line in result.output.splitlines() if "@" in line and "demo" in line]
    assert len(lines) >= 8
    statuses = {o.status for o in db.scalars(select(Organization))}
    assert statuses == {OrgStatus.VERIFIED, OrgStatus.PENDING}
    assert db.scalar(select(func.count()).select_from(Organization)) == 8
    # Proposals in every state, made once however often the command runs.
    assert {p.status for p in db.scalars(select(Proposal))} == set(ProposalStatus)
    assert db.scalar(select(func.count()).select_from(Proposal)) == len(ProposalStatus)
    # A year of history for monitoring: each of the four quarters before this one has a
    # shortage, once however often the command runs.
    zone = ZoneInfo("Asia/Shanghai")
    current = Period.containing(PeriodKind.QUARTER, datetime.now(zone).date())
    for back in range(1, 5):
        quarter = balance(db, Dimension.MAJOR, current.shifted(-back), zone)
        assert quarter.shortages, quarter.period
    last = {row.label: row for row in balance(db, Dimension.MAJOR, current.previous, zone).rows}
    assert last["新能源汽车技术"].now.demand == 25
    # Its warning rule fired for the majors short two quarters running, once.
    fired = set(db.scalars(select(MonitoringWarning.label)))
    assert "工业机器人技术" in fired
    assert db.scalar(select(func.count()).select_from(MonitoringWarning)) == len(fired)
    for email, password, *_ in lines:
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, email
        client.post("/logout")


def test_init_db_through_the_real_command_line(tmp_path):
    """What the README and the evaluation tools run, in a fresh process and database."""
    env = {**os.environ, "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
           "PORTAL_SECRET_KEY": "cli-test"}
    flask = Path(sys.executable).parent / "flask"
    for _ in range(2):  # a second run finds nothing to do
        result = subprocess.run([str(flask), "--app", "wsgi", "init-db"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "up to date" in result.stdout
    assert (tmp_path / "fresh.db").exists()
