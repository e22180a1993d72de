"""Postings and organisations as the API's JSON documents (see schemas for their shape)."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for

from portal.accounts.models import Organization
from portal.agreements.models import Agreement, MentorCertificate
from portal.cooperation.models import Proposal
from portal.matching.explain import sentences
from portal.matching.store import Recommendation
from portal.postings import imports
from portal.postings.models import ImportRun, Posting


def organization_ref(org: Organization) -> dict[str, Any]:
    return {"id": org.id, "name": org.name, "kind": org.kind.value}


def organization_document(org: Organization) -> dict[str, Any]:
    return {**organization_ref(org), "updated_at": org.updated_at,
            "district": org.district, "industry": org.industry,
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


def agreement_document(agreement: Agreement) -> dict[str, Any]:
    signed = agreement.signed_by()
    english = (url_for("api.cooperation.agreement_pdf", agreement_id=agreement.id, lang="en",
                       _external=True) if agreement.english_stored_name else None)
    return {
        "id": agreement.id, "proposal": agreement.proposal_id, "number": agreement.number,
        "version": agreement.version, "status": agreement.status.value,
        "issued_at": agreement.issued_at, "signed_at": agreement.signed_at,
        "signed_by": [organization_ref(org) for org in
                      (agreement.proposal.proposer, agreement.proposal.partner)
                      if org.id in signed],
        "verification_code": agreement.verification_code, "sha256": agreement.sha256,
        "size": agreement.size,
        "pdf": url_for("api.cooperation.agreement_pdf", agreement_id=agreement.id,
                       _external=True),
        "english_pdf": english,
        "verify_url": url_for("agreements.verify", code=agreement.verification_code,
                              _external=True)}


def proposal_document(proposal: Proposal, actions: list[str]) -> dict[str, Any]:
    """`actions`: what the caller may do now."""
    return {
        "id": proposal.id, "kind": proposal.kind.value, "title": proposal.title,
        "status": proposal.status.value, "proposer": organization_ref(proposal.proposer),
        "partner": organization_ref(proposal.partner),
        "awaiting": organization_ref(proposal.awaiting) if proposal.awaiting else None,
        "demand": proposal.demand_posting_id, "supply": proposal.supply_posting_id,
        "terms": proposal.terms, "current_version": proposal.current_version,
        "approved_version": proposal.approved_version,
        "versions": [{"number": version.number, "terms": version.terms, "note": version.note,
                      "author": organization_ref(
                          proposal.proposer if version.author_org_id == proposal.proposer_org_id
                          else proposal.partner),
                      "created_at": version.created_at} for version in proposal.versions],
        "events": [{"action": event.action,
                    "from_status": event.from_status.value if event.from_status else None,
                    "to_status": event.to_status.value,
                    "actor_role": event.actor_role.value if event.actor_role else None,
                    "version": event.version_number, "comment": event.comment,
                    "at": event.created_at} for event in proposal.events],
        "actions": actions,
        "agreements": [agreement_document(agreement) for agreement in proposal.agreements],
        "created_at": proposal.created_at, "updated_at": proposal.updated_at,
        "approved_at": proposal.approved_at, "version": proposal.version,
        "url": url_for("cooperation.detail", proposal_id=proposal.id, _external=True)}


def verification_document(document: Agreement | MentorCertificate,
                          later: Agreement | None) -> dict[str, Any]:
    proposal = document.proposal
    is_agreement = isinstance(document, Agreement)
    return {
        "document": "agreement" if is_agreement else "mentor_certificate",
        "number": document.number, "status": document.status.value,
        "issued_at": document.issued_at if is_agreement else document.countersigned_at,
        "sha256": document.sha256,
        "parties": [organization_ref(proposal.proposer), organization_ref(proposal.partner)],
        "later_version": later.number if later is not None else None}
