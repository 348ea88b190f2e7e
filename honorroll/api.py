"""The read-only JSON feed of the list for recipient agencies (/api/v1/honor-roll/).

Only published batches, only the public form of each entry (`public_name`, never the real
name of a person). Each agency authenticates with its own key in a request header
(`Authorization: Bearer <key>` or `X-Api-Key: <key>`); a key in the query string is refused,
since URLs end up in access logs. Every authenticated request is logged (ApiKeyUse), and the
first fetch of a batch's entries at a given revision is recorded as a Delivery (method api),
so the delivery log shows API pulls next to exported files.

Responses carry an ETag and `Cache-Control: private, no-cache`; a matching If-None-Match
gets 304. Errors are JSON `{"error": "…"}` in Chinese, never an HTML page.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from honorroll import publishing
from honorroll.api_http import (
    BATCH_ID,
    NUMBER,
    BadParameter,
    Page,
    api_view,
    error_response,
    etag_for,
    json_response,
    not_modified,
)
from honorroll.models import Delivery, ListBatch, PartyKind, Recipient
from portal import crypto

BATCH_PAGE_SIZE = 100
ENTRY_PAGE_SIZE = 1000
DELIVERY_PAGE_SIZE = 100
TWO_PLACES = Decimal("0.01")


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _money(value):
    return None if value is None else format(value.quantize(TWO_PLACES), "f")


def _court(court):
    return {"name": court.name, "code": court.code}


def _published():
    return ListBatch.objects.filter(status=ListBatch.Status.PUBLISHED)


def _batch_summary(request, batch, entry_count):
    def url(name):
        return request.build_absolute_uri(reverse(name, args=[batch.pk]))

    return {
        "id": batch.pk,
        "court": _court(batch.court),
        "title": batch.title,
        "year": batch.year,
        "number": batch.number,
        "revision": batch.revision,
        "version": batch.revision,
        "published_at": _iso(batch.published_at),
        "entry_count": entry_count,
        "entries_url": url("honorroll_api_entries"),
        "versions_url": url("honorroll_api_versions"),
        "changes_url": url("honorroll_api_changes"),
    }


@api_view
def batches(request):
    """GET /api/v1/honor-roll/batches/?page=N — published batches, the most recently
    (re)published first, so a caller can stop paging at the first revision it already has."""
    visible = list(
        _published().order_by("-published_at", "-pk").values_list("pk", "revision", "published_at")
    )
    try:
        page = Page(request, len(visible), BATCH_PAGE_SIZE)
    except BadParameter as error:
        return error_response(error.message, status=error.status)
    etag = etag_for(
        request, "batches", page.number, page.size, *(f"{pk}:{rev}:{at}" for pk, rev, at in visible)
    )
    if (response := not_modified(request, etag)) is not None:
        return response
    pks = [pk for pk, _, _ in visible[page.offset : page.offset + page.size]]
    rows = (
        ListBatch.objects.filter(pk__in=pks)
        .select_related("court")
        .annotate(public_count=Count("entries", filter=Q(entries__removed_at__isnull=True)))
        .in_bulk()
    )
    response = json_response(
        {**page.meta(), "results": [_batch_summary(request, rows[pk], rows[pk].public_count) for pk in pks]}
    )
    response["ETag"] = etag
    return response


def _identities_in(entries):
    """How many persons `entries` give with their real name and ID number (second consent)."""
    return (
        entries.filter(party_kind=PartyKind.PERSON, identity_consented_at__isnull=False)
        .exclude(identity_encrypted="")
        .count()
    )


def _record_delivery(batch, recipient, entry_count):
    """The first pull of a batch at a revision by a recipient becomes a Delivery (once),
    with the identities that version holds, as an exported file's Delivery has."""
    lookup = {
        "batch": batch,
        "recipient": recipient,
        "method": Delivery.Method.API,
        "revision": batch.revision,
    }
    if Delivery.objects.filter(**lookup).exists():
        return
    with transaction.atomic():
        # Serialises concurrent first pulls by the same recipient (PostgreSQL row lock), so
        # get_or_create cannot insert twice; Delivery has no unique constraint to lean on.
        Recipient.objects.select_for_update().filter(pk=recipient.pk).first()
        Delivery.objects.get_or_create(
            **lookup,
            defaults={
                "entry_count": entry_count,
                "identities_disclosed": _identities_in(publishing.public_entries(batch)),
            },
        )


ENTRY_VALUES = (
    "pk",
    *publishing.PUBLIC_VALUES,
    "party_name",
    "identity_encrypted",
    "identity_consented_at",
    "added_in",
    "removed_in",
)


class Disclosures:
    """Counts the identities one answer gives (recorded in the key's use log)."""

    def __init__(self):
        self.count = 0

    def entry(self, row):
        """An entry as an agency reads it: the public form, and for a person who consented to
        give it to the agencies, the real name and ID number (`identity`, else null)."""
        organisation = row["party_kind"] == PartyKind.ORGANISATION
        identity = None
        if row["removed_in"] is not None:
            pass  # a withdrawn entry (an old version) keeps only its public form
        elif organisation:
            identity = {"name": row["party_name"], "number": row["credit_code"]}
        elif row["identity_consented_at"] is not None and row["identity_encrypted"]:
            identity = {"name": row["party_name"], "number": crypto.decrypt(row["identity_encrypted"])}
            self.count += 1
        return {
            "id": row["pk"],
            "name": row["public_name"],
            "party_kind": row["party_kind"],
            "credit_code": row["credit_code"] if organisation else "",
            "case_number": row["case_number"],
            "cause": row["cause__name"],
            "court": row["court__name"],
            "performed_on": row["performed_on"].isoformat(),
            "amount": _money(row["amount"]),
            "added_in": row["added_in"],
            "identity": identity,
        }


def _published_batch(batch_id):
    if not BATCH_ID.match(batch_id):
        return None
    return _published().select_related("court").filter(pk=int(batch_id)).first()


def _version(request, batch, name, default):
    """A version number of `batch` from the query string: 1 … its current version."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        if default is None:
            raise BadParameter(f"缺少参数 {name}：请提供已持有的版次（1 至 {batch.revision}）。")
        return default
    if not NUMBER.match(raw) or not 1 <= int(raw) <= batch.revision:
        raise BadParameter(f"版次 {raw[:20]} 不存在：该批次的版次为 1 至 {batch.revision}。")
    return int(raw)


def _answer(request, etag, build):
    if (response := not_modified(request, etag)) is not None:
        return response
    disclosures = Disclosures()
    response = json_response(build(disclosures))
    response["ETag"] = etag
    request.identities_disclosed = disclosures.count
    return response


@api_view
def entries(request, batch_id):
    """GET /api/v1/honor-roll/batches/<id>/entries/?version=V&page=N&page_size=M — a
    published batch's entries as of version V (default: the current one), in a stable
    order (by id)."""
    batch = _published_batch(batch_id)
    if batch is None:
        return error_response("批次不存在或尚未发布。", status=404)
    try:
        version = _version(request, batch, "version", batch.revision)
        rows = publishing.version_entries(batch, version)
        count = rows.count()
        page = Page(request, count, ENTRY_PAGE_SIZE, version=version)
    except BadParameter as error:
        return error_response(error.message, status=error.status)
    if version == batch.revision and page.number == page.pages:
        # An agency holds the version once it has read its last page.
        _record_delivery(batch, request.api_key.recipient, count)
    etag = etag_for(request, "entries", batch.pk, version, _iso(batch.published_at), page.number, page.size)
    return _answer(
        request,
        etag,
        lambda disclosures: {
            "batch": _batch_summary(request, batch, count),
            "version": version,
            **page.meta(),
            "results": [
                disclosures.entry(row)
                for row in rows.values(*ENTRY_VALUES)[page.offset : page.offset + page.size]
            ],
        },
    )


@api_view
def versions(request, batch_id):
    """GET /api/v1/honor-roll/batches/<id>/versions/ — every published version of a batch:
    when, how many entries, how many added and withdrawn, and why."""
    batch = _published_batch(batch_id)
    if batch is None:
        return error_response("批次不存在或尚未发布。", status=404)
    rows = list(batch.versions.order_by("number"))
    etag = etag_for(request, "versions", batch.pk, batch.revision, _iso(batch.published_at))
    return _answer(
        request,
        etag,
        lambda _disclosures: {
            "batch": _batch_summary(request, batch, rows[-1].entry_count if rows else 0),
            "results": [
                {
                    "version": v.number,
                    "published_at": _iso(v.published_at),
                    "entry_count": v.entry_count,
                    "added_count": v.added_count,
                    "withdrawn_count": v.withdrawn_count,
                    "note": v.note,
                }
                for v in rows
            ],
        },
    )


@api_view
def changes(request, batch_id):
    """GET /api/v1/honor-roll/batches/<id>/changes/?since=V[&until=U] — what changed after
    version V (which the caller holds) up to version U (default: the current one; the
    `next` links carry it, so a correction published while paging moves nothing):
    `withdrawn` entries (delete them by id) and `added` ones (a corrected entry is
    withdrawn and added again with a new id). Paged over the withdrawn entries first."""
    batch = _published_batch(batch_id)
    if batch is None:
        return error_response("批次不存在或尚未发布。", status=404)
    try:
        since = _version(request, batch, "since", None)
        until = _version(request, batch, "until", batch.revision)
        if since > until:
            raise BadParameter(f"参数 since（{since}）不能大于 until（{until}）。")
        added, withdrawn = publishing.changes_since(batch, since, until)
        withdrawn_count, added_count = withdrawn.count(), added.count()
        page = Page(request, withdrawn_count + added_count, ENTRY_PAGE_SIZE, since=since, until=until)
    except BadParameter as error:
        return error_response(error.message, status=error.status)
    current_count = publishing.public_entries(batch).count()
    if until == batch.revision and page.number == page.pages:
        _record_delivery(batch, request.api_key.recipient, current_count)
    etag = etag_for(
        request, "changes", batch.pk, since, until, _iso(batch.published_at), page.number, page.size
    )

    def build(disclosures):
        start, stop = page.offset, page.offset + page.size
        gone = withdrawn.values("pk", "public_name", "case_number", "removed_in")[start:stop]
        taken = max(0, min(stop, withdrawn_count) - start)
        new_start = max(0, start - withdrawn_count)
        new = (
            added.values(*ENTRY_VALUES)[new_start : new_start + page.size - taken]
            if taken < page.size
            else []
        )
        return {
            "batch": _batch_summary(request, batch, current_count),
            "since": since,
            "until": until,
            "version": until,
            "withdrawn_count": withdrawn_count,
            "added_count": added_count,
            **page.meta(),
            "results": [
                *(
                    {
                        "change": "withdrawn",
                        "id": row["pk"],
                        "name": row["public_name"],
                        "case_number": row["case_number"],
                        "version": row["removed_in"],
                    }
                    for row in gone
                ),
                *({"change": "added", "version": row["added_in"], **disclosures.entry(row)} for row in new),
            ],
        }

    return _answer(request, etag, build)


@api_view
def deliveries(request):
    """GET /api/v1/honor-roll/deliveries/?page=N — the delivery log of the caller's own
    agency (files sent to it and its API pulls), newest first."""
    own = Delivery.objects.filter(recipient=request.api_key.recipient)
    try:
        page = Page(request, own.count(), DELIVERY_PAGE_SIZE)
    except BadParameter as error:
        return error_response(error.message, status=error.status)
    rows = own.select_related("batch__court").order_by("-sent_at", "-pk")[
        page.offset : page.offset + page.size
    ]
    return json_response(
        {
            "recipient": request.api_key.recipient.name,
            **page.meta(),
            "results": [
                {
                    "batch": {
                        "id": d.batch_id,
                        "court": _court(d.batch.court),
                        "title": d.batch.title,
                    },
                    "method": d.method,
                    "method_label": d.get_method_display(),
                    "revision": d.revision,
                    "entry_count": d.entry_count,
                    "sent_at": _iso(d.sent_at),
                }
                for d in rows
            ],
        }
    )
