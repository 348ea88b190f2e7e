from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from publicity import views
from publicity.models import PerformanceMethod, TypicalCaseIndexPage


class PerformanceMethodViewSet(SnippetViewSet):
    model = PerformanceMethod
    icon = "tag"
    menu_label = "履行方式"
    add_to_admin_menu = False
    list_display = ["name", "plan_reference", "sort_order"]
    search_fields = ["name", "description"]
    search_backend_name = None  # ORM search finds Chinese fragments


register_snippet(PerformanceMethodViewSet)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("publicity/cases/import/", views.import_view, name="publicity_import_cases"),
        path("publicity/cases/export/", views.export_view, name="publicity_export_cases"),
    ]


class CaseImportMenuItem(MenuItem):
    def is_shown(self, request):
        index = TypicalCaseIndexPage.objects.first()
        return index is not None and index.permissions_for_user(request.user).can_add_subpage()


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return CaseImportMenuItem(
        "典型案例导入导出", reverse("publicity_import_cases"), icon_name="table", order=250
    )
