"""Admin pieces every app's viewsets share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
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
