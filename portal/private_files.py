"""Storage for private files (applicants' evidence, objection attachments): under
PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no public URL; only staff-only views that
check permissions serve them. Files 0600, folders 0700."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Read PRIVATE_MEDIA_ROOT when used, not at import (tests and deployments set it)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    # Readable by the application's account only (not 0644 like public media): evidence
    # holds ID cards and bank records.
    @property
    def file_permissions_mode(self):
        return 0o600

    @property
    def directory_permissions_mode(self):
        return 0o700

    def url(self, name):
        raise ValueError("Private files have no public URL.")

    def deconstruct(self):
        return ("portal.private_files.PrivateStorage", (), {})
