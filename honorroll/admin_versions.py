"""Admin views of what was published: every version of a batch (viewed, or downloaded in its
public form) and the attachment of an objection; and the 名单管理 dashboard panel."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from wagtail.admin.ui.components import Component

from honorroll import exports, publishing
from honorroll.deliveries import stale_deliveries
from honorroll.models import BatchVersion, ListBatch, Objection
from portal.admin_ui import require_permission

ENTRIES_PER_PAGE = 100


def version_view(request, pk, number):
    """Version `number` of a published batch as it was published; ?format=xlsx|csv downloads it."""
    require_permission(request, "honorroll.view_listbatch")
    batch = get_object_or_404(
        ListBatch.objects.select_related("court"), pk=pk, status=ListBatch.Status.PUBLISHED
    )
    version = get_object_or_404(
        BatchVersion.objects.select_related("published_by"), batch=batch, number=number
    )
    fmt = request.GET.get("format", "")
    if fmt in exports.FORMATS:
        content, filename, content_type = exports.version_file(batch, version.number, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    entries = publishing.version_entries(batch, version.number)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "batch": batch,
        "version": version,
        "page": page,
        "batch_url": reverse("honorroll_batch", args=[batch.pk]),
        "others": batch.versions.order_by("number").values_list("number", flat=True),
    }
    return TemplateResponse(request, "honorroll/admin/version.html", context)


def objection_attachment_view(request, pk):
    """An objection's attachment, only to 名单管理 (it may hold personal data)."""
    require_permission(request, "honorroll.change_objection")
    objection = get_object_or_404(Objection, pk=pk)
    if not objection.attachment:
        raise Http404
    response = FileResponse(
        objection.attachment.open("rb"), as_attachment=True, filename=objection.attachment_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class ListWorkPanel(Component):
    """The 名单管理 home: what waits for them, each with a count and a link."""

    name = "honorroll_work"
    order = 50
    template_name = "honorroll/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        stale = stale_deliveries()
        drafts = ListBatch.objects.filter(status=ListBatch.Status.DRAFT, entries__isnull=False).distinct()
        pending = Objection.objects.filter(decision=Objection.Decision.PENDING).select_related(
            "entry__batch__court"
        )
        return {
            "candidates": publishing.candidates().count(),
            "candidates_url": reverse("honorroll_nominations:index"),
            "corrections": list(pending.order_by("received_on", "pk")[:20]),
            "corrections_count": pending.count(),
            "drafts": list(drafts.select_related("court")[:20]),
            "drafts_count": drafts.count(),
            "stale_count": len(stale),
            "stale_batches": list(
                ListBatch.objects.filter(pk__in={batch for batch, _r, _h in stale}).select_related("court")[
                    :20
                ]
            ),
        }
