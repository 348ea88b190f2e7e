"""Raw request bodies the Django test client would not build: duplicated keys, file names
it would sanitise, bytes that are not UTF-8, the wrong content type."""

from hypothesis import strategies as st

BOUNDARY = "FuzzBoundary0q7J2xLkTrZu0gW"


def _bytes(value):
    if isinstance(value, bytes):
        return value
    # surrogatepass: a lone surrogate goes out as the (invalid UTF-8) bytes a broken client sends.
    return str(value).encode("utf-8", "surrogatepass")


def multipart(fields, files=()):
    """fields: [(name, value)], files: [(field, filename, content)] -> (body, content_type)."""
    parts = []
    for name, value in fields:
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
            % (BOUNDARY.encode(), _bytes(name), _bytes(value))
        )
    for name, filename, content in files:
        parts.append(
            b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n%s\r\n"
            % (BOUNDARY.encode(), _bytes(name), _bytes(filename), content)
        )
    parts.append(b"--%s--\r\n" % BOUNDARY.encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


def urlencoded(fields):
    from urllib.parse import quote_from_bytes

    body = "&".join(
        f"{quote_from_bytes(_bytes(name))}={quote_from_bytes(_bytes(value))}" for name, value in fields
    )
    return body.encode(), "application/x-www-form-urlencoded"


ENCODINGS = st.sampled_from(["multipart"] * 8 + ["urlencoded", "json", "broken-multipart", "text"])


def encode(kind, fields, files=()):
    """The body and content type for one of ENCODINGS."""
    if kind == "multipart":
        return multipart(fields, files)
    if kind == "urlencoded":
        return urlencoded(fields)
    if kind == "json":
        import json

        return json.dumps({str(k): str(v) for k, v in fields}, ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        ), "application/json"
    if kind == "broken-multipart":
        body, _ = multipart(fields, files)
        return body[: len(body) // 2], "multipart/form-data; boundary=" + BOUNDARY
    return b"\xff\xfe" + urlencoded(fields)[0], "text/plain"


def post(client, url, kind, fields, files=(), **extra):
    body, content_type = encode(kind, fields, files)
    return client.generic("POST", url, body, content_type=content_type, **extra)
