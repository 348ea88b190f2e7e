"""Online applications (certificate, fee reduction): `applications.py` — the application,
its evidence, confirmation, reviewers' courts and certificates; `events.py` — its audit trail; `fee_reduction.py`
— the fee policy, the fee-reduction request and decision."""

from intake.models.applications import (  # noqa: F401
    TRACKING_ALPHABET,
    TRACKING_PREFIXES,
    ApplicantRole,
    Application,
    ApplicationEvent,
    ApplicationKind,
    Certificate,
    Confirmation,
    ConfirmationMethod,
    DocumentType,
    EvidenceFile,
    PartyKind,
    PrivateStorage,
    ReviewerCourt,
    new_access_code,
    new_tracking_number,
    new_verification_code,
    submission_key_hash,
)
from intake.models.fee_reduction import (  # noqa: F401
    FEN,
    REDUCTION_FLOOR_PERCENT,
    FeeDecision,
    FeePaymentMethod,
    FeePolicySettings,
    FeeReductionRequest,
    expected_fee,
)
