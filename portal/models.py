"""The portal's pages, site settings and the reference data every app shares."""

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal import caching
from portal.blocks import BodyBlock, EntryPointBlock
from portal.notice_text import NOTICE_SECTIONS, NOTICE_TITLE

# ---------------------------------------------------------------------------
# Reference data (loaded by data migrations, editable in the admin).
# ---------------------------------------------------------------------------


class PartyKind(models.TextChoices):
    """A party to a case: a natural person (whose name is masked in public) or an
    organisation (published by full name and credit code)."""

    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class Court(models.Model):
    """A court the system serves; its code is the court part of a case number (domain §1)."""

    class Level(models.TextChoices):
        INTERMEDIATE = "intermediate", "中级人民法院"
        BASIC = "basic", "基层人民法院"

    name = models.CharField("法院名称", max_length=60, unique=True)
    code = models.CharField(
        "案号代字",
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵](\d{2}|\d{4})$",
                "案号代字应为省份简称加 2 位或 4 位数字，例如 黑09、黑0902。",
            )
        ],
        help_text="案号中的法院代字，例如 黑09（中级法院）、黑0902（基层法院）。",
    )
    level = models.CharField("审级", max_length=20, choices=Level.choices)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("level"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = "法院"
        verbose_name_plural = "法院"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class CauseOfAction(models.Model):
    """A cause of action (案由) under the SPC's 民事案件案由规定."""

    name = models.CharField(
        "案由",
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"(纠纷|争议)$", "案由名称一般以“纠纷”或“争议”结尾，例如 民间借贷纠纷。")],
    )
    category = models.CharField(
        "类别",
        max_length=40,
        blank=True,
        help_text="所属大类，例如 合同纠纷、婚姻家庭纠纷、劳动争议。",
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("category"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = "案由"
        verbose_name_plural = "案由"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------
# Site settings
# ---------------------------------------------------------------------------


@register_setting(icon="site")
class CourtSiteSettings(BaseSiteSetting):
    """What a Chinese court site shows in its header and footer."""

    court_name = models.CharField("法院名称", max_length=60, default="七台河市中级人民法院")
    site_title = models.CharField("网站名称", max_length=60, default="自动履行激励平台")
    address = models.CharField("地址", max_length=120, blank=True)
    postcode = models.CharField(
        "邮政编码",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "邮政编码应为 6 位数字。")],
    )
    hotline = models.CharField("诉讼服务热线", max_length=20, default="12368")
    office_hours = models.CharField("办公时间", max_length=80, blank=True)
    organiser = models.CharField("主办单位", max_length=60, default="七台河市中级人民法院")
    contact_email = models.EmailField("联系邮箱", blank=True)
    icp_number = models.CharField(
        "ICP备案号", max_length=40, blank=True, help_text="例如 黑ICP备XXXXXXXX号；未取得前请留空。"
    )
    public_security_number = models.CharField("公安机关备案号", max_length=40, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("court_name"), FieldPanel("site_title"), FieldPanel("organiser")],
            heading="网站",
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("hotline"),
                FieldPanel("office_hours"),
                FieldPanel("contact_email"),
            ],
            heading="联系方式",
        ),
        MultiFieldPanel(
            [FieldPanel("icp_number"), FieldPanel("public_security_number")],
            heading="备案信息",
        ),
    ]

    class Meta:
        verbose_name = "网站设置"


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


class HomePage(Page):
    hero_title = models.CharField("主标题", max_length=60, default="诚信履行光荣 抗拒执行可耻")
    hero_intro = models.TextField(
        "导语",
        blank=True,
        help_text="一两句话说明自动履行激励机制。",
    )
    entry_points = StreamField(
        [("entry", EntryPointBlock())],
        verbose_name="服务入口",
        blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_intro"),
        FieldPanel("entry_points"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "首页"

    def latest_news(self, limit=5):
        """Live pages under the child page whose slug is "news", newest first."""
        news_index = self.get_children().live().filter(slug="news").first()
        if news_index is None:
            return Page.objects.none()
        return caching.public_pages(news_index.get_children().live()).order_by("-first_published_at")[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        return context


class StandardPage(Page):
    intro = models.TextField("导语", blank=True)
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = "普通页面"


class NoticePage(Page):
    """/notice/: Annex 2 of the plan (自动履行告知书), word for word from ``notice_text``."""

    intro = models.TextField(
        "导语",
        blank=True,
        help_text="显示在告知书正文之前的说明；告知书正文为实施方案附件2原文，不可在此修改。",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    max_count = 1
    parent_page_types = ["portal.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "自动履行告知书页面"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["notice_title"] = NOTICE_TITLE
        context["notice_sections"] = NOTICE_SECTIONS
        return context
