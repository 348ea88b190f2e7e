"""The filter panels of the case list (/cases/) and the search page (/search/)."""


def facet_options(name, counts, labels, active, query_for):
    """[(text, count, selected, query)] of one facet from {value: count}: years newest
    first, other values most frequent first; a value without a label (a reference row
    deleted meanwhile) is left out. ``query_for(value)`` is the query string that selects
    the value on top of the other filters, or with None removes this facet's filter."""
    if name == "year":
        values = sorted(counts, reverse=True)
    else:
        values = sorted(counts, key=lambda value: (-counts[value], str(value)))
    options = []
    for value in values:
        text = f"{value}年" if name == "year" else labels.get(value)
        if text is None:
            continue
        selected = active == value
        options.append((text, counts[value], selected, query_for(None if selected else value)))
    return options
