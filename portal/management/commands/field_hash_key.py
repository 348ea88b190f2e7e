"""Print a value for FIELD_HASH_KEY: a new random one, or (--legacy) the key a deployment set
up before FIELD_HASH_KEY existed has hashed with (derived from its newest encryption key at
the time), so that its stored access codes and ID numbers keep matching."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import crypto


class Command(BaseCommand):
    help = "生成查询散列密钥 FIELD_HASH_KEY（--legacy：已有部署沿用原有散列值时使用）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--legacy",
            action="store_true",
            help="输出由当前最新加密密钥（FIELD_ENCRYPTION_KEYS 第一个）推导出的原散列密钥；须在轮换加密密钥之前取得。",
        )

    def handle(self, *args, legacy=False, **options):
        if not legacy:
            self.stdout.write(crypto.new_hash_key())
            return
        keys = [key for key in settings.FIELD_ENCRYPTION_KEYS if key.strip()]
        if not keys:
            raise CommandError("未设置 FIELD_ENCRYPTION_KEYS，无法推导原散列密钥。")
        self.stdout.write(crypto.legacy_hash_key(keys[0]))
