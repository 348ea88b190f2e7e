from django.urls import include, path
from wagtail import hooks

from honorroll import admin_import, admin_views


@hooks.register("register_admin_viewset")
def register_list_viewsets():
    return admin_views.HonorRollViewSetGroup()


@hooks.register("register_admin_urls")
def register_list_urls():
    return [
        path("honorroll/batches/<int:pk>/manage/", admin_views.batch_view, name="honorroll_batch"),
        path(
            "honorroll/recipients/<int:pk>/keys/",
            admin_views.recipient_keys_view,
            name="honorroll_recipient_keys",
        ),
        # Spreadsheet import into a draft, exports for recipients.
        path("honorroll/", include(admin_import.urlpatterns)),
    ]
