"""The proposal state machine, as data: which action leads from which states to which,
and who may take it. Services consult it; nothing else changes a proposal's status."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from portal.cooperation.models import ProposalStatus as S


class Who(enum.Enum):
    AWAITED = "the side whose answer is awaited"
    PARTY = "either party"
    # Not the side whose answer is awaited (it declines instead); once both agreed,
    # nobody is awaited and either party qualifies.
    PARTY_NOT_AWAITED = "either party but the one whose answer is awaited"
    COORDINATOR = "a city coordinator"
    PARTY_OR_COORDINATOR = "either party or a coordinator"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[S]
    target: S
    who: Who
    needs_comment: bool = False  # a reason the other side (or the parties) will read
    needs_confirmation: bool = False  # it cannot be undone: asked for twice


def _t(sources: set[S], target: S, who: Who, needs_comment: bool = False,
       needs_confirmation: bool = False) -> Transition:
    return Transition(frozenset(sources), target, who, needs_comment, needs_confirmation)


TRANSITIONS: dict[str, Transition] = {
    # Negotiation: the awaited side accepts, declines or counters with new terms.
    "accept": _t({S.PROPOSED}, S.PENDING_APPROVAL, Who.AWAITED),
    "counter": _t({S.PROPOSED}, S.PROPOSED, Who.AWAITED),
    "decline": _t({S.PROPOSED}, S.DECLINED, Who.AWAITED, needs_comment=True),
    "withdraw": _t({S.PROPOSED, S.PENDING_APPROVAL, S.RETURNED}, S.WITHDRAWN,
                   Who.PARTY_NOT_AWAITED),
    # The coordinators' decision once both sides agree.
    "approve": _t({S.PENDING_APPROVAL}, S.ACTIVE, Who.COORDINATOR),
    "reject": _t({S.PENDING_APPROVAL}, S.REJECTED, Who.COORDINATOR, needs_comment=True),
    "return": _t({S.PENDING_APPROVAL}, S.RETURNED, Who.COORDINATOR, needs_comment=True),
    # Returned for changes: either side puts revised terms to the other.
    "revise": _t({S.RETURNED}, S.PROPOSED, Who.PARTY),
    # The partnership's life: amendments go through the same accept/approve cycle.
    "amend": _t({S.ACTIVE}, S.PROPOSED, Who.PARTY),
    "suspend": _t({S.ACTIVE}, S.SUSPENDED, Who.PARTY_OR_COORDINATOR, needs_comment=True),
    "resume": _t({S.SUSPENDED}, S.ACTIVE, Who.PARTY_OR_COORDINATOR),
    "complete": _t({S.ACTIVE}, S.COMPLETED, Who.PARTY_OR_COORDINATOR),
    # Ended before its time (breach, force majeure): the agreement is marked terminated.
    "terminate": _t({S.ACTIVE, S.SUSPENDED}, S.TERMINATED, Who.PARTY_OR_COORDINATOR,
                    needs_comment=True, needs_confirmation=True),
}
# Actions that put new terms on the table (a new version, awaiting the other side).
WITH_TERMS = {"counter", "revise", "amend"}
# An amendment that is declined, withdrawn or rejected leaves the partnership active on
# the terms approved before.
BACK_TO_ACTIVE = {"decline", "withdraw", "reject"}


def target(action: str, amending: bool) -> S:
    """Where `action` leads; `amending`: an active partnership's amendment is under way."""
    if amending and action in BACK_TO_ACTIVE:
        return S.ACTIVE
    return TRANSITIONS[action].target
