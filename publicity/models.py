"""Typical cases (典型案例) and news (宣传报道) published by the court's propaganda staff."""

import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal import caching
from portal.blocks import BodyBlock
from portal.facets import facet_options
from portal.models import CauseOfAction, Court
from portal.validators import validate_case_number
from publicity.blocks import CASE_SECTIONS, CaseBodyBlock

CASES_PER_PAGE = 10
NEWS_PER_PAGE = 10


class PerformanceMethod(models.Model):
    """How the obligation was performed: the plan's measures (当庭履行, 担保履行 …)."""

    name = models.CharField("履行方式", max_length=30, unique=True)
    plan_reference = models.CharField(
        "实施方案依据", max_length=40, blank=True, help_text="例如：实施方案第八条"
    )
    description = models.TextField("说明", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("plan_reference"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "履行方式"
        verbose_name_plural = "履行方式"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


def paginate(request, queryset, per_page):
    """A page of results; a malformed number gives the first page, one too large the last."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(
            paginator.num_pages if str(number).lstrip("-").isdigit() and int(number) > 1 else 1
        )


class CaseFilters:
    """The /cases/ filters (案由, 履行方式, year, court) read from the query string.

    Unknown or malformed values are ignored, so a hand-edited URL still shows the list.
    Each facet's counts apply every *other* active filter, so the filters combine.
    Filters and counts work on the list's facts (TypicalCaseIndexPage.case_facts):
    (pk, cause, method, court, year) of every published case.
    """

    # name: (position in a fact, label)
    FIELDS = {
        "cause": (1, "案由"),
        "method": (2, "履行方式"),
        "court": (3, "法院"),
        "year": (4, "年份"),
    }

    def __init__(self, params):
        self.active = {}
        for name in self.FIELDS:
            value = (params.get(name) or "").strip()
            # ASCII digits only ("²".isdigit() but int("²") fails) and a year a date can
            # have (year=0 failed in the date lookup): a 500 otherwise.
            number = int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None
            if number is not None and (name != "year" or 1 <= number <= 9999):
                self.active[name] = number

    def matches(self, fact, exclude=None):
        return all(
            fact[self.FIELDS[name][0]] == value for name, value in self.active.items() if name != exclude
        )

    def matching(self, facts):
        """The pks of the facts that pass every active filter, in the facts' order."""
        return [fact[0] for fact in facts if self.matches(fact)]

    def facets(self, facts):
        """[(name, label, [(text, count, selected, query)])] for the filter panel; ``query``
        selects the option on top of the other filters, or removes it when selected."""
        labels = caching.remembered("case-filter-labels", filter_labels)
        facets = []
        for name, (position, label) in self.FIELDS.items():
            counts = Counter(fact[position] for fact in facts if self.matches(fact, exclude=name))
            options = facet_options(
                name,
                counts,
                labels.get(name, {}),
                self.active.get(name),
                lambda value, name=name: self.querystring(**{name: value}),
            )
            facets.append((name, label, options))
        return facets

    def querystring(self, **changes):
        """The query string with the active filters, some changed or removed (None)."""
        params = dict(self.active)
        params.update(changes)
        return "&".join(f"{name}={value}" for name, value in params.items() if value is not None)


def filter_labels():
    return {
        "cause": dict(CauseOfAction.objects.values_list("pk", "name")),
        "method": dict(PerformanceMethod.objects.values_list("pk", "name")),
        "court": dict(Court.objects.values_list("pk", "name")),
    }


class TypicalCaseIndexPage(RoutablePageMixin, Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["publicity.TypicalCasePage"]
    max_count = 1

    class Meta:
        verbose_name = "典型案例栏目"

    def published_cases(self):
        return caching.public_pages(
            TypicalCasePage.objects.child_of(self)
            .live()
            .select_related("court", "cause", "method")
            .order_by("-performance_date", "-pk")
        )

    def case_facts(self):
        """(pk, cause, method, court, year) of every published case, newest first: what the
        list's filters, counts and pages are computed from (kept in the data cache)."""

        def read():
            rows = self.published_cases().values_list(
                "pk", "cause_id", "method_id", "court_id", "judgment_date"
            )
            return [(pk, cause, method, court, date.year) for pk, cause, method, court, date in rows]

        return caching.remembered(f"case-facts:{self.pk}", read)

    @path("")
    def case_list(self, request):
        facts = self.case_facts()
        filters = CaseFilters(request.GET)
        cases = paginate(request, filters.matching(facts), CASES_PER_PAGE)
        # The facts hold only published cases of this list; one unpublished since they were
        # read is left out of the page.
        rows = TypicalCasePage.objects.live().filter(pk__in=cases.object_list)
        shown = {case.pk: case for case in rows.select_related("court", "cause", "method")}
        cases.object_list = [shown[pk] for pk in cases.object_list if pk in shown]
        return self.render(
            request,
            context_overrides={
                "cases": cases,
                "facets": filters.facets(facts),
                "filters": filters,
                "filter_query": filters.querystring(),
            },
        )

    def get_cached_paths(self):
        # The list and its RSS feed: what the frontend cache purges when a case changes.
        return ["/", "/feed/"]

    @path("feed/")
    def feed(self, request):
        from publicity.feeds import TypicalCaseFeed

        return TypicalCaseFeed(self)(request)


class TypicalCasePage(Page):
    case_number = models.CharField(
        "案号",
        max_length=40,
        blank=True,
        validators=[validate_case_number],
        help_text="例如（2025）黑09民初123号；保存时自动规范。",
    )
    show_case_number = models.BooleanField("公开案号", default=False, help_text="勾选后在公开页面显示案号。")
    court = models.ForeignKey(Court, verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    cause = models.ForeignKey(CauseOfAction, verbose_name="案由", on_delete=models.PROTECT, related_name="+")
    method = models.ForeignKey(
        PerformanceMethod, verbose_name="履行方式", on_delete=models.PROTECT, related_name="cases"
    )
    judgment_date = models.DateField("裁判日期", db_index=True)
    performance_date = models.DateField("履行日期", db_index=True)
    amount = models.DecimalField("标的额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    keywords = models.CharField(
        "关键词", max_length=200, blank=True, help_text="多个关键词用顿号或逗号分隔。"
    )
    body = StreamField(
        CaseBodyBlock(),
        verbose_name="正文",
        default=[("section", {"heading": name, "text": ""}) for name in CASE_SECTIONS],
    )

    search_fields = Page.search_fields + [
        index.SearchField("keywords"),
        index.SearchField("body"),
        index.FilterField("court_id"),
        index.FilterField("cause_id"),
        index.FilterField("method_id"),
        index.FilterField("judgment_date"),
    ]
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("case_number"), FieldPanel("show_case_number")]),
                FieldRowPanel([FieldPanel("court"), FieldPanel("cause"), FieldPanel("method")]),
                FieldRowPanel(
                    [FieldPanel("judgment_date"), FieldPanel("performance_date"), FieldPanel("amount")]
                ),
                FieldPanel("keywords"),
            ],
            heading="案件信息",
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["publicity.TypicalCaseIndexPage"]
    subpage_types = []
    # Loaded with the page when its route is kept in the data cache (portal/caching.py);
    # a change to one of these tables forgets it.
    cached_relations = ("court", "cause", "method")

    class Meta:
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        indexes = [models.Index(fields=["performance_date", "page_ptr"], name="case_newest_idx")]

    def clean(self):
        super().clean()
        if self.case_number:
            self.case_number = validate_case_number(self.case_number)
        if self.judgment_date and self.performance_date and self.performance_date < self.judgment_date:
            raise ValidationError({"performance_date": "履行日期不能早于裁判日期。"})

    def section_text(self, heading):
        # One line per paragraph, so that an exported section re-imports with its paragraphs.
        html = "".join(
            str(block.value["text"])
            for block in self.body
            if block.block_type == "section" and block.value["heading"] == heading
        )
        lines = (strip_tags(line).strip() for line in re.split(r"</p>|<br\s*/?>", html))
        return "\n".join(line for line in lines if line)

    @cached_property
    def summary(self):
        """Two lines for the list: the start of 基本案情, or of the whole text."""
        text = self.section_text("基本案情") or " ".join(
            strip_tags(str(block.value)) for block in self.body if block.block_type == "paragraph"
        )
        text = re.sub(r"\s+", " ", text).strip()
        return text[:110] + ("…" if len(text) > 110 else "")

    @property
    def keyword_list(self):
        return [word for word in re.split(r"[、，,；;\s]+", self.keywords) if word]

    def cached_dependents(self):
        """The cases whose "related cases" may show this one (portal/caching.py purges them)."""
        return (
            caching.public_pages(TypicalCasePage.objects.live())
            .filter(cause_id=self.cause_id)
            .exclude(pk=self.pk)
        )

    def related_cases(self, limit=4):
        return (
            caching.public_pages(TypicalCasePage.objects.live())
            .filter(cause_id=self.cause_id)
            .exclude(pk=self.pk)
            .select_related("court", "method")
            .order_by("-performance_date", "-pk")[:limit]
        )


class NewsIndexPage(RoutablePageMixin, Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["publicity.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = "新闻栏目"

    def published_articles(self):
        return caching.public_pages(ArticlePage.objects.child_of(self).live()).order_by("-date", "-pk")

    @path("")
    def article_list(self, request):
        return self.render(
            request,
            context_overrides={"articles": paginate(request, self.published_articles(), NEWS_PER_PAGE)},
        )

    def get_cached_paths(self):
        return ["/", "/feed/"]

    @path("feed/")
    def feed(self, request):
        from publicity.feeds import ArticleFeed

        return ArticleFeed(self)(request)


class ArticlePage(Page):
    date = models.DateField("日期")
    source = models.CharField("来源", max_length=60, default="七台河市中级人民法院")
    lead = models.TextField("导语", max_length=300)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图片",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name="正文", blank=True)

    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]
    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("source")]),
        FieldPanel("lead"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["publicity.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "新闻"
        verbose_name_plural = "新闻"
