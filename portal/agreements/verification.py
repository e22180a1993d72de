"""Public verification: anyone holding a printed agreement looks it up by its code and
checks whether a PDF is exactly the one the portal issued."""
from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.agreements.models import Agreement, MentorCertificate


def normalise_code(typed: str) -> str:
    """A code as stored, from what someone typed (any case, spaces or dashes)."""
    raw = "".join(ch for ch in typed.upper() if ch.isascii() and ch.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def find_document(session: Session, typed: str) -> Agreement | MentorCertificate | None:
    """The agreement or mentor certificate issued under a code, as someone typed it."""
    code = normalise_code(typed)
    if not code:
        return None
    for model in (Agreement, MentorCertificate):
        document = session.scalar(select(model).where(model.verification_code == code))
        if document is not None:
            return document
    return None


def later_version(session: Session, agreement: Agreement) -> Agreement | None:
    """The newest version of the same partnership, when this one is not it."""
    newest = session.scalar(select(Agreement).where(
        Agreement.proposal_id == agreement.proposal_id).order_by(Agreement.version.desc())
        .limit(1))
    return newest if newest is not None and newest.id != agreement.id else None


def issued_copy(document: Agreement | MentorCertificate, data: bytes) -> str | None:
    """Which issued PDF `data` is byte for byte: "zh" (the document), "en" (an
    agreement's English copy), or None."""
    digest = hashlib.sha256(data).hexdigest()
    if document.sha256 and hmac.compare_digest(digest, document.sha256):
        return "zh"
    english = getattr(document, "english_sha256", None)
    if english and hmac.compare_digest(digest, english):
        return "en"
    return None
