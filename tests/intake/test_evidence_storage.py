"""Evidence files and their rows: stored together or not at all (intake/storage.py).

A server killed between writing a file and committing its row leaves the file marked
`.pending`; `manage.py clean_pending_uploads` deletes it, or, when the row was committed
just before the kill, only removes the marker. (tests/portal/test_crash_safety.py kills a
real server; these tests set up the same leftovers directly.)
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils.datastructures import MultiValueDict

from intake import storage
from intake.forms import CertificateApplicationForm
from intake.models import Application, EvidenceFile
from intake.services import submit_application
from tests.intake.test_apply import PDF, form_data, receipt

pytestmark = pytest.mark.django_db


def files_on_disk():
    root = settings.PRIVATE_MEDIA_ROOT
    return (
        sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )


def upload(name="回单.pdf", content=PDF):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    file.sniffed_type = "application/pdf"
    return file


class BrokenUpload(SimpleUploadedFile):
    """An upload whose content cannot be read to the end (a client gone mid-stream)."""

    sniffed_type = "application/pdf"

    def chunks(self, chunk_size=None):
        yield PDF
        raise OSError("connection reset while reading the upload")


def cleaned(evidence=None):
    """A valid form's cleaned data, with `evidence` as the uploads."""
    form = CertificateApplicationForm(form_data(evidence=None), MultiValueDict({"evidence": [receipt()]}))
    assert form.is_valid(), form.errors
    return {**form.cleaned_data, "evidence": evidence or [upload()]}


def clean_pending(older_than="0"):
    out = io.StringIO()
    call_command("clean_pending_uploads", "--older-than", older_than, stdout=out)
    return out.getvalue()


def test_a_committed_application_keeps_its_files_and_no_marker(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application, _ = submit_application(cleaned(evidence=[upload("a.pdf"), upload("a.pdf", PDF + b"2")]))
    names = sorted(application.evidence.values_list("file", flat=True))
    assert len(set(names)) == 2  # the same upload name twice: two files
    assert files_on_disk() == names
    for evidence in application.evidence.all():
        with evidence.file.open("rb") as stream:
            assert stream.read() in (PDF, PDF + b"2")


def test_a_submission_that_fails_midway_leaves_no_file(django_capture_on_commit_callbacks):
    broken = BrokenUpload("b.pdf", PDF + b"x" * 100)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):
        submit_application(cleaned(evidence=[upload("a.pdf"), broken]))
    assert not Application.objects.exists() and not EvidenceFile.objects.exists()
    assert files_on_disk() == []


def test_the_file_of_a_submission_never_committed_is_marked_pending_then_cleaned():
    field = EvidenceFile._meta.get_field("file")
    name, _ = storage.stage(field, upload())  # the server was killed before the commit
    assert files_on_disk() == [name, name + ".pending"]
    assert "已删除 0" in clean_pending(older_than="60")  # maybe a request still in progress
    assert files_on_disk() == [name, name + ".pending"]
    assert "已删除 1" in clean_pending()
    assert files_on_disk() == []


def test_a_committed_file_whose_marker_survived_a_kill_is_kept():
    # No on-commit callbacks run here: as if the server died right after the commit.
    application, _ = submit_application(cleaned())
    [name] = application.evidence.values_list("file", flat=True)
    assert files_on_disk() == [name, name + ".pending"]
    assert "已确认 1" in clean_pending()
    assert files_on_disk() == [name]
    with application.evidence.get().file.open("rb") as stream:
        assert stream.read() == PDF
