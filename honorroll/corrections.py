"""Corrections of a published batch (the objection route): register an objection, decide it
(remove the entry, correct one of its fields, or dismiss), and publish the result as a new
version of the batch. With `publishing.py`, the only code that writes published entries.

A withdrawn or corrected entry is never deleted or edited in place: it is marked withdrawn in
the new version (`removed_in`), and a correction adds the corrected copy (`replaces` the old
one), so every version stays readable and recipient agencies can follow the changes.
"""

import datetime
import os
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from honorroll.masking import mask_person_name
from honorroll.models import BatchVersion, ListBatch, ListEntry, ListSettings, Objection, PartyKind
from honorroll.publishing import ListError, forget_public_pages
from portal.identifiers import IdentifierError, normalise_case_number, validate_credit_code

LIST_STAFF_GROUP = "名单管理"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# The outcomes staff choose from, and what each says will happen.
REMOVE, CORRECT, DISMISS = "remove", "correct", "dismiss"
OUTCOMES = {
    REMOVE: "异议成立，移除条目并发布新版次",
    CORRECT: "异议成立，更正条目并发布新版次",
    DISMISS: "异议不成立",
}


def record_objection(
    entry,
    *,
    requested_by,
    reason,
    actor,
    contact="",
    received_on=None,
    attachment=None,
    origin=Objection.Origin.REQUEST,
):
    """Register an objection to an entry of a published batch; it waits for a decision."""
    if not requested_by.strip() or not reason.strip():
        raise ListError("请填写异议人和异议理由。")
    if not entry.batch.is_published:
        raise ListError("草稿批次可直接修改，无需异议程序。")
    if entry.removed_in is not None:
        raise ListError("该条目已经移除（撤下），不能再登记异议。")
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ListError("收到日期不能晚于今天。")
    if attachment is not None and attachment.size > MAX_ATTACHMENT_BYTES:
        raise ListError("附件不能超过 10MB。")
    objection = Objection(
        entry=entry,
        origin=origin,
        requested_by=requested_by.strip()[:100],
        contact=contact.strip()[:200],
        reason=reason.strip(),
        received_on=received_on,
        recorded_by=actor,
    )
    if attachment is not None:
        objection.attachment_name = os.path.basename(attachment.name)[:255]
        objection.attachment.save(
            f"objection{os.path.splitext(attachment.name)[1][:10]}", attachment, save=False
        )
    objection.save()
    return objection


def open_revocation_correction(entry, *, reason):
    """A revoked certificate behind a published entry: the system registers the correction
    (once) for 名单管理 to decide."""
    if entry.removed_in is not None or not entry.batch.is_published:
        return None
    pending = entry.objections.filter(
        origin=Objection.Origin.REVOCATION, decision=Objection.Decision.PENDING
    ).first()
    if pending is not None:
        return pending
    return Objection.objects.create(
        entry=entry,
        origin=Objection.Origin.REVOCATION,
        requested_by="系统（自动履行证明书已撤销）",
        reason=f"该条目所依据的自动履行证明书已撤销：{reason}",
        recorded_by=None,
    )


def second_person_required(objection, actor):
    """Whether `actor` may not decide because they registered it and another member of
    名单管理 can (the court's setting, on by default)."""
    if objection.recorded_by_id is None or objection.recorded_by_id != actor.pk:
        return False
    if not ListSettings.current().objection_second_person:
        return False
    others = (
        get_user_model().objects.filter(groups__name=LIST_STAFF_GROUP, is_active=True).exclude(pk=actor.pk)
    )
    return others.exists()


def decide_objection(objection, *, note, actor, outcome=None, upheld=None, field="", value=""):
    """Decide an objection: REMOVE or CORRECT publishes a new version of the batch; DISMISS
    is recorded. Either way the record stays. (`upheld` is the two-outcome form.)"""
    if outcome is None:
        outcome = REMOVE if upheld else DISMISS
    if outcome not in OUTCOMES:
        raise ListError("请选择处理结果。")
    if not note.strip():
        raise ListError("请填写处理意见。")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("entry__batch").get(pk=objection.pk)
        if objection.decision != Objection.Decision.PENDING:
            raise ListError("该异议已处理。")
        if second_person_required(objection, actor):
            raise ListError("异议须由登记人以外的名单管理人员处理（见“诚信履行名单设置”）。")
        entry = objection.entry
        if outcome != DISMISS and entry.removed_in is not None:
            raise ListError("该条目已在此前的版次中撤下，只能作出异议不成立或无需处理的决定。")
        if outcome == CORRECT:
            field, corrected = corrected_value(entry, field, value)
            objection.corrected_field, objection.corrected_value = field, str(corrected)
        objection.decision = {
            REMOVE: Objection.Decision.UPHELD,
            CORRECT: Objection.Decision.CORRECTED,
            DISMISS: Objection.Decision.DISMISSED,
        }[outcome]
        objection.decision_note = note.strip()
        objection.decided_by = actor
        objection.decided_at = timezone.now()
        objection.save()
        if outcome == REMOVE:
            _new_version(entry.batch, actor, f"异议成立，撤下条目 #{entry.pk}", withdraw=[entry])
        elif outcome == CORRECT:
            label = Objection.CORRECTABLE_FIELDS[field]
            _new_version(
                entry.batch,
                actor,
                f"异议成立，更正条目 #{entry.pk} 的{label}",
                withdraw=[entry],
                correct=(field, corrected),
            )
    return objection


def corrected_value(entry, field, value):
    """The corrected value of `field`, checked like the import checks it, or ListError."""
    value = (value or "").strip()
    if field not in Objection.CORRECTABLE_FIELDS:
        raise ListError("请选择要更正的事项。")
    if not value:
        raise ListError(f"请填写更正后的{Objection.CORRECTABLE_FIELDS[field]}。")
    try:
        if field == "party_name":
            if len(value) > 100:
                raise ListError("当事人名称最多 100 个字。")
            _check_not_double(entry, value, entry.case_number)
            return field, value
        if field == "credit_code":
            if entry.party_kind != PartyKind.ORGANISATION:
                raise ListError("自然人没有统一社会信用代码，不能更正该项。")
            return field, validate_credit_code(value)
        if field == "case_number":
            case_number = normalise_case_number(value)
            _check_not_double(entry, entry.party_name, case_number)
            return field, case_number
        if field == "amount":
            amount = Decimal(value.replace(",", "").replace("，", ""))
            if (
                not amount.is_finite()
                or amount < 0
                or amount >= Decimal("1e14")
                or amount != amount.quantize(Decimal("0.01"))
            ):
                raise ListError("履行金额应为不小于 0 的金额，最多保留两位小数。")
            return field, amount
        performed_on = datetime.date.fromisoformat(value)
        if performed_on > timezone.localdate():
            raise ListError("履行完毕日期不能晚于今天。")
        return field, performed_on
    except IdentifierError as error:
        raise ListError(error.message) from None
    except (InvalidOperation, ValueError):
        example = "2025-06-18" if field == "performed_on" else "12345.67"
        raise ListError(f"{Objection.CORRECTABLE_FIELDS[field]}格式不正确，例如 {example}。") from None


def _check_not_double(entry, party_name, case_number):
    """A correction must not make the entry another live entry's double."""
    double = (
        ListEntry.objects.filter(
            batch_id=entry.batch_id, party_name=party_name, case_number=case_number, removed_in__isnull=True
        )
        .exclude(pk=entry.pk)
        .exists()
    )
    if double:
        raise ListError("更正后与本批次另一条目的当事人和案号相同，请核对；重复的条目请以“移除”处理。")


def _new_version(batch, actor, note, *, withdraw, correct=None):
    """Publish the next version: `withdraw` entries are taken down in it and, for a
    correction, the corrected copy of the (single) withdrawn entry is added."""
    batch = ListBatch.objects.select_for_update().get(pk=batch.pk)
    version = batch.revision + 1
    now = timezone.now()
    added = []
    for entry in withdraw:
        entry.removed_in, entry.removed_at = version, now
        entry._frozen_write_allowed = True
        entry.save(update_fields=["removed_in", "removed_at"])
    if correct is not None:
        added.append(_corrected_copy(batch, withdraw[0], version, *correct))
    batch.revision = version
    batch.published_at = now
    batch.save(update_fields=["revision", "published_at"])
    BatchVersion.objects.create(
        batch=batch,
        number=version,
        published_at=now,
        published_by=actor,
        note=note[:300],
        entry_count=ListEntry.objects.filter(batch=batch, removed_in__isnull=True).count(),
        added_count=len(added),
        withdrawn_count=len(withdraw),
    )
    forget_public_pages(batch)
    return version


def _corrected_copy(batch, old, version, field, value):
    """The corrected copy of `old`, added in `version`. The nomination (if any) and the
    objections still pending move to it, so a later revocation or decision finds the live
    entry. A corrected name may be another person: the copy keeps no identity for the
    agencies (its consent to them was the old name's)."""
    nomination_id = old.nomination_id
    if nomination_id is not None:
        old.nomination = None
        old.save(update_fields=["nomination"])
    copy = ListEntry.objects.get(pk=old.pk)
    copy.pk = copy.id = None
    setattr(copy, field, value)
    copy.added_in, copy.removed_in, copy.removed_at = version, None, None
    copy.replaces, copy.nomination_id = old, nomination_id
    if field == "party_name":
        copy.identity_encrypted, copy.identity_hash, copy.identity_consented_at = "", "", None
        copy.public_name = _next_public_name(batch, copy, old)
    copy._frozen_write_allowed = True
    copy.save()
    Objection.objects.filter(entry=old, decision=Objection.Decision.PENDING).update(entry=copy)
    return copy


def _next_public_name(batch, copy, old):
    """The public name of a corrected name. Published names stay frozen, so a person masked
    like others gets the next number never given in this batch (张某3 after 张某1, 张某2);
    a mask nobody else shows stays bare; an organisation keeps its full name."""
    if copy.party_kind != PartyKind.PERSON:
        return copy.party_name
    mask = mask_person_name(copy.party_name)
    if mask_person_name(old.party_name) == mask:
        return old.public_name  # the same person's name spelt right: the same public name
    shown = (
        ListEntry.objects.filter(batch=batch, public_name__startswith=mask)
        .exclude(pk=old.pk)
        .values_list("public_name", "removed_in")
    )
    numbers, live = [], False
    for name, removed_in in shown:
        suffix = name[len(mask) :]
        if suffix == "" or suffix.isdigit():
            numbers.append(int(suffix or 1))
            live = live or removed_in is None
    if not live:
        return mask
    return f"{mask}{max(numbers) + 1}"
