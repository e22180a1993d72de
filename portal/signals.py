"""The signals domains send one another, declared apart from both sides: a producer sends
without knowing its listeners, and a listener connects without importing the producer's
services.

Each is sent with the changed object and the `session` of the transaction it happened in;
listeners work in that same transaction.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A posting was created, edited, published or closed (postings → matching keeps its
# stored matches fresh).
posting_changed = _signals.signal("posting-changed")
# A posting was published (postings → alerts tells those whose searches or postings it
# fits, after the commit).
posting_published = _signals.signal("posting-published")
# A file of postings was imported (postings → matching recomputes everything after: the
# rows bypass the per-posting refresh). Sent with `session` and the importing `actor`.
postings_imported = _signals.signal("postings-imported")
# A full recompute stored its matches (matching → alerts tells about postings imported
# since `since`: their matches exist only now). Sent with `session` and `since`.
matches_recomputed = _signals.signal("matches-recomputed")
# A partnership was terminated early (cooperation → agreements marks its agreement).
partnership_terminated = _signals.signal("partnership-terminated")
# Coordinators changed the matching vocabulary (matching → monitoring re-derives what each
# posting counts under). Sent with `session`.
vocabulary_changed = _signals.signal("vocabulary-changed")
# For the API's webhooks, each with the object and the `session` it changed in:
# a posting was closed (postings),
posting_closed = _signals.signal("posting-closed")
# a proposal changed state, `action` says how (cooperation),
proposal_changed = _signals.signal("proposal-changed")
# an agreement was issued, and signed by both parties (agreements),
agreement_issued = _signals.signal("agreement-issued")
agreement_signed = _signals.signal("agreement-signed")
# a monitoring warning was raised (monitoring).
warning_raised = _signals.signal("warning-raised")
