"""Coordinators' synonyms: another word for a taxonomy concept, effective on the next match."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.checks import too_long_message
from portal.errors import DomainError, PermissionDenied
from portal.matching.jobs import queued_after_change
from portal.matching.models import SkillSynonym
from portal.matching.normalise import normalise
from portal.matching.taxonomy import shipped_taxonomy
from portal.signals import vocabulary_changed

MAX_ALIAS_LENGTH = 50


def _check_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise PermissionDenied(_l("Only city coordinators change the matching vocabulary."))


def add_synonym(session: Session, concept_id: str, alias: str, actor: User) -> SkillSynonym:
    """Teach the matcher that `alias` means `concept_id`; a word means one concept only."""
    _check_coordinator(actor)
    taxonomy = shipped_taxonomy()
    if concept_id not in taxonomy.concepts:
        raise DomainError(_l("Please choose a skill or major from the list."), field="concept")
    key = normalise(alias)
    if not key:
        raise DomainError(_l("Please enter the word or abbreviation."), field="alias")
    if len(key) > MAX_ALIAS_LENGTH:
        raise DomainError(too_long_message(MAX_ALIAS_LENGTH), field="alias")
    existing = taxonomy.alias_to_concept.get(key) or session.scalar(
        select(SkillSynonym.concept_id).where(SkillSynonym.alias == key))
    if existing:
        raise DomainError(_l("“%(alias)s” already stands for %(concept)s.", alias=key,
                             concept=concept_label(existing)), field="alias")
    synonym = SkillSynonym(concept_id=concept_id, alias=key, created_by=actor)
    session.add(synonym)
    session.flush()
    queued_after_change(session, actor)  # every match, recomputed with the new word
    vocabulary_changed.send(synonym, session=session)
    return synonym


def delete_synonym(session: Session, synonym: SkillSynonym, actor: User) -> None:
    _check_coordinator(actor)
    session.delete(synonym)
    session.flush()
    queued_after_change(session, actor)
    vocabulary_changed.send(synonym, session=session)


def concept_label(concept_id: str) -> str:
    """A concept as people know it: its first few names."""
    concept = shipped_taxonomy().concepts.get(concept_id)
    return " / ".join(concept.aliases[:3]) if concept else concept_id


def concept_choices() -> list[tuple[str, str]]:
    concepts = shipped_taxonomy().concepts.values()
    return sorted(((c.id, concept_label(c.id)) for c in concepts), key=lambda item: item[1])


def all_synonyms(session: Session) -> list[SkillSynonym]:
    return list(session.scalars(select(SkillSynonym).order_by(SkillSynonym.concept_id,
                                                              SkillSynonym.alias)))
