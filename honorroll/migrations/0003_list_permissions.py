"""名单管理 builds, publishes and corrects batches, manages recipients and their keys."""

from django.db import migrations

MODELS = (
    "listbatch",
    "listentry",
    "objection",
    "recipient",
    "delivery",
    "agencyapikey",
    "apikeyuse",
    "nomination",
)


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="名单管理").first()
    if group is None:
        return
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="honorroll", model=model)
        for action in ("add", "change", "delete", "view"):
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("honorroll", "0002_list_batches"), ("portal", "0004_staff_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
