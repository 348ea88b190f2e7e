from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from portal.models import CauseOfAction, Court


class CourtViewSet(SnippetViewSet):
    model = Court
    icon = "site"
    menu_label = "法院"
    list_display = ["name", "code", "level", "sort_order", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    # The ORM search (icontains) finds Chinese fragments; the full-text index would not.
    search_backend_name = None
    ordering = ["sort_order", "code"]


class CauseOfActionViewSet(SnippetViewSet):
    model = CauseOfAction
    icon = "tag"
    menu_label = "案由"
    list_display = ["name", "category", "sort_order", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "category"]
    search_backend_name = None
    ordering = ["sort_order", "name"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = "基础数据"
    menu_icon = "folder-open-inverse"
    menu_order = 900
    items = (CourtViewSet, CauseOfActionViewSet)


register_snippet(ReferenceDataGroup)
