"""Postings and organisations as the API's JSON documents (see schemas for their shape)."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for

from portal.accounts.models import Organization
from portal.postings.models import Posting


def organization_ref(org: Organization) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "kind": org.kind.value}


def organization_document(org: Organization) -> dict[str, Any]:
    return {**organization_ref(org), "district": org.district, "industry": org.industry,
            "size": org.size.value if org.size else None,
            "level": org.level.value if org.level else None,
            "description": org.description, "verified": org.is_verified,
            "url": url_for("directory.profile", org_id=org.id, _external=True)}


def posting_document(posting: Posting, today: date) -> dict[str, Any]:
    return {
        "id": posting.id, "kind": posting.kind.value,
        "status": posting.effective_status(today).value,
        "organization": organization_ref(posting.organization),
        **{name: getattr(posting, name) for name in (
            "title", "description", "skills", "courses", "major", "district", "industry",
            "headcount", "capacity", "budget", "hire_count", "salary_min", "salary_max",
            "duration_months", "start_date", "end_date", "deadline", "published_at",
            "updated_at", "version")},
        "education": posting.education.value if posting.education else None,
        "details": posting.details or {},
        "url": url_for("postings.detail", posting_id=posting.id, _external=True),
    }
