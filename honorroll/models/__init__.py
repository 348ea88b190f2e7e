"""The good-faith performance list (诚信履行名单): nominations from approved applications,
batches (期) of entries per court with their published versions, the objection route for
corrections (`lists.py`); recipient agencies with their deliveries and API keys
(`agencies.py`).

Real names live only in `ListEntry.party_name` (internal); everything public reads
`ListEntry.public_name`, computed once at publication (honorroll/masking.py).
"""

from honorroll.models.agencies import AgencyApiKey, ApiKeyUse, Delivery, Recipient
from honorroll.models.lists import (
    BatchVersion,
    ListBatch,
    ListEntry,
    ListSettings,
    Nomination,
    Objection,
    PartyKind,
)

__all__ = [
    "AgencyApiKey",
    "ApiKeyUse",
    "BatchVersion",
    "Delivery",
    "ListBatch",
    "ListEntry",
    "ListSettings",
    "Nomination",
    "Objection",
    "PartyKind",
    "Recipient",
]
