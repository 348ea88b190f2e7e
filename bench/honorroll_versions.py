"""Versions of the list for the recipient agencies (issue 15).

1. The feed's change list of a 10,000-entry batch that has been corrected into 50 versions:
   GET /api/v1/honor-roll/batches/<id>/changes/?since=1 (first page of 1,000), through the
   test client with a key, as an agency calls it. Goal: p95 < 100 ms. Printed beside the
   entries page of the same batch (the baseline, same run).
2. The agency export of 100,000 entries with identities (90,000 persons who consented to
   give their ID numbers: each is decrypted): `exports.export_batch` to xlsx. Goal < 30 s,
   printed as a ratio to a baseline that writes the same number of plain rows with the
   same writer (XlsxWriter; no database, no decryption), measured in the same run.

The batches are built with bulk writes that give them the shape real corrections would
(entries withdrawn and corrected copies added in versions 2 … 50); the queries measured do
not depend on how the rows were written.
"""

import datetime
import io
import time

from bench.harness import benchmark
from bench.honorroll_pages import sample_entries

COURT = "黑0904"
VERSIONS = 50
CHANGED_PER_VERSION = 40  # withdrawn per version; half of them come back corrected
_timings = {}


def _published(number, count, *, identities):
    from django.contrib.auth import get_user_model

    from honorroll import publishing
    from honorroll.models import ListBatch, ListEntry
    from portal import crypto
    from portal.models import Court

    court = Court.objects.get(code=COURT)
    batch = ListBatch.objects.filter(court=court, year=2024, number=number).first()
    if batch is not None:
        return batch
    batch = ListBatch.objects.create(court=court, year=2024, number=number)
    # One real token for every person: Fernet decryption per row is what is measured.
    token = crypto.encrypt("11010519491231002X") if identities else ""
    ListEntry.objects.bulk_create(sample_entries(batch, count, identity_token=token), batch_size=5000)
    return publishing.publish(batch, actor=get_user_model().objects.filter(is_superuser=True).first())


def versioned_batch():
    """10,000 entries, then versions 2 … 50: each withdraws 40 entries and adds corrected
    copies of 20 of them (date corrected)."""
    from honorroll.models import BatchVersion, ListBatch, ListEntry

    batch = _published(61, 10_000, identities=True)
    if batch.revision >= VERSIONS:
        return batch
    live = list(ListEntry.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))
    cursor = 0
    for version in range(2, VERSIONS + 1):
        chosen = live[cursor : cursor + CHANGED_PER_VERSION]
        cursor += CHANGED_PER_VERSION
        ListEntry.objects.filter(pk__in=chosen).update(removed_in=version, removed_at=batch.published_at)
        copies = []
        for old in ListEntry.objects.filter(pk__in=chosen[: CHANGED_PER_VERSION // 2]):
            old.pk = old.id = None
            old.replaces_id, old.removed_in, old.removed_at, old.added_in = None, None, None, version
            old.performed_on += datetime.timedelta(days=1)
            copies.append(old)
        ListEntry.objects.bulk_create(copies)
        BatchVersion.objects.create(
            batch=batch,
            number=version,
            note="基准测试更正",
            entry_count=ListEntry.objects.filter(batch=batch, removed_in__isnull=True).count(),
            added_count=len(copies),
            withdrawn_count=len(chosen),
        )
    ListBatch.objects.filter(pk=batch.pk).update(revision=VERSIONS)
    batch.refresh_from_db()
    return batch


def _feed(path_of):
    from django.test import Client

    from honorroll.models import AgencyApiKey, Recipient

    batch = versioned_batch()
    recipient, _ = Recipient.objects.get_or_create(name="基准测试版次接收单位")
    _, key = AgencyApiKey.issue(recipient)
    client = Client()
    path = path_of(batch)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code, response.content[:200])
    return client, path, headers, response.json()


@benchmark("feed baseline: entries page 1 (1,000 of 10,000, version 50)", repeat=100)
def entries_baseline():
    client, path, headers, body = _feed(
        lambda batch: f"/api/v1/honor-roll/batches/{batch.pk}/entries/?page_size=1000"
    )
    assert len(body["results"]) == 1000

    def run():
        client.get(path, **headers)

    return run


@benchmark("feed: changes since version 1 of 50 (10,000 entries, 1,000 per page)", repeat=100)
def change_list():
    client, path, headers, body = _feed(
        lambda batch: f"/api/v1/honor-roll/batches/{batch.pk}/changes/?since=1&page_size=1000"
    )
    expected = (VERSIONS - 1) * CHANGED_PER_VERSION
    assert body["withdrawn_count"] == expected and body["added_count"] == expected // 2, body
    assert len(body["results"]) == 1000 and body["results"][0]["change"] == "withdrawn"

    def run():
        client.get(path, **headers)

    return run


def _timed(name, function):
    def run():
        start = time.perf_counter()
        function()
        _timings[name] = time.perf_counter() - start
        if name == "export" and "baseline" in _timings:
            seconds, base = _timings["export"], _timings["baseline"]
            print(
                f"agency export / baseline ratio: {seconds / base:.1f}× ({seconds:.1f} s / {base:.1f} s; goal < 30 s)"
            )

    return run


@benchmark("agency export baseline: XlsxWriter, 100,000 plain rows", repeat=1)
def export_baseline():
    import xlsxwriter

    row = (1, 1, "张某某", "自然人", "张伟芳", "11010519491231002X", "（2024）黑0904民初1号", "民间借贷纠纷")
    date = datetime.date(2024, 1, 1)

    def build():
        book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
        sheet = book.add_worksheet("基准")
        for number in range(100_000):
            sheet.write_row(number, 0, row)
            sheet.write_string(number, 8, "七台河市茄子河区人民法院")
            sheet.write_datetime(number, 9, date)
            sheet.write_number(number, 10, 1000.5)
            sheet.write_number(number, 11, 1)
        book.close()

    return _timed("baseline", build)


@benchmark("agency export: 100,000 entries with 90,000 identities to xlsx", repeat=1)
def export_100k():
    from django.contrib.auth import get_user_model

    from honorroll import exports
    from honorroll.models import Delivery, Recipient

    batch = _published(62, 100_000, identities=True)
    recipient, _ = Recipient.objects.get_or_create(name="基准测试报送单位")
    actor = get_user_model().objects.filter(is_superuser=True).first()

    def export():
        content, filename, _type = exports.export_batch(batch, recipient, "xlsx", actor)
        assert content.startswith(b"PK") and recipient.name in filename
        delivery = Delivery.objects.filter(batch=batch).latest("pk")
        assert delivery.entry_count == 100_000 and delivery.identities_disclosed == 90_000, delivery

    return _timed("export", export)
