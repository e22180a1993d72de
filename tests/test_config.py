"""Configuration layers and the generated secret key."""
import stat

from portal import create_app


def test_secret_key_is_generated_once_and_kept(tmp_path, migrated_database):
    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": migrated_database}
    first = create_app(dict(config))
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = create_app(dict(config))
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_environment_overrides_instance_config(tmp_path, monkeypatch, migrated_database):
    (tmp_path / "config.py").write_text(
        "DATABASE_URL = 'sqlite:///from-instance.db'\nLOGIN_MAX_FAILURES_PER_ACCOUNT = 9\n"
        "SECRET_KEY = 'from-instance'\n")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DATABASE_URL"] == "sqlite:///from-instance.db"
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 9
    assert app.config["SECRET_KEY"] == "from-instance"
    assert not (tmp_path / "secret_key").exists()

    monkeypatch.setenv("PORTAL_DATABASE_URL", migrated_database)
    monkeypatch.setenv("PORTAL_LOGIN_MAX_FAILURES_PER_ACCOUNT", "3")
    monkeypatch.setenv("PORTAL_PRODUCTION", "true")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DATABASE_URL"] == migrated_database
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 3
    assert app.config["PRODUCTION"] is True and app.config["SESSION_COOKIE_SECURE"]


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'portal.db'}"
