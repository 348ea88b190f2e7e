"""立案审查 sees the application queue; what each member may act on is scoped by court."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="立案审查").first()
    if group is None:
        return
    for model, codename, name in (
        ("certificateapplication", "view_certificateapplication", "Can view 自动履行证明书申请"),
        ("certificate", "view_certificate", "Can view 自动履行证明书"),
    ):
        content_type, _ = ContentType.objects.get_or_create(app_label="intake", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("portal", "0004_staff_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
