from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from portal.admin_ui import ProtectedDeleteMixin, YesNoColumn
from portal.models import CauseOfAction, Court


class ReferenceDeleteView(ProtectedDeleteMixin, DeleteView):
    protected_message = "该项已被申请、案例或名单引用，不能删除；如不再使用，请取消“启用”。"


class CourtViewSet(SnippetViewSet):
    model = Court
    icon = "site"
    menu_label = "法院"
    delete_view_class = ReferenceDeleteView
    list_display = ["name", "code", "level", "sort_order", YesNoColumn("is_active", label="启用")]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    # The ORM search (icontains) finds Chinese fragments; the full-text index would not.
    search_backend_name = None
    ordering = ["sort_order", "code"]


class CauseOfActionViewSet(SnippetViewSet):
    model = CauseOfAction
    icon = "tag"
    menu_label = "案由"
    delete_view_class = ReferenceDeleteView
    list_display = ["name", "category", "sort_order", YesNoColumn("is_active", label="启用")]
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
