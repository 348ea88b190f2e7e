"""The public search page /search/."""

from urllib.parse import urlencode

from django.shortcuts import render

from portal.facets import facet_options
from search import backends, embedded

FACET_LABELS = {"type": "类型", "cause": "案由", "method": "履行方式", "court": "法院", "year": "年份"}


def _querystring(query, filters, **changes):
    params = {"q": query} if query else {}
    merged = dict(filters)
    merged.update(changes)
    params.update({name: value for name, value in merged.items() if value is not None})
    return urlencode(params)


def _facets(results, labels):
    """[(name, label, [(text, count, selected, querystring)])]: each option toggles its filter
    on top of the others; counts already combine with the other active filters."""
    facets = []
    for name in embedded.FACETS:
        options = facet_options(
            name,
            results.facets.get(name, {}),
            labels.get(name, {}),
            results.filters.get(name),
            lambda value, name=name: _querystring(results.query, results.filters, **{name: value}),
        )
        if options:
            facets.append((name, FACET_LABELS[name], options))
    return facets


def search_page(request):
    query = request.GET.get("q", "")
    results = backends.search(query, request.GET, request.GET.get("page"), request=request)
    labels = results.labels
    active = []
    for name, value in results.filters.items():
        text = f"{value}年" if name == "year" else labels[name].get(value, str(value))
        active.append(
            (FACET_LABELS[name], text, _querystring(results.query, results.filters, **{name: None}))
        )
    return render(
        request,
        "search/search.html",
        {
            "results": results,
            "facets": _facets(results, labels),
            "active_filters": active,
            "page_query": _querystring(results.query, results.filters),
            "max_length": embedded.MAX_QUERY_LENGTH,
        },
    )
