"""The background worker's entry point: `huey_consumer portal.worker.huey`."""
from portal import create_app

app = create_app()
huey = app.extensions["huey"]
