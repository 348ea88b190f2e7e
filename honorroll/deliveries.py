"""Which version of each published batch every recipient agency holds, and which agencies
must be sent a newer one (待重新报送) after a correction."""

from django.db.models import F, Max

from honorroll.models import Delivery, ListBatch


def delivery_status(batch):
    """Per recipient that received `batch` (file or API): the latest version it has, when
    it got it, and whether a newer version waits to be sent."""
    latest = {}
    for delivery in batch.deliveries.select_related("recipient").order_by("sent_at", "pk"):
        held = latest.get(delivery.recipient_id)
        if held is None or delivery.revision >= held.revision:
            latest[delivery.recipient_id] = delivery
    return [
        {
            "recipient": delivery.recipient,
            "version": delivery.revision,
            "sent_at": delivery.sent_at,
            "method": delivery.get_method_display(),
            "stale": delivery.revision < batch.revision,
        }
        for delivery in sorted(latest.values(), key=lambda d: d.recipient.name)
    ]


def stale_deliveries():
    """(batch id, recipient id, version held) for every agency holding an older version of a
    published batch than the current one."""
    return list(
        Delivery.objects.filter(batch__status=ListBatch.Status.PUBLISHED)
        .values("batch", "recipient", "batch__revision")
        .annotate(held=Max("revision"))
        .filter(held__lt=F("batch__revision"))
        .values_list("batch", "recipient", "held")
    )
