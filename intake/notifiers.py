"""How an applicant hears of their tracking number and code. Pluggable by
settings.INTAKE_NOTIFIER (a dotted path); an SMS gateway adds a class with the same method."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string


class EmailNotifier:
    """Email when the applicant gave an address (console backend in development)."""

    def submitted(self, application, access_code):
        if not application.email:
            return False
        send_mail(
            subject=f"{application.get_kind_display()}申请已受理（{application.tracking_number}）",
            message=(
                f"您的申请已提交，受理编号：{application.tracking_number}，查询码：{access_code}。\n"
                f"请妥善保管查询码，凭受理编号和查询码在 {settings.WAGTAILADMIN_BASE_URL}/apply/status/ "
                f"查询办理进度、下载{application.document_name}。法院工作人员不会向您索要查询码。"
            ),
            from_email=None,
            recipient_list=[application.email],
        )
        return True


def get_notifier():
    return import_string(settings.INTAKE_NOTIFIER)()
