"""Building, publishing and correcting list batches: the only code that writes entries of
a published batch. Errors are `ListError` with a Chinese message for staff."""

import re

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from honorroll.masking import mask_person_name
from honorroll.models import BatchVersion, ListBatch, ListEntry, Nomination, PartyKind
from portal import caching
from portal.models import Court


class ListError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _same_person(name):
    """A name as written by different clerks: no spaces, one kind of middle dot."""
    return re.sub(r"\s+", "", name).translate(str.maketrans("•‧・.．", "·····"))


def public_names(entries):
    """{entry: public name} for a batch's entries (domain/README.md §5): organisations by
    full name; natural persons masked, and where two different people mask alike, numbered
    in list order (张某1, 张某2). The same real name twice keeps one number."""
    entries = list(entries)
    masked = {e: mask_person_name(e.party_name) for e in entries if e.party_kind == PartyKind.PERSON}
    # mask -> {real name: its number, in order of first appearance} (dicts keep order and
    # look up in O(1): a large batch has thousands of people masked as 张某某).
    people_by_mask = {}
    for entry in entries:
        if entry in masked:
            numbers = people_by_mask.setdefault(masked[entry], {})
            numbers.setdefault(_same_person(entry.party_name), len(numbers) + 1)
    result = {}
    for entry in entries:
        if entry.party_kind != PartyKind.PERSON:
            result[entry] = entry.party_name
            continue
        numbers = people_by_mask[masked[entry]]
        number = numbers[_same_person(entry.party_name)]
        result[entry] = masked[entry] if len(numbers) == 1 else f"{masked[entry]}{number}"
    return result


def forget_public_pages(batch):
    """After the commit: the cached list, the batch page and its downloads are purged."""
    caching.forget_after_commit(
        paths=[
            reverse("honorroll:batch_list"),
            *(
                reverse(f"honorroll:{name}", args=[batch.pk])
                for name in ("batch_detail", "download_csv", "download_xlsx")
            ),
        ]
    )


def _draft(batch):
    batch = ListBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.is_published:
        raise ListError("该批次已发布，不能再修改；更正请通过异议程序办理。")
    return batch


def add_nominations(batch, nominations):
    """Candidates from approved applications become entries of a draft batch. Refused
    (nothing added) for a withdrawn candidate (its certificate was revoked), a candidate of
    another court, a person without consent, or a party already on a published batch of
    the same court and year."""
    added = 0
    with transaction.atomic():
        batch = _draft(batch)
        # Read again and locked: what the caller holds may be stale (a certificate revoked
        # since, an entry of a rolled-back attempt still cached on it), and a revocation
        # running now (nominations.withdraw locks the same rows) either finishes first and
        # is seen here, or waits and then finds the entry this adds.
        ids = list(dict.fromkeys(nomination.pk for nomination in nominations))
        fresh = (
            Nomination.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("court", "cause")
            .in_bulk()
        )
        listed = set(ListEntry.objects.filter(nomination_id__in=ids).values_list("nomination_id", flat=True))
        allowed = set(candidates(batch.court).values_list("pk", flat=True))
        for pk in ids:
            nomination = fresh.get(pk)
            if nomination is None or pk in listed:
                continue  # gone, or already on a batch
            _check_nomination(batch, nomination, allowed)
            ListEntry.objects.create(
                batch=batch,
                party_kind=nomination.party_kind,
                party_name=nomination.party_name,
                credit_code=nomination.credit_code,
                identity_encrypted=nomination.identity_encrypted,
                identity_consented_at=nomination.identity_consented_at,
                identity_hash=nomination.identity_hash,
                court=nomination.court,
                case_number=nomination.case_number,
                cause=nomination.cause,
                performed_on=nomination.performed_on,
                source=ListEntry.Source.NOMINATION,
                nomination=nomination,
                consented_at=nomination.consented_at,
                consent_record=f"申请时本人同意（{nomination.source}）",
            )
            added += 1
    return added


def _check_nomination(batch, nomination, allowed):
    label = f"{nomination.case_number}（{nomination.source}）"
    if nomination.withdrawn_at is not None:
        raise ListError(f"{label}：该候选已撤回（{nomination.withdrawal_reason}），不能列入名单。")
    if nomination.pk not in allowed:
        court = nomination.court.name if nomination.court_id else "其他法院"
        raise ListError(f"{label} 是{court}的案件，不能列入{batch.court.name}的名单。")
    if nomination.party_kind == PartyKind.PERSON and not nomination.consented_at:
        raise ListError(f"{label}：自然人须经本人同意才能列入名单。")
    if ListEntry.objects.filter(batch=batch).filter(_same_party(nomination)).exists():
        raise ListError(f"{label}：该当事人已在本批次中，同一年度不重复列入。")
    listed = (
        ListEntry.objects.filter(
            batch__court=batch.court,
            batch__year=batch.year,
            batch__status=ListBatch.Status.PUBLISHED,
            removed_in__isnull=True,
        )
        .filter(_same_party(nomination))
        .select_related("batch")
        .first()
    )
    if listed is not None:
        raise ListError(
            f"{label}：该当事人已列入{batch.court.name}{listed.batch.title}的名单，同一年度不重复列入。"
        )


def _same_party(nomination):
    """Entries of the same party: an organisation by its credit code (else its name); a
    person by the keyed hash of the ID number where both sides have one (two people may
    share a name), else by name."""
    if nomination.party_kind == PartyKind.ORGANISATION and nomination.credit_code:
        return Q(credit_code=nomination.credit_code) | Q(credit_code="", party_name=nomination.party_name)
    same_name = Q(party_kind=nomination.party_kind, party_name=nomination.party_name)
    if nomination.identity_hash:
        return Q(identity_hash=nomination.identity_hash) | (same_name & Q(identity_hash=""))
    return same_name


def candidates(court=None):
    """Nominations not yet on any batch and not withdrawn: for a basic court's batch, its
    own cases; the intermediate court's list may take every court's."""
    nominations = Nomination.objects.filter(entry__isnull=True, withdrawn_at__isnull=True).select_related(
        "court", "cause"
    )
    if court is not None and court.level == Court.Level.BASIC:
        nominations = nominations.filter(court=court)
    return nominations


def publish(batch, *, actor):
    """Freeze the batch: compute and store each entry's public name, mark it published."""
    with transaction.atomic():
        batch = _draft(batch)
        entries = list(batch.entries.all())
        if not entries:
            raise ListError("批次中没有条目，不能发布。")
        unconsented = [e for e in entries if e.party_kind == PartyKind.PERSON and not e.consented_at]
        if unconsented:
            raise ListError(
                f"{unconsented[0].party_name} 等 {len(unconsented)} 人没有本人同意记录，不能发布。"
            )
        names = public_names(entries)
        for entry in entries:
            entry.public_name = names[entry]
            entry.added_in = 1
        ListEntry.objects.bulk_update(entries, ["public_name", "added_in"], batch_size=2000)
        batch.status = ListBatch.Status.PUBLISHED
        batch.published_at = timezone.now()
        batch.published_by = actor
        batch.revision = 1
        batch.save(update_fields=["status", "published_at", "published_by", "revision"])
        BatchVersion.objects.create(
            batch=batch,
            number=1,
            published_at=batch.published_at,
            published_by=actor,
            note="首次发布",
            entry_count=len(entries),
            added_count=len(entries),
        )
        forget_public_pages(batch)
    return batch


def version_entries(batch, version):
    """The entries of a published batch as they stood in `version` (1 … batch.revision)."""
    return (
        ListEntry.objects.filter(batch=batch, added_in__lte=version)
        .filter(Q(removed_in__isnull=True) | Q(removed_in__gt=version))
        .select_related("court", "cause")
        .order_by("pk")
    )


def changes_since(batch, since, until=None):
    """(added, withdrawn) querysets: what changed from version `since` to version `until`
    (default: the current one). A corrected entry appears as withdrawn (the old form) and
    added (the corrected one); an entry added and withdrawn in between appears in neither."""
    until = until or batch.revision
    entries = ListEntry.objects.filter(batch=batch).select_related("court", "cause").order_by("pk")
    added = entries.filter(added_in__gt=since, added_in__lte=until).filter(
        Q(removed_in__isnull=True) | Q(removed_in__gt=until)
    )
    withdrawn = entries.filter(removed_in__gt=since, removed_in__lte=until, added_in__lte=since)
    return added, withdrawn


def public_entries(batch):
    """What the public sees of a published batch (never the real names of persons)."""
    return (
        ListEntry.objects.filter(
            batch=batch, batch__status=ListBatch.Status.PUBLISHED, removed_in__isnull=True
        )
        .select_related("court", "cause")
        .order_by("pk")
    )


# What a public row of an entry shows, in this order: the batch page, its downloads and the
# recipients' API read these fields of `public_entries` (never `party_name`).
PUBLIC_VALUES = (
    "public_name",
    "party_kind",
    "credit_code",
    "case_number",
    "cause__name",
    "court__name",
    "performed_on",
    "amount",
)
