import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

# The search dictionary (~0.5 s) is loaded as the process starts, not by the first visitor
# who searches.
from search import segment  # noqa: E402 - needs the settings and the app registry

segment.load()

# Everything loaded so far lives as long as the process: the garbage collector need not
# scan it on every collection (shorter pauses under load).
gc.freeze()
