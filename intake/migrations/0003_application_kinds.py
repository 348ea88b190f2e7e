"""One application model for both kinds (certificate, fee reduction): the certificate
application becomes `Application` with a `kind`, and the access code is kept encrypted
until the applicant has been notified (for retries)."""

from django.db import migrations, models

import intake.models


def rename_permissions(apps, schema_editor):
    # RenameModel renames the content type, not the permission codenames Django derived
    # from the old model name; groups keep their grants because the rows stay the same.
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="intake", codename__endswith="_certificateapplication"
    ):
        action = permission.codename.rsplit("_", 1)[0]
        permission.codename = f"{action}_application"
        permission.name = f"Can {action} 申请"
        permission.save(update_fields=["codename", "name"])


def restore_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="intake", codename__endswith="_application"
    ):
        action = permission.codename.rsplit("_", 1)[0]
        permission.codename = f"{action}_certificateapplication"
        permission.save(update_fields=["codename"])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0002_reviewer_permissions"),
    ]

    operations = [
        migrations.RenameModel("CertificateApplication", "Application"),
        migrations.AlterModelOptions(
            name="application",
            options={
                "ordering": ["-submitted_at"],
                "permissions": [("review_any_court", "可办理所有法院的申请")],
                "verbose_name": "申请",
                "verbose_name_plural": "申请",
            },
        ),
        migrations.AddField(
            model_name="application",
            name="kind",
            field=models.CharField(
                choices=[("certificate", "自动履行证明书"), ("fee_reduction", "减免诉讼费用")],
                db_index=True,
                default="certificate",
                max_length=20,
                verbose_name="申请事项",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="pending_notice_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="待发送的查询码（加密）"),
        ),
        migrations.AlterField(
            model_name="application",
            name="tracking_number",
            field=models.CharField(
                default=intake.models.new_tracking_number, max_length=20, unique=True, verbose_name="受理编号"
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="status",
            field=models.CharField(
                choices=[
                    ("submitted", "已提交，待审查"),
                    ("confirmed", "已核实履行情况，待审批"),
                    ("approved", "已批准"),
                    ("rejected", "未予批准"),
                ],
                default="submitted",
                max_length=20,
                verbose_name="状态",
            ),
        ),
        migrations.RunPython(rename_permissions, restore_permissions),
    ]
