"""Every model, imported in one place so the metadata is complete (Alembic, tests)."""
from portal.accounts.models import (  # noqa: F401
    Invitation,
    LoginFailure,
    Organization,
    OrganizationReview,
    User,
)
from portal.agreements.models import Agreement, RenderAttempt  # noqa: F401
from portal.api.models import ApiToken, IdempotentRequest  # noqa: F401
from portal.cooperation.models import (  # noqa: F401
    Fulfilment,
    Proposal,
    ProposalEvent,
    ProposalMessage,
    ProposalVersion,
)
from portal.db import Base  # noqa: F401
from portal.matching.models import (  # noqa: F401
    MatchBlockPair,
    MatchDismissal,
    MatchRun,
    MatchRunBlock,
    PostingMatch,
    SkillSynonym,
)
from portal.monitoring.models import (  # noqa: F401
    MonitoringReport,
    MonitoringWarning,
    PostingFacet,
    WarningInvitation,
    WarningRule,
)
from portal.notifications.models import Notification  # noqa: F401
from portal.postings.models import Posting, PostingRevision, PostingSkill  # noqa: F401
