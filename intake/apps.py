from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Online applications (certificate, fee reduction), review and documents."""

    name = "intake"
    verbose_name = "网上申请与审查"
    default_auto_field = "django.db.models.BigAutoField"
