"""Build the subset font the PDF documents use first (see portal/documents.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.documents import SOURCE_FONT, build_subset_font


class Command(BaseCommand):
    help = "生成文书 PDF 使用的宋体子集字体（GB 2312 字符集），加快 PDF 生成。"

    def handle(self, *args, **options):
        if not SOURCE_FONT.is_file():
            raise CommandError(f"找不到字体文件 {SOURCE_FONT}，请安装 fonts-noto-cjk。")
        build_subset_font(settings.DOCUMENT_FONT)
        self.stdout.write(f"已生成 {settings.DOCUMENT_FONT}")
