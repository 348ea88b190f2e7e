"""The agencies' JSON feed: one page of 1,000 entries of a published 10,000-entry batch.

Goal: p95 < 200 ms uncached on SQLite (the request is authenticated and logged, as in use).
"""

import datetime

from bench.harness import benchmark

ENTRIES = 10_000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def published_batch():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from honorroll import publishing
    from honorroll.models import ListBatch, ListEntry
    from portal.models import CauseOfAction, Court

    court = Court.objects.get(code="黑0902")
    causes = list(CauseOfAction.objects.all()[:7])
    batch = ListBatch.objects.create(court=court, year=2024, number=99)
    now = timezone.now()
    entries = []
    for n in range(ENTRIES):
        organisation = n % 10 == 0
        entries.append(
            ListEntry(
                batch=batch,
                party_kind="organisation" if organisation else "person",
                party_name=(
                    f"七台河市第{n}建材有限公司"
                    if organisation
                    else SURNAMES[n % 20] + GIVEN[(n // 20) % 20] + GIVEN[(n // 400) % 20]
                ),
                credit_code=f"9123090{n:011d}" if organisation else "",
                court=court,
                case_number=f"（2024）黑0902民初{n + 1}号",
                cause=causes[n % len(causes)],
                amount=f"{1000 + n * 7}.50" if organisation else None,
                performed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 300),
                source="import",
                consented_at=None if organisation else now,
                consent_record="" if organisation else "书面同意书",
            )
        )
    ListEntry.objects.bulk_create(entries, batch_size=1000)
    actor = get_user_model().objects.filter(is_superuser=True).first()
    return publishing.publish(batch, actor=actor)


@benchmark("/api/v1/honor-roll/ entries page 3 (1,000 of 10,000)", repeat=100)
def feed_page():
    from django.test import Client

    from honorroll.models import AgencyApiKey, Recipient

    batch = published_batch()
    _, key = AgencyApiKey.issue(Recipient.objects.create(name="基准测试接收单位"))
    client = Client()
    path = f"/api/v1/honor-roll/batches/{batch.pk}/entries/?page=3&page_size=1000"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    assert len(response.json()["results"]) == 1000

    def run():
        client.get(path, **headers)

    return run
