"""Landing page, dashboard and language switch."""
