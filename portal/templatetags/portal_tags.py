from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from portal import caching

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """[(text, url)] of the page's ancestors below the root, the home page as 首页 (kept
    in the data cache until the content changes)."""
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)

    def read():
        return [
            ("首页" if ancestor.depth == 2 else ancestor.title, ancestor.get_url(request))
            for ancestor in page.get_ancestors().filter(depth__gt=1)
        ]

    return caching.remembered(f"breadcrumbs:{site.pk if site else ''}:{page.pk}", read)


@register.simple_tag
def facet_sections(facets, empty=""):
    """The filter panel of the case list and the search page: a section per facet, an
    option per value (text, count, selected, query string selecting or removing it).

    Built here rather than in a template loop: both pages render dozens of options on
    every request, and a template spends several microseconds per node."""

    def options_html(options):
        if not options and empty:
            return format_html('<li class="empty">{}</li>', empty)
        return format_html_join(
            "\n",
            '<li><a class="facet__option{}" href="?{}"{}>{}<span class="count">（{}）</span>{}</a></li>',
            (
                (
                    " is-selected" if selected else "",
                    query,
                    SELECTED_ATTRIBUTE if selected else "",
                    text,
                    count,
                    SELECTED_NOTE if selected else "",
                )
                for text, count, selected, query in options
            ),
        )

    return format_html_join(
        "\n",
        '<section class="facet">\n<h3>{}</h3>\n<ul>\n{}\n</ul>\n</section>',
        ((label, options_html(options)) for _name, label, options in facets),
    )


SELECTED_ATTRIBUTE = mark_safe(' aria-current="true"')
SELECTED_NOTE = mark_safe('<span class="visually-hidden">，已选，点击取消</span>')
