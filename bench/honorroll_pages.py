"""The public good-faith list with a published 10,000-entry batch: the batch page, the batch
page filtered by a name fragment and a cause, and the whole batch as CSV and Excel (built
afresh each time; the views cache them per publication).

Goal: the pages p95 < 150 ms uncached on SQLite, through Django's test client.
"""

import datetime

from bench.harness import benchmark

ENTRIES = 10_000
COURT = "黑0903"
YEAR, NUMBER = 2024, 98  # built once, shared with bench/honorroll_feed.py
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def sample_entries(batch, count, *, identity_token=""):
    """`count` unsaved entries of `batch`: every tenth an organisation, the rest people
    (20 surnames × 400 given names, so many mask alike); with `identity_token` every person
    consented to give the agencies that (encrypted) ID number."""
    from django.utils import timezone

    from honorroll.models import ListEntry
    from portal.models import CauseOfAction

    causes = list(CauseOfAction.objects.order_by("pk")[:7])
    code, year, now = batch.court.code, batch.year, timezone.now()
    for n in range(count):
        organisation = n % 10 == 0
        yield ListEntry(
            batch=batch,
            party_kind="organisation" if organisation else "person",
            party_name=(
                f"七台河市第{n}商贸有限公司"
                if organisation
                else SURNAMES[n % 20] + GIVEN[(n // 20) % 20] + GIVEN[(n // 400) % 20]
            ),
            credit_code=f"9123090{n:011d}" if organisation else "",
            identity_encrypted="" if organisation else identity_token,
            identity_consented_at=now if identity_token and not organisation else None,
            court=batch.court,
            case_number=f"（{year}）{code}民初{n + 1}号",
            cause=causes[n % len(causes)],
            amount=f"{1000 + n * 7}.50" if organisation else None,
            performed_on=datetime.date(year, 1, 1) + datetime.timedelta(days=n % 300),
            source="import",
            consented_at=None if organisation else now,
            consent_record="" if organisation else "书面同意书",
        )


def published_batch():
    """The bench's published batch, built once (bulk_create, then `publishing.publish`)."""
    from django.contrib.auth import get_user_model

    from honorroll import publishing
    from honorroll.models import ListBatch, ListEntry
    from portal.models import Court

    court = Court.objects.get(code=COURT)
    existing = ListBatch.objects.filter(court=court, year=YEAR, number=NUMBER).first()
    if existing is not None:
        return existing
    batch = ListBatch.objects.create(court=court, year=YEAR, number=NUMBER)
    ListEntry.objects.bulk_create(sample_entries(batch, ENTRIES), batch_size=1000)
    actor = get_user_model().objects.filter(is_superuser=True).first()
    return publishing.publish(batch, actor=actor)


def timed_get(path, *, check, uncached=False):
    """GET `path` through the test client; `uncached` empties the cache first (the views
    keep each publication's download files)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    check(response)

    def run():
        if uncached:
            cache.clear()
        client.get(path)

    return run


@benchmark("/honor-roll/<batch>/ first page of 10,000 entries", repeat=100)
def batch_page():
    batch = published_batch()

    def check(response):
        assert "本期共 10000 条" in response.content.decode()

    return timed_get(f"/honor-roll/{batch.pk}/", check=check)


@benchmark("/honor-roll/<batch>/ filtered (name + cause, page 2) of 10,000", repeat=100)
def filtered_batch_page():
    from urllib.parse import urlencode

    from honorroll.models import ListEntry

    batch = published_batch()
    cause = ListEntry.objects.filter(batch=batch).order_by("pk").values_list("cause_id", flat=True)[1]
    query = urlencode({"q": "李某", "cause": cause, "page": 2})

    def check(response):
        text = response.content.decode()
        assert "符合条件的共" in text and text.count("李某某") >= 20, "the filter found too little"

    return timed_get(f"/honor-roll/{batch.pk}/?{query}", check=check)


@benchmark("/honor-roll/<batch>/download.csv (10,000 entries, uncached)", repeat=10)
def batch_csv():
    batch = published_batch()

    def check(response):
        assert response.content.count(b"\n") == ENTRIES + 1

    return timed_get(f"/honor-roll/{batch.pk}/download.csv", check=check, uncached=True)


@benchmark("/honor-roll/<batch>/download.xlsx (10,000 entries, uncached)", repeat=10)
def batch_xlsx():
    batch = published_batch()

    def check(response):
        assert response.content.startswith(b"PK")

    return timed_get(f"/honor-roll/{batch.pk}/download.xlsx", check=check, uncached=True)
