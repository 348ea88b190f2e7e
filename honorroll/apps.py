from django.apps import AppConfig


class HonorRollConfig(AppConfig):
    """The good-faith performance list (诚信履行名单)."""

    name = "honorroll"
    verbose_name = "诚信履行名单"
    default_auto_field = "django.db.models.BigAutoField"
