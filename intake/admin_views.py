"""Staff review of applications in the Wagtail admin (group 立案审查)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from intake import review
from intake.admin_confirm import confirm_certificate, confirm_fee_decision, confirm_revocation
from intake.forms import MoneyField
from intake.models import (
    Application,
    ApplicationEvent,
    ApplicationKind,
    ConfirmationMethod,
    DocumentType,
    EvidenceFile,
    FeePolicySettings,
    PartyKind,
)
from intake.parties import is_blank_name
from portal.admin_ui import RoutedViewsMixin
from portal.identifiers import parse_case_number
from portal.models import Court
from portal.validators import CaseNumberField, court_mismatch

DEFAULT_LEGAL_BASIS = "《诉讼费用交纳办法》第四十四条和本院生效裁判自动履行激励机制的规定"


def scoped(queryset, user):
    courts = review.courts_of(user)
    return queryset if courts is None else queryset.filter(court_id__in=courts)


class ApplicationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label="申请事项", choices=ApplicationKind.choices)
    court = django_filters.ModelChoiceFilter(label="法院", queryset=Court.objects.all())
    status = django_filters.ChoiceFilter(label="状态", choices=Application.Status.choices)
    submitted_at = django_filters.DateFromToRangeFilter(label="提交日期", widget=DateRangePickerWidget)

    class Meta:
        model = Application
        fields = ["kind", "court", "status", "submitted_at"]


class MaskedIdColumn(Column):
    def get_value(self, instance):
        return instance.masked_id_number


class ApplicationIndexView(IndexView):
    def get_base_queryset(self):
        return scoped(super().get_base_queryset().select_related("court", "assigned_to"), self.request.user)

    def get_edit_url(self, instance):
        return reverse("intake_review", args=[instance.pk])

    def get_add_url(self):
        return None  # applicants create applications; staff never do (not even superusers)

    def get_delete_url(self, instance):
        return None  # an application and its audit trail are records; nobody deletes them


class ApplicationViewSet(RoutedViewsMixin, ModelViewSet):
    model = Application
    icon = "form"
    menu_label = "自动履行申请"
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = ApplicationIndexView
    filterset_class = ApplicationFilterSet
    list_display = [
        "tracking_number",
        "kind",
        "court",
        "case_number",
        "applicant_name",
        MaskedIdColumn("id_number", label="证件号码"),
        "status",
        "assigned_to",
        "submitted_at",
    ]
    search_fields = ["tracking_number", "case_number", "applicant_name"]
    search_backend_name = None
    form_fields = ["assigned_to"]  # edits happen through the review page, never the raw form
    copy_view_enabled = False
    # Only the queue: applications are created by applicants and changed by review steps on
    # the review page.
    routed_views = ("index", "index_results")
    edit_page_url_name = "intake_review"


class ConfirmationForm(forms.Form):
    method = forms.ChoiceField(label="核实方式", choices=ConfirmationMethod.choices)
    confirmed_by = forms.CharField(label="确认人（原告或申请执行人）", max_length=100)
    confirmed_on = forms.DateField(
        label="确认日期",
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由（申请人可见）", widget=forms.Textarea(attrs={"rows": 3}))


class FeeDecisionForm(forms.Form):
    granted_amount = MoneyField(label="准予减免金额（元）")
    legal_basis = forms.CharField(
        label="法律依据",
        initial=DEFAULT_LEGAL_BASIS,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写减免的法律依据。"},
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label="承办人", queryset=None)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = users


def _application_for(request, pk):
    if not request.user.has_perm("intake.view_application"):
        raise PermissionDenied
    application = get_object_or_404(Application.objects.select_related("court", "cause"), pk=pk)
    if not review.may_act(request.user, application):
        raise PermissionDenied
    return application


def _fee_context(application):
    policy = FeePolicySettings.current()
    request = application.fee_request
    proposal = request.proposed_reduction(policy.reduction_percent)
    return {
        "fee_request": request,
        "calculated": request.calculated_fee(policy.schedule()),
        "proposal": proposal,
        "policy_percent": policy.reduction_percent,
        "decision_form": FeeDecisionForm(
            initial={"granted_amount": proposal, "legal_basis": DEFAULT_LEGAL_BASIS}
        ),
    }


def _reviewers():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name="立案审查", is_active=True).order_by("username")


def review_view(request, pk):
    application = _application_for(request, pk)
    if request.method == "GET":
        # Who opened an applicant's file, and when (audit trail; the page shows phone and evidence).
        application.record(ApplicationEvent.Action.VIEWED, request.user)
    context = {
        "application": application,
        "events": application.events.select_related("actor"),
        "evidence": application.evidence.all(),
        "confirmation_form": ConfirmationForm(),
        "reason_form": ReasonForm(),
        "assign_form": AssignForm(users=_reviewers()),
        "certificate": getattr(application, "certificate", None),
        "fee_decision": getattr(application, "fee_decision", None),
        "full_id": None,
    }
    if application.kind == ApplicationKind.FEE_REDUCTION:
        context.update(_fee_context(application))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "show_id":
                context["full_id"] = review.record_id_view(application, actor=request.user)
                return TemplateResponse(request, "intake/admin/review.html", context)
            if action == "confirm":
                form = ConfirmationForm(request.POST)
                context["confirmation_form"] = form
                if not form.is_valid():
                    return TemplateResponse(request, "intake/admin/review.html", context)
                review.record_confirmation(application, actor=request.user, **form.cleaned_data)
                messages.success(request, "已记录原告确认。")
            elif action == "approve" and application.kind == ApplicationKind.FEE_REDUCTION:
                form = FeeDecisionForm(request.POST)
                context["decision_form"] = form
                if not form.is_valid():
                    return TemplateResponse(request, "intake/admin/review.html", context)
                try:
                    review.check_granted_amount(application.fee_request, form.cleaned_data["granted_amount"])
                    if page := confirm_fee_decision(request, application, **form.cleaned_data):
                        return page
                    decision = review.approve(application, actor=request.user, **form.cleaned_data)
                except review.ReviewError as error:
                    # Shown with the form as staff typed it (the legal basis is kept).
                    form.add_error("granted_amount", error.message)
                    return TemplateResponse(request, "intake/admin/review.html", context)
                messages.success(request, f"已作出减免决定，决定书编号 {decision.serial}。")
            elif action == "approve":
                if page := confirm_certificate(request, application):
                    return page
                certificate = review.approve(application, actor=request.user)
                messages.success(request, f"已批准，证明书编号 {certificate.serial}。")
            elif action in ("reject", "revoke"):
                form = ReasonForm(request.POST)
                context["reason_form"] = form
                if not form.is_valid():
                    return TemplateResponse(request, "intake/admin/review.html", context)
                if action == "reject":
                    review.reject(application, actor=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, "已作出不予批准决定。")
                else:
                    certificate = getattr(application, "certificate", None)
                    if certificate is None:
                        raise review.ReviewError("该申请没有出具证明书，无需撤销。")
                    if page := confirm_revocation(request, certificate, form.cleaned_data["reason"]):
                        return page
                    review.revoke(certificate, actor=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, "证明书已撤销。")
            elif action == "assign":
                form = AssignForm(request.POST, users=_reviewers())
                if form.is_valid():
                    review.assign(application, form.cleaned_data["reviewer"], actor=request.user)
                    messages.success(request, "已分配承办人。")
            else:
                messages.error(request, "未知操作。")
        except review.ReviewError as error:
            messages.error(request, error.message)
        return redirect("intake_review", pk=application.pk)
    return TemplateResponse(request, "intake/admin/review.html", context)


@require_POST
def document_pdf_view(request, pk):
    """The issued certificate or fee decision, for staff who may act on the application."""
    from django.http import HttpResponse

    from intake.documents import certificate_pdf, fee_decision_pdf

    application = _application_for(request, pk)
    if application.kind == ApplicationKind.FEE_REDUCTION:
        document, render_pdf = getattr(application, "fee_decision", None), fee_decision_pdf
    else:
        document, render_pdf = getattr(application, "certificate", None), certificate_pdf
    if document is None:
        raise Http404
    application.record(ApplicationEvent.Action.DOWNLOADED, request.user, document.serial)
    response = HttpResponse(render_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.serial}.pdf"'
    return response


def evidence_view(request, pk):
    """Evidence is served only here, to staff who may act on the application."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("application"), pk=pk)
    application = _application_for(request, evidence.application_id)
    application.record(ApplicationEvent.Action.VIEWED_EVIDENCE, request.user, evidence.original_name)
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class CaseDocumentsForm(forms.Form):
    """The case a notice (Annex 2) or commitment letter (Annex 3) is produced for."""

    court = forms.ModelChoiceField(
        label="法院",
        queryset=Court.objects.filter(is_active=True),
        error_messages={"required": "请选择法院。"},
    )
    case_number = CaseNumberField(
        label="案号", help_text="例如（2025）黑0902民初123号", error_messages={"required": "请填写案号。"}
    )
    document_type = forms.ChoiceField(
        label="法律文书（承诺书用）",
        choices=[
            (DocumentType.MEDIATION, DocumentType.MEDIATION.label),
            (DocumentType.ENFORCEMENT_RULING, "执行裁定书"),
        ],
    )
    plaintiff_name = forms.CharField(
        label="原告（申请执行人）", max_length=100, error_messages={"required": "请填写原告（申请执行人）。"}
    )
    defendant_name = forms.CharField(
        label="被告（被执行人）", max_length=100, error_messages={"required": "请填写被告（被执行人）。"}
    )
    committer_kind = forms.ChoiceField(
        label="承诺人类型", choices=PartyKind.choices, initial=PartyKind.PERSON, widget=forms.RadioSelect
    )

    def clean(self):
        data = super().clean()
        court, number = data.get("court"), data.get("case_number")
        mismatch = court_mismatch(number, court) if court and number else None
        if mismatch:
            self.add_error("case_number", mismatch)
        kind = data.get("document_type")
        if number and kind:
            enforcement = parse_case_number(number).is_enforcement
            if enforcement != (kind == DocumentType.ENFORCEMENT_RULING):
                self.add_error(
                    "document_type",
                    "执行案件（案号含“执”）对应执行裁定书，其他案件对应民事调解书，请核对。",
                )
        for field in ("plaintiff_name", "defendant_name"):
            if field in data and is_blank_name(data[field]):
                self.add_error(field, "请填写名称。")
        if "document_type" in data:
            data["document_type_label"] = DocumentType(data["document_type"]).label
        return data


def case_documents_view(request):
    """Staff print the notice (Annex 2) and the commitment letter (Annex 3) for a case."""
    from django.http import HttpResponse

    from intake.documents import commitment_pdf, notice_pdf

    if not request.user.has_perm("intake.view_application"):
        raise PermissionDenied
    form = CaseDocumentsForm(request.POST or None)
    courts = review.courts_of(request.user)  # only the courts this member may act for
    if courts is not None:
        form.fields["court"].queryset = Court.objects.filter(is_active=True, pk__in=courts)
    if request.method == "POST" and form.is_valid():
        document = request.POST.get("document")
        renderers = {"notice": (notice_pdf, "notice"), "commitment": (commitment_pdf, "commitment")}
        if document in renderers:
            render_pdf, name = renderers[document]
            response = HttpResponse(render_pdf(form.cleaned_data), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
        messages.error(request, "请选择要生成的文书。")
    return TemplateResponse(request, "intake/admin/case_documents.html", {"form": form})
