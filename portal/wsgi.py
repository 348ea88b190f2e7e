import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

# gunicorn preloads this before forking its workers; its when_ready hook
# (deploy/gunicorn.conf.py) then loads the search dictionary and freezes the heap.
application = get_wsgi_application()
