"""The list in the Wagtail admin (group 名单管理): batches, candidates, publication,
objections, recipients and their API keys. Import and export views: admin_import.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from honorroll import corrections, publishing
from honorroll.admin_confirm import DECISION_OUTCOMES, confirm_objection_decision, confirm_publication
from honorroll.deliveries import delivery_status
from honorroll.models import AgencyApiKey, ApiKeyUse, ListBatch, ListEntry, Nomination, Objection, Recipient
from portal.admin_ui import (
    ProtectedDeleteMixin,
    RoutedViewsMixin,
    YesNoColumn,
    confirmation,
    form_id,
    require_permission,
)


class BatchForm(forms.ModelForm):
    class Meta:
        model = ListBatch
        fields = ["court", "year", "number"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise forms.ValidationError("年度不正确。")
        return year


class BatchIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("court").annotate(entry_count=Count("entries"))

    def get_edit_url(self, instance):
        return reverse("honorroll_batch", args=[instance.pk])


class BatchCreateView(CreateView):
    """After creating a batch, staff continue on its page (there is no raw edit form)."""

    def get_edit_url(self):
        return reverse("honorroll_batch", args=[self.object.pk])

    def get_success_url(self):
        return self.get_edit_url()


class BatchDeleteView(ProtectedDeleteMixin, DeleteView):
    """A draft may be discarded; a published batch is a public record and never deleted."""

    def dispatch(self, request, *args, **kwargs):
        batch = get_object_or_404(ListBatch, pk=kwargs.get("pk"))
        if batch.is_published:
            messages.error(request, "已发布的名单不能删除；更正请通过异议程序办理。")
            return redirect("honorroll_batch", pk=batch.pk)
        return super().dispatch(request, *args, **kwargs)


class BatchViewSet(RoutedViewsMixin, ModelViewSet):
    model = ListBatch
    icon = "list-ul"
    menu_label = "名单批次"
    index_view_class = BatchIndexView
    add_view_class = BatchCreateView
    delete_view_class = BatchDeleteView
    list_display = ["__str__", "court", "status", "revision", "published_at"]
    list_filter = ["court", "status", "year"]
    copy_view_enabled = False
    inspect_view_enabled = False
    # Batches are created here; everything else happens on the batch page, so a published
    # batch can never be edited through a raw form.
    routed_views = ("index", "index_results", "add", "delete", "usage")
    edit_page_url_name = "honorroll_batch"

    def get_form_class(self, for_update=False):
        return BatchForm


class NominationIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("court", "entry__batch__court")

    def get_add_url(self):
        return None  # candidates come from approved applications


class NominationDeleteView(ProtectedDeleteMixin, DeleteView):
    """A candidate may be dropped (e.g. consent withdrawn) until it is on a batch."""

    protected_message = "该候选人已列入名单批次，不能删除；更正请通过异议程序办理。"


class CandidateStateColumn(Column):
    """Where a candidate stands: withdrawn (its certificate revoked), on a batch, or waiting,
    with its certificate's state."""

    def get_value(self, instance):
        if instance.withdrawn_at is None and getattr(instance, "entry", None) is not None:
            return f"已列入{instance.entry.batch}"
        return instance.certificate_state


class NominationViewSet(RoutedViewsMixin, ModelViewSet):
    model = Nomination
    icon = "user"
    menu_label = "名单候选"
    form_fields = ["party_name"]  # no edit view: candidates come from approved applications
    index_view_class = NominationIndexView
    delete_view_class = NominationDeleteView
    list_display = [
        "party_name",
        "party_kind",
        "court",
        "case_number",
        "performed_on",
        "source",
        CandidateStateColumn("state", label="证明书与状态"),
    ]
    list_filter = ["court", "party_kind"]
    search_fields = ["party_name", "case_number"]
    search_backend_name = None
    # A candidate has no page of its own: it is listed, and dropped (delete) until it is on a batch.
    routed_views = ("index", "index_results", "delete", "usage")


class KeysColumn(TitleColumn):
    def get_value(self, instance):
        return "接口密钥"


class RecipientDeleteView(DeleteView):
    def dispatch(self, request, *args, **kwargs):
        messages.error(
            request, "接收单位不能删除（报送记录和接口调用记录须保留）；不再报送的，请取消“启用”。"
        )
        return redirect(reverse("honorroll_recipients:index"))


class RecipientViewSet(ModelViewSet):
    """Recipients are deactivated, never deleted: their deliveries and key uses are records."""

    model = Recipient
    icon = "mail"
    menu_label = "接收单位"
    form_fields = ["name", "contact", "is_active"]
    list_display = [
        "name",
        "contact",
        YesNoColumn("is_active", label="启用"),
        KeysColumn("keys", label="接口", get_url=lambda r: reverse("honorroll_recipient_keys", args=[r.pk])),
    ]
    copy_view_enabled = False
    inspect_view_enabled = False

    delete_view_class = RecipientDeleteView


class HonorRollViewSetGroup(ViewSetGroup):
    menu_label = "诚信履行名单"
    menu_icon = "list-ul"
    menu_order = 220
    items = (
        BatchViewSet("honorroll_batches", url_prefix="honorroll/batches"),
        NominationViewSet("honorroll_nominations", url_prefix="honorroll/nominations"),
        RecipientViewSet("honorroll_recipients", url_prefix="honorroll/recipients"),
    )


class ObjectionForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    requested_by = forms.CharField(label="异议人", max_length=100)
    contact = forms.CharField(label="联系方式", max_length=200, required=False)
    received_on = forms.DateField(
        label="收到日期",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": "收到日期格式不正确，例如 2025-06-18。"},
    )
    reason = forms.CharField(label="异议理由", widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label="附件", required=False)


def _objection_form_error(form):
    for field in ("received_on", "attachment"):
        if field in form.errors:
            return form.errors[field][0]
    for field, label in (("requested_by", "异议人"), ("contact", "联系方式")):
        if form.errors.get(field) and form.data.get(field, "").strip():
            return f"{label}过长，请精简（最多 {form.fields[field].max_length} 个字）。"
    return "请填写异议人和异议理由。"


ENTRIES_PER_PAGE = 100


def batch_view(request, pk):
    """A batch: its entries with the masked public form beside each real name, candidates
    to add, publication, exports and deliveries, objections."""
    require_permission(request, "honorroll.view_listbatch")
    batch = get_object_or_404(ListBatch.objects.select_related("court", "published_by"), pk=pk)
    if request.method == "POST":
        require_permission(request, "honorroll.change_listbatch")
        try:
            message = _act(request, batch)
            if isinstance(message, HttpResponseBase):
                return message  # the confirmation step of an irreversible action
            if message:
                messages.success(request, message)
        except (publishing.ListError, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or "；".join(error.messages))
        return redirect("honorroll_batch", pk=batch.pk)

    entries = batch.entries.select_related("court", "cause").order_by("pk")
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    if query:
        entries = entries.filter(Q(party_name__contains=query) | Q(case_number__contains=query))
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    preview = (
        publishing.public_names(batch.entries.only("pk", "party_kind", "party_name"))
        if not batch.is_published
        else {}
    )
    pending = set(
        Objection.objects.filter(entry__batch=batch, decision=Objection.Decision.PENDING).values_list(
            "entry_id", flat=True
        )
    )
    rows = [(entry, entry.public_name or preview.get(entry, ""), entry.pk in pending) for entry in page]
    context = {
        "batch": batch,
        "rows": rows,
        "page": page,
        "query": query,
        "candidates": publishing.candidates(batch.court) if not batch.is_published else [],
        "recipients": Recipient.objects.filter(is_active=True),
        "deliveries": batch.deliveries.select_related("recipient", "sent_by")[:50],
        "delivery_status": delivery_status(batch),
        "versions": batch.versions.select_related("published_by").order_by("-number"),
        "objections": Objection.objects.filter(entry__batch=batch).select_related(
            "entry", "recorded_by", "decided_by"
        ),
        "objection_form": ObjectionForm(),
        "correctable_fields": Objection.CORRECTABLE_FIELDS,
        "import_url": reverse("honorroll_import", args=[batch.pk]),
        "export_url": reverse("honorroll_export", args=[batch.pk]),
    }
    return TemplateResponse(request, "honorroll/admin/batch.html", context)


def _act(request, batch):
    action = request.POST.get("action")
    if action == "add_candidates":
        ids = [pk for pk in map(form_id, request.POST.getlist("nomination")) if pk is not None]
        if not ids:
            raise publishing.ListError("请勾选要加入本批次的候选人。")
        added = publishing.add_nominations(batch, Nomination.objects.filter(pk__in=ids))
        return f"已加入 {added} 条。"
    if action == "remove_entry":
        entry = get_object_or_404(ListEntry, pk=form_id(request.POST.get("entry")), batch=batch)
        entry.delete()  # refused for a published batch (the objection route instead)
        return "已从草稿中移除。"
    if action == "publish":
        if page := confirm_publication(request, batch):
            return page
        publishing.publish(batch, actor=request.user)
        return f"{batch.title}已发布。"
    if action == "record_objection":
        form = ObjectionForm(request.POST, request.FILES)
        if not form.is_valid():
            raise publishing.ListError(_objection_form_error(form))
        entry = get_object_or_404(ListEntry, pk=form.cleaned_data["entry"], batch=batch)
        corrections.record_objection(
            entry,
            requested_by=form.cleaned_data["requested_by"],
            contact=form.cleaned_data["contact"],
            received_on=form.cleaned_data["received_on"],
            reason=form.cleaned_data["reason"],
            attachment=form.cleaned_data["attachment"],
            actor=request.user,
        )
        return "已登记异议，待处理（条目显示“异议处理中”）。"
    if action == "decide_objection":
        objection = get_object_or_404(
            Objection.objects.select_related("entry"),
            pk=form_id(request.POST.get("objection")),
            entry__batch=batch,
        )
        if page := confirm_objection_decision(request, batch, objection):
            return page
        outcome = DECISION_OUTCOMES[request.POST.get("decision")]
        corrections.decide_objection(
            objection,
            outcome=outcome,
            field=request.POST.get("field", ""),
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
        batch.refresh_from_db()
        if outcome == corrections.DISMISS:
            return "已作出异议不成立的决定。"
        return f"异议成立，批次已重新发布为第 {batch.revision} 版；已报送的接收单位将显示“待重新报送”。"
    raise publishing.ListError("未知操作。")


def recipient_keys_view(request, pk):
    """A recipient's API keys: issue (the key is shown once) and revoke."""
    require_permission(request, "honorroll.change_agencyapikey")
    recipient = get_object_or_404(Recipient, pk=pk)
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "issue":
            _row, new_key = AgencyApiKey.issue(recipient, issued_by=request.user)
            messages.success(request, "已生成新密钥。密钥只显示这一次，请立即交给接收单位。")
        elif request.POST.get("action") == "revoke":
            key = get_object_or_404(AgencyApiKey, pk=form_id(request.POST.get("key")), recipient=recipient)
            if key.revoked_at is None and (
                page := confirmation(
                    request,
                    title="确认吊销接口密钥",
                    subtitle=str(recipient),
                    summary=f"将吊销{recipient}的接口密钥 {key.prefix}…。",
                    facts=[("接收单位", str(recipient)), ("密钥前缀", f"{key.prefix}…")],
                    consequences=[
                        "吊销后该接收单位用这个密钥调用数据接口将被拒绝，吊销不能撤回；需要时可另行生成新密钥。"
                    ],
                    button="确认吊销",
                    back_url=reverse("honorroll_recipient_keys", args=[recipient.pk]),
                )
            ):
                return page
            if key.revoked_at is None:
                key.revoked_at, key.revoked_by = timezone.now(), request.user
                key.save(update_fields=["revoked_at", "revoked_by"])
            messages.success(request, f"密钥 {key.prefix}… 已吊销。")
            return redirect("honorroll_recipient_keys", pk=recipient.pk)
    keys = recipient.api_keys.annotate(
        use_count=Count("uses"), identities=Sum("uses__identities_disclosed")
    ).order_by("-created_at")
    recent = (
        ApiKeyUse.objects.filter(key__recipient=recipient).select_related("key").order_by("-used_at")[:50]
    )
    return TemplateResponse(
        request,
        "honorroll/admin/keys.html",
        {"recipient": recipient, "keys": keys, "new_key": new_key, "recent": recent},
    )
