"""Admin pieces every app's viewsets share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import Column


def require_permission(request, permission):
    """For plain admin views: staff without `permission` get Wagtail's permission denial."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


def form_id(value):
    """A primary key from a form value, or None (never a ValueError and a 500)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


class YesNoColumn(Column):
    """是/否 for a boolean: Wagtail's BooleanColumn titles its icons with English True/False."""

    def get_value(self, instance):
        return "是" if super().get_value(instance) else "否"


class ProtectedDeleteMixin:
    """Deleting something other records still point at: a Chinese message and the row
    kept, instead of a 500 (and instead of Django logging the protected objects)."""

    protected_message = "仍有其他记录引用该项，不能删除；如不再使用，请改为停用。"

    def form_valid(self, form):
        # Wagtail refuses protected usage it knows of (reference index) with a bare "no
        # permission"; the database refuses the rest with ProtectedError. Both get the reason.
        if getattr(self, "usage", None) is not None and self.usage.is_protected:
            return self._refuse()
        try:
            return super().form_valid(form)
        except ProtectedError:
            return self._refuse()

    def _refuse(self):
        messages.error(self.request, self.protected_message)
        return HttpResponseRedirect(self.get_success_url())


# The second step of an irreversible action (publish a batch, decide an objection, approve,
# revoke): the first POST, once its input is valid, answers a page naming what will happen;
# only the POST from that page, which carries this marker, acts.
CONFIRMED = "confirmed"
LISTING_LIMIT = 20


class Listing:
    """A fact naming many things: all of them up to `limit`, else the first `limit` and
    "等 N 条" (N the total)."""

    def __init__(self, items, limit=LISTING_LIMIT):
        items = list(items)
        self.total = len(items)
        self.shown = items[:limit]
        self.more = self.total > limit


def is_confirmed(request):
    """The POST comes from the confirmation page: act (after validating it again)."""
    return request.POST.get(CONFIRMED) == "1"


def confirmation(request, *, title, summary, button, back_url, subtitle="", facts=(), consequences=()):
    """None when the POST carries the `confirmed` marker: the caller acts now. Otherwise the
    confirmation page, in the admin layout: `summary` says in one sentence what will happen,
    `facts` are (label, value) rows (a value may be a `Listing`), `consequences` are the
    sentences on what follows and what cannot be undone, `button` labels the primary button
    ("确认…"), `back_url` is where "返回，不作更改" leads. The page posts every field of this
    request back to the same URL (hidden inputs, repeated keys kept) with the marker, so the
    caller validates the same input again before acting."""
    if is_confirmed(request):
        return None
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    context = {
        "title": title,
        "subtitle": subtitle,
        "summary": summary,
        "facts": [(label, value, isinstance(value, Listing)) for label, value in facts],
        "consequences": consequences,
        "button": button,
        "back_url": back_url,
        "carried": carried,
        "marker": CONFIRMED,
    }
    return TemplateResponse(request, "portal/admin/confirm.html", context)


class _EditURLFinder(ModelAdminURLFinder):
    """Finds the edit URL of a model whose viewset may have none (then: no link)."""

    def construct_edit_url(self, instance):
        return super().construct_edit_url(instance) if self.edit_url_name else None


class RoutedViewsMixin:
    """For a ModelViewSet that offers only some of Wagtail's generic views.

    `routed_views` names the views that are routed (URL names: "index", "delete", "usage"
    …). The others are neither routed nor linked: their URL names are not handed to the
    views (`get_common_view_kwargs`), so a listing, a delete or a usage page never reverses a
    name that does not exist. Where staff work on an object on a page of their own instead
    of Wagtail's edit form, `edit_page_url_name` (a URL name taking the pk) stands for the edit
    view: the views link it, and so does the admin URL finder, which the usage pages of
    other objects (a court, a user) use to link the rows that refer to them.
    """

    routed_views = ("index", "index_results")
    edit_page_url_name = None
    GENERIC_VIEWS = ("index", "index_results", "add", "edit", "delete", "history", "usage", "copy", "inspect")

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in self.routed_views]

    def url_name_of(self, view):
        if view == "edit" and "edit" not in self.routed_views:
            return self.edit_page_url_name
        return self.get_url_name(view) if view in self.routed_views else None

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for view in self.GENERIC_VIEWS:
            if f"{view}_url_name" in view_kwargs:
                view_kwargs[f"{view}_url_name"] = self.url_name_of(view)
        return view_kwargs

    @property
    def url_finder_class(self):
        return type(
            f"{self.model.__name__}URLFinder", (_EditURLFinder,), {"edit_url_name": self.url_name_of("edit")}
        )
