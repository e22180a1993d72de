"""Faults (issue 14): the database going away mid-request gives a clean page and the next
request recovers; a full disk while storing a file leaves no half file and says so."""
import errno
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from portal.agreements.models import SignedScan
from portal.agreements.services import pdf_bytes
from portal.db import state
from portal.storage import storage_dir
from tests import factories


def test_a_database_failure_mid_request_is_a_clean_page_and_the_next_request_recovers(
        client, login_as, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import portal.postings.views as views

    login_as("enterprise_hr")
    real = views.search_postings

    def gone(*args, **kwargs):
        raise OperationalError("SELECT …", {}, Exception("server closed the connection"))

    monkeypatch.setattr(views, "search_postings", gone)
    response = client.get("/postings/")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert "数据库暂时无法连接" in response.get_data(as_text=True)
    monkeypatch.setattr(views, "search_postings", real)
    assert client.get("/postings/").status_code == 200


def test_postgresql_connections_killed_under_the_portal_are_replaced(app, client, login_as,
                                                                     monkeypatch):
    """The server drops the portal's connections (a restart, a failover): the request
    that was using one fails cleanly; the next gets a fresh one (pool pre-ping)."""
    engine = state(app).engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL connections")
    import portal.postings.views as views

    login_as("enterprise_hr")
    assert client.get("/postings/").status_code == 200  # the pool now holds connections
    real = views.search_postings

    def killed(session, *args, **kwargs):
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return real(session, *args, **kwargs)

    monkeypatch.setattr(views, "search_postings", killed)
    assert client.get("/postings/").status_code == 503
    monkeypatch.setattr(views, "search_postings", real)
    assert client.get("/postings/").status_code == 200
    # Between requests, the pooled connections die (the server restarted).
    with engine.connect() as pooled:
        pid = pooled.scalar(text("SELECT pg_backend_pid()"))
    outsider = create_engine(engine.url)
    with outsider.connect() as other:
        assert other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    outsider.dispose()
    assert client.get("/postings/").status_code == 200


def test_a_full_disk_while_storing_a_scan_leaves_no_half_file_and_says_so(
        client, db, login_as, monkeypatch):
    proposal = factories.partnership(db)
    db.commit()
    agreement = proposal.agreements[0]
    scan = pdf_bytes(agreement)
    before = sorted(path.name for path in storage_dir().iterdir())
    real_write = Path.write_bytes

    def disk_full(path, data):
        if path.name.endswith(".partial"):
            real_write(path, data[: len(data) // 2])  # half of it reaches the disk
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    login_as(proposal.partner.members[0])
    page = client.post(f"/agreements/{agreement.id}/scans",
                       data={"file": (io.BytesIO(scan), "盖章页.pdf")},
                       content_type="multipart/form-data",
                       follow_redirects=True).get_data(as_text=True)
    assert "磁盘已满或不可用" in page
    assert sorted(path.name for path in storage_dir().iterdir()) == before
    assert db.scalar(select(func.count()).select_from(SignedScan)) == 0
