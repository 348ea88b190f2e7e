"""The functions through which other apps nominate a party to the list, and withdraw it
when its certificate is revoked (DESIGN.md: intake → honorroll, one direction)."""

from django.db import transaction
from django.utils import timezone

from honorroll.corrections import open_revocation_correction
from honorroll.models import ListBatch, ListEntry, Nomination
from honorroll.publishing import forget_public_pages
from portal import crypto


def nominate(
    *,
    party_name,
    party_kind,
    credit_code,
    court,
    case_number,
    cause,
    performed_on,
    source,
    consented_at,
    reference="",
    certificate_serial="",
    identity="",
    identity_consented_at=None,
):
    """Record the performing party, who consented to publication, as a candidate for the
    next batch: one live nomination per party and case, however many applications
    (certificate, fee reduction) led to it. `identity` (ID number or credit code) is kept,
    encrypted, only with `identity_consented_at` — the party's separate consent to give it
    to the agencies."""
    keep_identity = bool(identity and identity_consented_at)
    withdrawn = Nomination.objects.filter(
        court=court, case_number=case_number, party_name=party_name, withdrawn_at__isnull=False
    )
    if not certificate_serial and withdrawn.exists():
        # A fee reduction approved after the case's certificate was revoked does not bring
        # the party back: only a new certificate does.
        return None
    # A withdrawn nomination (its certificate revoked) stays as the record of that; a new
    # approval for the same party and case nominates afresh.
    nomination, created = Nomination.objects.get_or_create(
        court=court,
        case_number=case_number,
        party_name=party_name,
        withdrawn_at=None,
        defaults={
            "source": source,
            "party_kind": party_kind,
            "credit_code": credit_code,
            "cause": cause,
            "performed_on": performed_on,
            "consented_at": consented_at,
            "reference": reference,
            "certificate_serial": certificate_serial,
            "identity_encrypted": crypto.encrypt(identity) if keep_identity else "",
            "identity_consented_at": identity_consented_at if keep_identity else None,
            "identity_hash": crypto.keyed_hash(identity) if identity else "",
        },
    )
    if not created and certificate_serial and not nomination.certificate_serial:
        # A fee reduction nominated first; the certificate now stands behind it.
        nomination.certificate_serial = certificate_serial
        nomination.reference = reference
        nomination.save(update_fields=["certificate_serial", "reference"])
    return nomination


def withdraw(*, certificate_serial, reason):
    """The certificate behind a nomination was revoked: a candidate is withdrawn at once; an
    entry of a draft batch is taken off it; an entry of a published batch gets a correction
    registered by the system for 名单管理 to decide. Returns the objections opened.

    Locks the batch before the nomination, in the order add_nominations and publish take
    them, so a revocation racing a publication sees the batch as it ends up."""
    opened = []
    with transaction.atomic():
        nominations = Nomination.objects.filter(
            certificate_serial=certificate_serial, withdrawn_at__isnull=True
        )
        batches = ListEntry.objects.filter(nomination__in=nominations).values_list("batch_id", flat=True)
        list(ListBatch.objects.select_for_update().filter(pk__in=list(batches)).order_by("pk"))
        for nomination in nominations.select_for_update():
            nomination.withdrawn_at = timezone.now()
            nomination.withdrawal_reason = f"证明书 {certificate_serial} 已撤销：{reason}"[:1000]
            nomination.save(update_fields=["withdrawn_at", "withdrawal_reason"])
            entry = ListEntry.objects.select_related("batch").filter(nomination=nomination).first()
            if entry is None:
                continue
            if not entry.batch.is_published:
                entry.delete()
                forget_public_pages(entry.batch)
            elif (objection := open_revocation_correction(entry, reason=reason)) is not None:
                opened.append(objection)
    return opened
