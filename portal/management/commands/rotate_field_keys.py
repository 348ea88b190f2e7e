"""Re-encrypt every encrypted value under the newest key of FIELD_ENCRYPTION_KEYS.

Rotation (README, "Security"): put the new key first in FIELD_ENCRYPTION_KEYS, keep the
old ones after it, restart, run this command; when it reports every value rotated, the old
keys can be removed. The lookup hashes use FIELD_HASH_KEY, which does not change, so every
applicant is still found by tracking number and code, ID number or phone number.

Encrypted values are the text columns named "*_encrypted" of the project's models; each is
rewritten with MultiFernet.rotate in batches of 500 rows, one transaction per batch (a run
stopped half-way leaves every value readable: old keys still decrypt what was not reached).
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from portal import crypto

PROJECT_APPS = ("portal", "publicity", "honorroll", "intake", "search")
BATCH = 500


def encrypted_columns():
    """(model, [field names]) for every project model with encrypted columns."""
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            names = [
                field.name
                for field in model._meta.get_fields()
                if isinstance(field, models.TextField | models.CharField)
                and field.name.endswith("_encrypted")
            ]
            if names:
                yield model, names


class Command(BaseCommand):
    help = "用最新的加密密钥重新加密所有加密存储的证件号码、手机号码等（密钥轮换后运行）。"

    def handle(self, *args, **options):
        crypto.reset_caches()
        total = 0
        for model, names in encrypted_columns():
            rotated = 0
            pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), BATCH):
                with transaction.atomic():
                    rows = list(
                        model._base_manager.select_for_update()
                        .filter(pk__in=pks[start : start + BATCH])
                        .only("pk", *names)
                    )
                    for row in rows:
                        for name in names:
                            setattr(row, name, crypto.rotate(getattr(row, name)))
                    model._base_manager.bulk_update(rows, names)
                    rotated += len(rows)
            total += rotated
            self.stdout.write(f"{model._meta.verbose_name}（{', '.join(names)}）：{rotated} 行已重新加密")
        self.stdout.write(
            self.style.SUCCESS(f"完成：共 {total} 行已用最新密钥重新加密，旧密钥现在可以移除。")
        )
