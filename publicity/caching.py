"""What the public page caches (portal/caching.py) must forget when a reference table the
cases show changes: publicity knows its cases, so the handler lives here (portal imports no
app)."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from portal.caching import forget_after_commit, urls_of, urls_showing

# The reference tables public pages show, and the case field that points at each.
REFERENCE_FIELDS = {
    ("portal", "Court"): "court",
    ("portal", "CauseOfAction"): "cause",
    ("publicity", "PerformanceMethod"): "method",
}


def reference_changed(sender, instance, **kwargs):
    """A court, cause or method renamed: the cases showing it, the case list and its
    filters, the good-faith list (court names)."""
    from publicity.models import TypicalCasePage

    field = REFERENCE_FIELDS[(sender._meta.app_label, sender.__name__)]
    cases = TypicalCasePage.objects.live().filter(**{f"{field}_id": instance.pk})
    urls = urls_of(cases)
    first = cases.first()
    if first is not None:
        # The lists above the cases (and the search page), the same for all of them.
        urls |= urls_showing(first)
    forget_after_commit(urls, paths=("/honor-roll/",))


def connect_signals():
    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        for app_label, model_name in REFERENCE_FIELDS:
            signal.connect(
                reference_changed,
                sender=apps.get_model(app_label, model_name),
                dispatch_uid=f"publicity.caching.{model_name}.{name}",
            )
