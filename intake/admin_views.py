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
from intake.models import Application, ConfirmationMethod, EvidenceFile
from portal.models import Court


def scoped(queryset, user):
    courts = review.courts_of(user)
    return queryset if courts is None else queryset.filter(court_id__in=courts)


class ApplicationFilterSet(WagtailFilterSet):
    court = django_filters.ModelChoiceFilter(label="法院", queryset=Court.objects.all())
    status = django_filters.ChoiceFilter(label="状态", choices=Application.Status.choices)
    submitted_at = django_filters.DateFromToRangeFilter(label="提交日期", widget=DateRangePickerWidget)

    class Meta:
        model = Application
        fields = ["court", "status", "submitted_at"]


class MaskedIdColumn(Column):
    def get_value(self, instance):
        return instance.masked_id_number


class ApplicationIndexView(IndexView):
    def get_base_queryset(self):
        return scoped(super().get_base_queryset().select_related("court", "assigned_to"), self.request.user)

    def get_edit_url(self, instance):
        return reverse("intake_review", args=[instance.pk])


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "form"
    menu_label = "证明书申请"
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = ApplicationIndexView
    filterset_class = ApplicationFilterSet
    list_display = [
        "tracking_number",
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

    def get_urlpatterns(self):
        # Only the queue: applications are created by applicants and changed by review steps.
        return [
            pattern for pattern in super().get_urlpatterns() if pattern.name in ("index", "index_results")
        ]


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


def _reviewers():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name="立案审查", is_active=True).order_by("username")


def review_view(request, pk):
    application = _application_for(request, pk)
    context = {
        "application": application,
        "events": application.events.select_related("actor"),
        "evidence": application.evidence.all(),
        "confirmation_form": ConfirmationForm(),
        "reason_form": ReasonForm(),
        "assign_form": AssignForm(users=_reviewers()),
        "certificate": getattr(application, "certificate", None),
        "full_id": None,
    }
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
            elif action == "approve":
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
                    review.revoke(
                        application.certificate, actor=request.user, reason=form.cleaned_data["reason"]
                    )
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
def certificate_pdf_view(request, pk):
    from django.http import HttpResponse

    from intake.documents import certificate_pdf

    application = _application_for(request, pk)
    certificate = getattr(application, "certificate", None)
    if certificate is None:
        raise Http404
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.serial}.pdf"'
    return response


def evidence_view(request, pk):
    """Evidence is served only here, to staff who may act on the application."""
    evidence = get_object_or_404(EvidenceFile.objects.select_related("application"), pk=pk)
    _application_for(request, evidence.application_id)
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
