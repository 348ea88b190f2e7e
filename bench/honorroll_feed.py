"""The agencies' JSON feed: one page of 1,000 entries of a published 10,000-entry batch.

Goal: p95 < 200 ms uncached on SQLite (the request is authenticated and logged, as in use).
"""

from bench.harness import benchmark
from bench.honorroll_pages import published_batch  # one 10,000-entry batch for both


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
