"""Proposals, partnerships and their agreements as the API's documents. A kind's terms
are derived from the cooperation's term fields (cooperation.terms), the same fields the
web's terms form shows; the service then checks them as it checks the form's."""
from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, RootModel, create_model

from portal.accounts.models import Role
from portal.agreements.models import AgreementStatus
from portal.api.schemas import PAGE_SIZE_MAX, OrganizationRef, Strict, one_of
from portal.checks import LINE_MAX, TEXT_MAX
from portal.cooperation.models import CooperationKind, ProposalStatus
from portal.cooperation.terms import NUMBER_MAX, TERMS, TermField
from portal.cooperation.workflow import TRANSITIONS

KIND_TAGS = frozenset(kind.value for kind in CooperationKind)


# --- Answers -------------------------------------------------------------------------

class TermsVersionOut(BaseModel):
    number: int
    terms: dict[str, Any]
    note: str
    author: OrganizationRef
    created_at: datetime


class ProposalEventOut(BaseModel):
    """One entry of the audit trail."""

    action: str
    from_status: one_of(ProposalStatus) | None = None  # type: ignore[valid-type]
    to_status: one_of(ProposalStatus)  # type: ignore[valid-type]
    actor_role: one_of(Role) | None = None  # type: ignore[valid-type]
    version: int = Field(description="The terms version the event concerns.")
    comment: str
    at: datetime


class AgreementOut(BaseModel):
    id: int
    proposal: int
    number: str = Field(description="As printed on the agreement, e.g. CJ-2026-000123.")
    version: int = Field(description="The approved terms version it prints.")
    status: one_of(AgreementStatus)  # type: ignore[valid-type]
    issued_at: datetime
    signed_at: datetime | None = Field(
        None, description="When both parties had uploaded their signed copy.")
    signed_by: list[OrganizationRef]
    verification_code: str
    sha256: str = Field(description="Of the issued PDF: a copy is genuine if it has this.")
    size: int
    pdf: str = Field(description="The PDF, through this API.")
    english_pdf: str | None = Field(None, description="Its English copy, once rendered.")
    verify_url: str = Field(description="The public verification page (the QR code's).")


class ProposalOut(BaseModel):
    """A proposal from first offer to the partnership's end."""

    id: int
    kind: one_of(CooperationKind)  # type: ignore[valid-type]
    title: str
    status: one_of(ProposalStatus)  # type: ignore[valid-type]
    proposer: OrganizationRef
    partner: OrganizationRef
    awaiting: OrganizationRef | None = Field(
        None, description="The side whose answer is awaited, while terms are on the table.")
    demand: int | None = Field(None, description="The demand posting it came from.")
    supply: int | None = Field(None, description="The supply posting it came from.")
    terms: dict[str, Any] = Field(description="The current terms: on the table while "
                                              "negotiating, else in force.")
    current_version: int
    approved_version: int | None = None
    versions: list[TermsVersionOut]
    events: list[ProposalEventOut]
    actions: list[str] = Field(description="What the caller may do now (POST "
                                           "…/actions/{action}).")
    agreements: list[AgreementOut] = Field(description="Newest version first.")
    created_at: datetime
    updated_at: datetime
    approved_at: datetime | None = None
    version: int = Field(description="Sent back as the ETag; give it in If-Match to act.")
    url: str = Field(description="The proposal's page on the portal.")


class ProposalPage(BaseModel):
    items: list[ProposalOut]
    next_cursor: str | None
    total: int
    total_is_more: bool


class VerificationOut(BaseModel):
    """What the portal issued under a verification code."""

    document: Literal["agreement", "mentor_certificate"]
    number: str | None
    status: str
    issued_at: datetime | None = None
    sha256: str | None = None
    parties: list[OrganizationRef]
    later_version: str | None = Field(
        None, description="The number of a later version of the agreement, if any.")


# --- Queries and bodies ----------------------------------------------------------------

class ProposalQueryIn(Strict):
    q: str = Field("", max_length=100, description="The title or either party's name.")
    status: one_of(ProposalStatus) | None = None  # type: ignore[valid-type]
    kind: one_of(CooperationKind) | None = None  # type: ignore[valid-type]
    updated_since: datetime | None = Field(
        None, description="Only proposals changed since then, oldest change first.")
    cursor: str = Field("", max_length=500)
    limit: int = Field(20, ge=1, le=PAGE_SIZE_MAX)


def _term(field: TermField) -> tuple[Any, Any]:
    annotation: Any = {
        "number": Annotated[int, Field(ge=0, le=NUMBER_MAX)],
        "date": date,
        "list": list[Annotated[str, Field(max_length=TEXT_MAX)]],
    }.get(field.kind, Annotated[str, Field(max_length=TEXT_MAX)])
    if field.required:
        return annotation, Field(...)
    return annotation | None, Field(None)


@cache
def terms_body(kind: CooperationKind) -> type[Strict]:
    """The terms of a cooperation of `kind`, as its terms form asks for them."""
    name = "".join(part.title() for part in kind.value.split("_"))
    return create_model(f"{name}Terms", __base__=Strict, **{
        field.name: _term(field) for field in TERMS[kind]})


NOTE = Annotated[str | None, Field(None, max_length=TEXT_MAX)]


def _proposal_body(kind: CooperationKind) -> type[Strict]:
    name = "".join(part.title() for part in kind.value.split("_"))
    return create_model(
        f"{name}ProposalNew", __base__=Strict, __doc__=f"A {kind.value.replace('_', ' ')}.",
        kind=(Literal[kind.value], Field(...)),
        partner=(int, Field(..., ge=1, le=2**31 - 1,
                            description="A verified organisation of the other side.")),
        title=(str, Field(..., max_length=LINE_MAX, pattern=r"\S")),
        terms=(terms_body(kind), Field(...)),
        note=(NOTE, None),
        demand=(int | None, Field(None, ge=1, le=2**31 - 1,
                                  description="The demand posting of the match, if any.")),
        supply=(int | None, Field(None, ge=1, le=2**31 - 1)))


ProposalNew = create_model("ProposalNew", __base__=RootModel[Annotated[
    Union[tuple(_proposal_body(kind) for kind in CooperationKind)],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="kind")]])


class ProposalActionIn(Strict):
    comment: NOTE = Field(None, max_length=TEXT_MAX, description=(
        "A reason, which decline, reject, return, suspend and terminate need."))
    terms: dict[str, Any] | None = Field(None, description=(
        "The terms proposed (counter, revise, amend), as the kind's terms of ProposalNew."))
    confirm: bool = Field(False, description="terminate cannot be undone: send true.")


ACTIONS = tuple(TRANSITIONS)
