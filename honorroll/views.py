"""The public good-faith performance list: /honor-roll/ (published batches), a batch with
filters, and the batch as CSV or Excel.

Everything here reads `ListEntry.public_name` through `publishing.public_entries`; the real
names of natural persons (`party_name`) are never loaded. Malformed query strings are
ignored or answered with a Chinese message, never with an error page.
"""

from urllib.parse import quote, urlencode

from django import forms
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from honorroll import exports, publishing
from honorroll.models import ListBatch
from portal import caching
from portal.models import CauseOfAction, Court
from publicity.models import paginate

BATCHES_PER_PAGE = 20
ENTRIES_PER_PAGE = 50
QUERY_MAX_LENGTH = 50
EXPORT_CACHE_SECONDS = 60 * 60


def published_batches():
    return ListBatch.objects.filter(status=ListBatch.Status.PUBLISHED).select_related("court")


def batch_list(request):
    batches = published_batches().annotate(
        entry_count=Count("entries", filter=Q(entries__removed_at__isnull=True))
    )
    page = paginate(
        request, batches.order_by(F("published_at").desc(nulls_last=True), "-pk"), BATCHES_PER_PAGE
    )
    return render(request, "honorroll/batch_list.html", {"batches": page})


class EntryFilterForm(forms.Form):
    """The filters of a batch page; the court and cause options are those on the batch."""

    q = forms.CharField(
        label="当事人名称",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text="自然人只公开姓氏，请按公开名称查询，例如“张某”。",
        error_messages={
            "max_length": f"当事人名称最多 {QUERY_MAX_LENGTH} 个字，已忽略该条件。",
            "null_characters_not_allowed": "当事人名称含有无效字符，已忽略该条件。",
        },
    )
    court = forms.TypedChoiceField(
        label="审理法院",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "请从列表中选择审理法院，已忽略该条件。"},
    )
    cause = forms.TypedChoiceField(
        label="案由",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "请从列表中选择案由，已忽略该条件。"},
    )

    def __init__(self, data, *, batch, entries):
        super().__init__(data)

        def read():
            courts = Court.objects.filter(pk__in=entries.values("court_id")).order_by("sort_order", "code")
            causes = CauseOfAction.objects.filter(pk__in=entries.values("cause_id")).order_by(
                "sort_order", "name"
            )
            return list(courts.values_list("pk", "name")), list(causes.values_list("pk", "name"))

        # Kept until the list changes (a publication or an objection forgets it).
        courts, causes = caching.remembered(f"honor-roll-filters:{batch.pk}", read)
        self.fields["court"].choices = [("", "全部法院"), *courts]
        self.fields["cause"].choices = [("", "全部案由"), *causes]

    def active(self):
        """{name: value} of the filters that were given and are valid."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        active = {}
        query = (data.get("q") or "").strip()
        if query:
            active["q"] = query
        for name in ("court", "cause"):
            if data.get(name) is not None:
                active[name] = data[name]
        return active


def apply_filters(entries, active):
    if "q" in active:
        entries = entries.filter(public_name__icontains=active["q"])
    if "court" in active:
        entries = entries.filter(court_id=active["court"])
    if "cause" in active:
        entries = entries.filter(cause_id=active["cause"])
    return entries


def public_values(entries):
    """Tuples of publishing.PUBLIC_VALUES (the only fields a public view reads; never
    `party_name`): a page of 50 rows built as model instances (and rendered
    cell by cell in the template) cost more than the rest of the page together."""
    return entries.values_list(*publishing.PUBLIC_VALUES)


def batch_detail(request, pk):
    batch = get_object_or_404(published_batches(), pk=pk)
    entries = publishing.public_entries(batch)
    form = EntryFilterForm(request.GET, batch=batch, entries=entries)
    form.is_valid()  # invalid filters are reported on the form and left out
    active = form.active()
    page = paginate(request, public_values(apply_filters(entries, active)), ENTRIES_PER_PAGE)
    context = {
        "batch": batch,
        "form": form,
        "entries": page,
        "filtered": bool(active),
        "filter_query": urlencode(active),
    }
    return render(request, "honorroll/batch_detail.html", context)


def attachment(response, batch, extension):
    """Content-Disposition with an ASCII name for old clients and the Chinese one (RFC 6266)."""
    ascii_name = f"honor-roll-{batch.court.code[1:]}-{batch.year}-{batch.number}.{extension}"
    chinese_name = f"{batch.court.name}诚信履行名单{batch.title}.{extension}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(chinese_name)}"
    )
    return response


def cached_export(batch, extension, build):
    """The file for a batch, built once per publication (a correction re-publishes the batch
    with a new revision and so a new key); an Excel file of 10,000 entries takes a second."""
    stamp = batch.published_at.timestamp() if batch.published_at else 0
    key = f"honorroll:export:{extension}:{batch.pk}:{batch.revision}:{stamp}"
    content = cache.get(key)
    if content is None:
        content = build(batch)
        cache.set(key, content, EXPORT_CACHE_SECONDS)
    return content


def public_file(fmt):
    def build(batch):
        rows = exports.public_rows(publishing.public_entries(batch))
        return exports.sheet_bytes(exports.PUBLIC_COLUMNS, rows, fmt, "诚信履行名单")

    return build


def download_csv(request, pk):
    batch = get_object_or_404(published_batches(), pk=pk)
    response = HttpResponse(
        cached_export(batch, "csv", public_file("csv")), content_type=exports.CONTENT_TYPES["csv"]
    )
    return attachment(response, batch, "csv")


def download_xlsx(request, pk):
    batch = get_object_or_404(published_batches(), pk=pk)
    response = HttpResponse(
        cached_export(batch, "xlsx", public_file("xlsx")), content_type=exports.CONTENT_TYPES["xlsx"]
    )
    return attachment(response, batch, "xlsx")
