"""/api/v1/honor-roll/: the read-only JSON feed for recipient agencies (honorroll/api.py)."""

from django.urls import path

from honorroll import api

urlpatterns = [
    path("batches/", api.batches, name="honorroll_api_batches"),
    # <str:> rather than <int:>: a malformed id gets the API's JSON 404, not the HTML page.
    path("batches/<str:batch_id>/entries/", api.entries, name="honorroll_api_entries"),
    path("batches/<str:batch_id>/versions/", api.versions, name="honorroll_api_versions"),
    path("batches/<str:batch_id>/changes/", api.changes, name="honorroll_api_changes"),
    path("deliveries/", api.deliveries, name="honorroll_api_deliveries"),
]
