"""The HTTP side of the agencies' JSON feed (honorroll/api.py): the key in a request header,
the use log, JSON errors in Chinese, paging, ETags and 304s. Every answer depends on the
caller's key: `Cache-Control: private, no-cache` and `Vary` on the key headers."""

import functools
import hashlib
import math
import re
from urllib.parse import urlencode

from django.http import HttpResponseNotModified, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.views.decorators.csrf import csrf_exempt

from honorroll.models import AgencyApiKey, ApiKeyUse

# Part of every ETag: bump it when the shape of a response changes.
FORMAT_VERSION = "1"
# Query parameters that look like a credential: refused, and never written to the use log.
SECRET_PARAMS = frozenset(["key", "api_key", "apikey", "access_token", "token"])
NUMBER = re.compile(r"^[0-9]{1,9}$")
BATCH_ID = re.compile(r"^[0-9]{1,18}$")


def json_response(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def error_response(message, status=400):
    return json_response({"error": message}, status=status)


def _unauthorized(message):
    response = error_response(message, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="honor-roll"'
    return response


def _finish(response):
    """Headers every answer of this API carries: it depends on the caller's key."""
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Authorization", "X-Api-Key"])
    return response


def _logged_path(request):
    """The request path for the use log, with any credential-like parameter left out."""
    query = [
        (name, value)
        for name, values in request.GET.lists()
        if name.lower() not in SECRET_PARAMS
        for value in values
    ]
    path = request.path + (f"?{urlencode(query)}" if query else "")
    return path[:300]


def _presented_key(request):
    header = request.headers.get("Authorization", "").strip()
    if header:
        scheme, _, credentials = header.partition(" ")
        return credentials.strip() if scheme.lower() == "bearer" else ""
    return request.headers.get("X-Api-Key", "").strip()


def api_view(view):
    """GET only; a header key is required and every authenticated request is logged."""

    @csrf_exempt  # the key travels in a header, never a cookie; a POST gets the JSON 405, not a CSRF 403
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            response = error_response("本接口只支持 GET 请求。", status=405)
            response["Allow"] = "GET"
            return _finish(response)
        presented = _presented_key(request)
        key = AgencyApiKey.authenticate(presented)
        if any(name.lower() in SECRET_PARAMS for name in request.GET):
            response = error_response(
                "请勿在网址中传递接口密钥（网址会被记录在访问日志中），请改用请求头"
                "“Authorization: Bearer <密钥>”。已在网址中使用过的密钥请联系法院吊销并重新签发。"
            )
        elif key is None:
            response = _unauthorized(
                "接口密钥无效、已吊销或接收单位已停用。"
                if presented
                else "缺少接口密钥，请在请求头“Authorization: Bearer <密钥>”中提供。"
            )
        else:
            request.api_key = key
            try:
                response = view(request, *args, **kwargs)
            except Exception:
                ApiKeyUse.objects.create(key=key, path=_logged_path(request), status=500)
                raise
        if key is not None:
            ApiKeyUse.objects.create(
                key=key,
                path=_logged_path(request),
                status=response.status_code,
                identities_disclosed=getattr(request, "identities_disclosed", 0),
            )
        return _finish(response)

    return wrapper


class BadParameter(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def _positive(request, name, default, maximum=None):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    value = int(raw) if NUMBER.match(raw) else 0
    if value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            raise BadParameter(f"参数 {name} 应为正整数。")
        raise BadParameter(f"参数 {name} 应为 1 至 {maximum} 之间的整数。")
    return value


class Page:
    def __init__(self, request, count, default_size, **keep):
        self.size = _positive(request, "page_size", default_size, maximum=default_size)
        self.number = _positive(request, "page", 1)
        self.count = count
        self.pages = max(1, math.ceil(count / self.size))
        if self.number > self.pages:
            raise BadParameter(f"页码超出范围：共 {self.pages} 页。", status=404)
        self.offset = (self.number - 1) * self.size
        self._request = request
        self._keep = keep

    def url(self, number):
        if number < 1 or number > self.pages:
            return None
        query = urlencode({**self._keep, "page": number, "page_size": self.size})
        return self._request.build_absolute_uri(f"{self._request.path}?{query}")

    def meta(self):
        return {
            "count": self.count,
            "page": self.number,
            "page_size": self.size,
            "pages": self.pages,
            "next": self.url(self.number + 1),
            "previous": self.url(self.number - 1),
        }


def etag_for(request, *parts):
    # Scheme and host too: the body holds absolute URLs (entries_url, next, previous).
    origin = request.build_absolute_uri("/")
    digest = hashlib.sha256("|".join(str(p) for p in (FORMAT_VERSION, origin, *parts)).encode()).hexdigest()
    return f'"{digest[:40]}"'


def not_modified(request, etag):
    """A 304 if If-None-Match names `etag` (weak comparison, as RFC 9110 asks for GET)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return None
    tags = parse_etags(header)
    if "*" in tags or etag in {t.removeprefix("W/") for t in tags}:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    return None
