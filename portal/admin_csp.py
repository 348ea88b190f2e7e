"""A Content-Security-Policy for the Wagtail admin (the public site's is in settings).

The admin's own policy differs from the public one in two places: Wagtail still writes a
few inline scripts (date and time pickers, inline panels, multiple choosers), so scripts
may be inline, though only from this origin otherwise; and the page editor frames its own
preview, so frame-ancestors is 'self' (the public site: 'none'). Everything else is as
strict: nothing is loaded from, sent to or framed by another origin (no gravatar, no CDN).

A page preview inside the editor gets this policy too (it is an admin response), not the
public page's. Set with django-csp's documented `csp` decorator on each admin response, in a middleware
listed after csp.middleware.CSPMiddleware (so it runs first on the way out).
"""

from csp.decorators import csp

ADMIN_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
    "worker-src": ["'self'", "blob:"],
}

_with_admin_policy = csp(ADMIN_DIRECTIVES)(lambda request, response: response)


class AdminContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/admin/"  # portal/urls.py

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(self.prefix):
            # A page preview is rendered by Wagtail through the whole middleware stack as a
            # request for the page's public URL, so it comes back carrying the public
            # policy (frame-ancestors 'none': a blank preview panel). The admin's replaces it.
            if "Content-Security-Policy" in response:
                del response["Content-Security-Policy"]
            response = _with_admin_policy(request, response)
        return response
