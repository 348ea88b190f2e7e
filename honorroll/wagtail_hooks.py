from django.urls import include, path
from wagtail import hooks

from honorroll import admin_import, admin_versions, admin_views


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
        path(
            "honorroll/batches/<int:pk>/versions/<int:number>/",
            admin_versions.version_view,
            name="honorroll_version",
        ),
        path(
            "honorroll/objections/<int:pk>/attachment/",
            admin_versions.objection_attachment_view,
            name="honorroll_objection_attachment",
        ),
        # Spreadsheet import into a draft, exports for recipients.
        path("honorroll/", include(admin_import.urlpatterns)),
    ]


@hooks.register("construct_homepage_panels")
def add_list_work_panel(request, panels):
    if request.user.has_perm("honorroll.change_listbatch"):
        panels.append(admin_versions.ListWorkPanel())
