"""The API's documents as pydantic models: they validate requests, serialise answers and
generate the OpenAPI document (JSON Schema 2020-12, the dialect of OpenAPI 3.1).

A posting's request body is derived from its web form: the same fields, limits and
required marks, so the API and the pages cannot drift apart. The form itself then runs
on the request, so every rule (dates, salary ranges, list sizes …) is checked once, in
one place, with the same messages."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Length

from portal.accounts.models import EnterpriseSize, OrgKind, UniversityLevel
from portal.forms import LineField, NumberField, TextField
from portal.postings.forms import FORMS, DayField, ListField, PostingForm
from portal.postings.models import EducationLevel, ImportStatus, PostingKind, PostingStatus

PAGE_SIZE_MAX = 100
MATCHES_MAX = 20  # the best matches kept per posting (matching.store.TOP_STORED)


def one_of(enum: type[Enum]) -> Any:  # noqa: ANN401 - a Literal type
    return Literal[tuple(member.value for member in enum)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- Answers -------------------------------------------------------------------------

class OrganizationRef(BaseModel):
    id: int
    name: str
    kind: one_of(OrgKind)  # type: ignore[valid-type]


class OrganizationOut(OrganizationRef):
    updated_at: datetime
    district: str
    industry: str
    size: one_of(EnterpriseSize) | None = None  # type: ignore[valid-type]
    level: one_of(UniversityLevel) | None = None  # type: ignore[valid-type]
    description: str
    verified: bool
    url: str = Field(description="The organisation's page on the portal.")


class PostingOut(BaseModel):
    id: int
    kind: one_of(PostingKind)  # type: ignore[valid-type]
    status: one_of(PostingStatus) = Field(  # type: ignore[valid-type]
        description="As of today: a published posting past its deadline is expired.")
    organization: OrganizationRef
    title: str
    description: str
    skills: list[str]
    courses: list[str]
    major: str
    district: str
    industry: str
    education: one_of(EducationLevel) | None = None  # type: ignore[valid-type]
    headcount: int | None = None
    capacity: int | None = None
    budget: int | None = None
    hire_count: int | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    duration_months: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    deadline: date | None = None
    details: dict[str, Any] = Field(description="The fields particular to the kind.")
    published_at: datetime | None = None
    updated_at: datetime
    version: int = Field(description="Sent back as the ETag; give it in If-Match to update.")
    url: str = Field(description="The posting's page on the portal.")


class PostingPage(BaseModel):
    items: list[PostingOut]
    next_cursor: str | None = Field(
        description="Give it as `cursor` for the next page; null on the last page.")
    total: int = Field(description="Matches counted up to 1,000.")
    total_is_more: bool


class OrganizationPage(BaseModel):
    items: list[OrganizationOut]
    next_cursor: str | None
    total: int
    total_is_more: bool


class MatchedConcept(BaseModel):
    concept: str
    demand: str = Field(description="As the demand said it.")
    supply: str = Field(description="As the supply said it.")


class MissingConcept(BaseModel):
    concept: str
    demand: str


class MatchOut(BaseModel):
    """A posting on the other side, with why it fits."""

    posting: PostingOut
    score: float = Field(ge=0, le=100)
    components: dict[str, float] = Field(
        description="Each component's share of the score (they add up to it).")
    matched: list[MatchedConcept]
    missing: list[MissingConcept] = Field(description="What the demand asks that is not met.")
    reasons: list[str] = Field(description="The stated requirements met or missed, as "
                                           "sentences in the caller's language.")


class MatchList(BaseModel):
    items: list[MatchOut]


class MatchQueryIn(Strict):
    limit: int = Field(10, ge=1, le=MATCHES_MAX)


class ImportDocumentIn(BaseModel):
    """A portal-import/1 document (see the import format): each record is checked on
    its own by the importer, and a refused record is reported, not fatal."""

    model_config = ConfigDict(extra="allow")
    format: Literal["portal-import/1"]
    organizations: list[dict[str, Any]] = []
    postings: list[dict[str, Any]] = []


class RecordIssue(BaseModel):
    ref: str
    field: str
    reason: str


class ImportReportOut(BaseModel):
    organizations_created: int
    organizations_updated: int
    postings_created: int
    postings_updated: int
    refused: int
    errors: list[RecordIssue] = Field(description="The first refused records, each with why.")


class ImportOut(BaseModel):
    id: int
    status: one_of(ImportStatus)  # type: ignore[valid-type]
    records: int
    done: int
    requested_at: datetime
    finished_at: datetime | None = None
    report: ImportReportOut
    failure: str | None = Field(None, description="Why the whole file failed, if it did.")


class ValidationIssue(BaseModel):
    pointer: str = Field(description="JSON Pointer (RFC 6901) to the field at fault.")
    detail: str


class ProblemOut(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[ValidationIssue] | None = None


# --- Queries -------------------------------------------------------------------------

class PostingQueryIn(Strict):
    q: str = Field("", max_length=200, description="Words, as on the search page.")
    kind: one_of(PostingKind) | None = None  # type: ignore[valid-type]
    skill: str = Field("", max_length=100)
    major: str = Field("", max_length=100)
    district: str = Field("", max_length=50)
    industry: str = Field("", max_length=100)
    education: one_of(EducationLevel) | None = None  # type: ignore[valid-type]
    status: one_of(PostingStatus) | None = Field(  # type: ignore[valid-type]
        None, description="Coordinators only; others always see live postings.")
    organization: int | None = Field(None, ge=1, le=2**31 - 1)
    updated_since: datetime | None = Field(
        None, description="Only postings changed since then, oldest change first, "
                          "closed and expired ones included: for mirroring.")
    cursor: str = Field("", max_length=500)
    limit: int = Field(20, ge=1, le=PAGE_SIZE_MAX)


class OrganizationQueryIn(Strict):
    q: str = Field("", max_length=200)
    kind: one_of(OrgKind) | None = None  # type: ignore[valid-type]
    district: str = Field("", max_length=50)
    updated_since: datetime | None = Field(
        None, description="Only organisations changed since then, oldest change first.")
    cursor: str = Field("", max_length=500)
    limit: int = Field(20, ge=1, le=PAGE_SIZE_MAX)


# --- Posting bodies, from the forms --------------------------------------------------

def _form_fields(form: type[PostingForm]) -> list[tuple[str, UnboundField]]:
    found = [(name, getattr(form, name)) for name in dir(form)
             if isinstance(getattr(form, name, None), UnboundField) and name != "version"]
    return sorted(found, key=lambda item: item[1].creation_counter)


def _choices(unbound: UnboundField) -> tuple[str, ...]:
    return tuple(choice[0] if isinstance(choice, tuple) else choice.value
                 for choice in unbound.kwargs.get("choices", ()) if (
                     choice[0] if isinstance(choice, tuple) else choice.value))


def _field(unbound: UnboundField, *, partial: bool) -> tuple[Any, Any]:
    """(annotation, pydantic Field) of one form field."""
    validators = unbound.kwargs.get("validators") or []
    required = not partial and (unbound.kwargs.get("required_") or any(
        isinstance(v, DataRequired) for v in validators))
    constraints: dict[str, Any] = {}
    field_class = unbound.field_class
    if issubclass(field_class, NumberField):
        annotation: Any = int
        constraints.update(ge=unbound.kwargs.get("minimum", 0), le=unbound.kwargs["maximum"])
    elif issubclass(field_class, DayField):
        annotation = date
    elif issubclass(field_class, ListField):
        annotation = list[Annotated[str, Field(max_length=200)]]
    elif issubclass(field_class, SelectMultipleField):
        annotation = list[Literal[_choices(unbound)]]  # type: ignore[misc]
    elif issubclass(field_class, SelectField):
        annotation = Literal[_choices(unbound)]  # type: ignore[misc]
    elif issubclass(field_class, LineField | TextField):
        annotation = str
        lengths = [v.max for v in validators if isinstance(v, Length) and v.max > 0]
        if lengths:
            constraints["max_length"] = min(lengths)
        if required:  # something other than spaces
            constraints["pattern"] = r"\S"
    else:  # a new kind of form field must be described here first
        raise TypeError(f"no API type for {field_class.__name__}")
    if required:
        return annotation, Field(..., **constraints)
    return annotation | None, Field(None, **constraints)


@cache
def posting_body(kind: PostingKind, *, partial: bool = False) -> type[Strict]:
    """The JSON body that creates (or, `partial`, changes) a posting of `kind`."""
    fields: dict[str, Any] = {name: _field(unbound, partial=partial)
                              for name, unbound in _form_fields(FORMS[kind])}
    if not partial:
        fields["kind"] = (Literal[kind.value], Field(...))
    name = "".join(part.title() for part in kind.value.split("_"))
    return create_model(f"{name}{'Changes' if partial else 'New'}", __base__=Strict,
                        __doc__=f"A {kind.value.replace('_', ' ')}.", **fields)


def _new_posting() -> type[RootModel]:
    union = Union[tuple(posting_body(kind) for kind in PostingKind)]  # type: ignore[valid-type]  # noqa: UP007
    return create_model("PostingNew", __base__=RootModel[
        Annotated[union, Field(discriminator="kind")]])


def _posting_changes() -> type[Strict]:
    """Any posting's fields, all optional: the posting's own kind decides which apply."""
    fields: dict[str, Any] = {}
    for kind in PostingKind:
        for name, unbound in _form_fields(FORMS[kind]):
            annotation, field = _field(unbound, partial=True)
            if name in fields:  # the same field on two forms: the widest bounds
                field = _wider(fields[name][1], field)
                annotation = fields[name][0]
            fields[name] = (annotation, field)
    return create_model("PostingChanges", __base__=Strict,
                        __doc__="Only the fields given change.", **fields)


def _bound(info: Any, attribute: str) -> Any:  # noqa: ANN401 - pydantic FieldInfo
    return next((getattr(item, attribute) for item in info.metadata
                 if getattr(item, attribute, None) is not None), None)


def _wider(one: Any, other: Any) -> Any:  # noqa: ANN401 - pydantic FieldInfo
    merged = {}
    for attribute, widest in (("ge", min), ("le", max), ("max_length", max)):
        present = [bound for bound in (_bound(one, attribute), _bound(other, attribute))
                   if bound is not None]
        if present:
            merged[attribute] = widest(present)
    return Field(None, **merged)


PostingNew = _new_posting()
PostingChanges = _posting_changes()
POSTING_TAGS = frozenset(kind.value for kind in PostingKind)
