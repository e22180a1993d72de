"""Postings and organisations as the API's JSON documents (see schemas for their shape)."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for

from portal.accounts.models import Organization
from portal.matching.explain import sentences
from portal.matching.store import Recommendation
from portal.postings import imports
from portal.postings.models import ImportRun, Posting


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


def match_document(recommendation: Recommendation, today: date) -> dict[str, Any]:
    match = recommendation.match
    return {"posting": posting_document(recommendation.posting, today),
            "score": round(match.score, 1), "components": match.components,
            "matched": [{"concept": concept, "demand": demand, "supply": supply}
                        for concept, demand, supply in match.matched],
            "missing": [{"concept": concept, "demand": demand}
                        for concept, demand in match.missing],
            "reasons": sentences(match)}


def import_document(run: ImportRun, language: str) -> dict[str, Any]:
    report = imports.report_of(run)
    return {"id": run.id, "status": imports.outcome(run).value, "records": run.records,
            "done": run.done, "requested_at": run.requested_at, "finished_at": run.finished_at,
            "report": {**report, "errors": [
                {"ref": error["ref"], "field": error["field"],
                 "reason": error["reason"][language]} for error in report["errors"]]},
            "failure": imports.failure(run, language)}
