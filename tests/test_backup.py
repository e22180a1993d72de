"""The backup drill (issue 14), on whichever database the run uses: back up, wipe, restore,
and every row count and every file hash is as it was; a damaged backup is refused
before anything is touched."""
import hashlib
import json

import pytest
from sqlalchemy import select

from portal.agreements.models import Agreement
from portal.agreements.scans import upload_scan
from portal.backup import BackupError, backup, restore, row_counts
from portal.db import state
from portal.storage import read_checked, storage_dir
from tests import factories
from tests.conftest import _empty_all_tables


def stored_files() -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in storage_dir().iterdir() if path.is_file()}


@pytest.fixture
def world(app, db):
    """A partnership with its agreement PDF and a signed scan, and saved match weights."""
    proposal = factories.partnership(db)
    db.commit()  # the agreement is issued after the commit
    agreement = db.scalar(select(Agreement).where(Agreement.proposal_id == proposal.id))
    upload_scan(db, agreement, proposal.partner.members[0],
                read_checked(agreement.stored_name, agreement.sha256), "盖章页.pdf")
    db.commit()
    (storage_dir().parent / "match-weights.json").write_text('{"lexical": 0.3}')
    db.close()  # the drill replaces the database under the session
    return proposal


def test_backup_wipe_restore_gives_everything_back(app, world, runner, tmp_path):
    engine = state(app).write_engine
    rows, files = row_counts(engine), stored_files()
    assert rows["agreements"] == 1 and rows["agreement_scans"] == 1 and len(files) == 2
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output

    _empty_all_tables(app)  # the wipe: every row, every file
    for path in storage_dir().iterdir():
        path.unlink()
    (storage_dir().parent / "match-weights.json").unlink()
    assert row_counts(engine)["agreements"] == 0 and stored_files() == {}

    result = runner.invoke(args=["restore", str(tmp_path / "backup"), "--yes"])
    assert result.exit_code == 0, result.output
    assert row_counts(engine) == rows and stored_files() == files
    assert (storage_dir().parent / "match-weights.json").read_text() == '{"lexical": 0.3}'


def test_restore_takes_back_what_came_after_the_backup(app, world, db, tmp_path):
    backup(app, tmp_path / "backup")
    rows, files = row_counts(state(app).write_engine), stored_files()
    factories.partnership(db, title="备份之后的订单班")
    db.commit()  # a second agreement PDF is stored
    db.close()
    assert len(stored_files()) == 3
    restore(app, tmp_path / "backup")
    assert row_counts(state(app).write_engine) == rows and stored_files() == files


@pytest.mark.parametrize("damage", ["database", "file", "name"])
def test_a_damaged_backup_is_refused_before_anything_changes(app, world, tmp_path, damage):
    target = tmp_path / "backup"
    backup(app, target)
    manifest = json.loads((target / "manifest.json").read_text())
    if damage == "database":
        with (target / manifest["database"]["file"]).open("ab") as handle:
            handle.write(b"tampered")
    elif damage == "file":
        name = next(iter(manifest["files"]))
        (target / "files" / name).write_bytes(b"not what was stored")
    else:
        manifest["files"]["documents/../../../outside"] = "0" * 64
        (target / "manifest.json").write_text(json.dumps(manifest))
    rows, files = row_counts(state(app).write_engine), stored_files()
    with pytest.raises(BackupError):
        restore(app, target)
    assert row_counts(state(app).write_engine) == rows and stored_files() == files


def test_a_backup_goes_into_a_folder_of_its_own(app, tmp_path):
    (tmp_path / "something.txt").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup(app, tmp_path)
