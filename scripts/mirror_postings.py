#!/usr/bin/env python3
"""Keep a local copy of the portal's postings up to date through its API: an example for
integrators (district job-fair sites, university systems). Standard library only.

    PORTAL_API_TOKEN=cjp_… python3 scripts/mirror_postings.py https://portal.example mirror.json

Each run asks for what changed since the last one (`updated_since`), follows the pages to
the end (`next_cursor`) and saves the copy with the newest change seen. It asks again from
a few minutes before that mark: a change committed late, by a transaction that began
earlier, carries an earlier time, and the overlap catches it (versions make re-reading
harmless). Closed and expired postings stay in the copy with their status."""
from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

OVERLAP = timedelta(minutes=5)
PAGE = 100


def _get(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}",
                                                   "Accept": "application/json"})
    for _attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                return json.load(answer)
        except urllib.error.HTTPError as refused:
            if refused.code != 429:  # anything but "slow down" is for a person to read
                raise
            time.sleep(min(60, int(refused.headers.get("Retry-After", "1"))))
    raise RuntimeError("still rate-limited after five tries")


def mirror(base_url: str, token: str, store: Path) -> int:
    """Bring `store` up to date; returns how many postings were new or changed."""
    copy = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {
        "postings": {}, "newest_change": None}
    since = copy["newest_change"]
    if since:
        since = (datetime.fromisoformat(since) - OVERLAP).isoformat()
    else:
        since = "2000-01-01T00:00:00+00:00"  # the first run reads everything
    changed, cursor = 0, ""
    while True:
        query = urllib.parse.urlencode({"updated_since": since, "limit": PAGE,
                                        "cursor": cursor})
        page = _get(f"{base_url.rstrip('/')}/api/v1/postings?{query}", token)
        for posting in page["items"]:
            known = copy["postings"].get(str(posting["id"]))
            if known is None or known["version"] < posting["version"] or \
                    known["status"] != posting["status"]:
                copy["postings"][str(posting["id"])] = posting
                changed += 1
            if copy["newest_change"] is None or posting["updated_at"] > copy["newest_change"]:
                copy["newest_change"] = posting["updated_at"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    temporary = store.with_suffix(store.suffix + ".tmp")
    temporary.write_text(json.dumps(copy, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(store)  # a run that fails half-way leaves the last good copy
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 3 or not os.environ.get("PORTAL_API_TOKEN"):
        sys.exit(__doc__)
    count = mirror(sys.argv[1], os.environ["PORTAL_API_TOKEN"], Path(sys.argv[2]))
    print(f"{count} postings new or changed")
