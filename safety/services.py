"""Changes to the students' safety: their emergency contact, each placement's accident insurance,
the province's rule on the 行前安全教育, and the county's audited look at a contact."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import User
from accounts.validators import normalize_phone
from safety.models import EmergencyContact, Insurance, SafetyRule
from safety.selectors import PLACED
from schedule.models import ProgrammeYear
from students.models import Placement, Student

NAME_MAX = 30


def _upsert(model, lookup: dict, values: dict):
    """Create or update the one row the lookup names. Two saves at once both try to create it;
    the unique constraint refuses the second, which then updates the row the first made."""
    try:
        with transaction.atomic():
            row, created = model.objects.update_or_create(**lookup, defaults=values)
    except IntegrityError:
        row, created = model.objects.update_or_create(**lookup, defaults=values)
    return row, created


@transaction.atomic
def emergency_contact_save(
    *, student: Student, name: str, relation: str, phone: str, actor: User | None
) -> EmergencyContact:
    """The student's 紧急联系人 (the only one: saved again, it replaces the old one)."""
    name = " ".join(str(name).split())
    errors = {}
    if not name:
        errors["name"] = _("请填写紧急联系人姓名。")
    elif len(name) > NAME_MAX:
        errors["name"] = _("紧急联系人姓名不能超过 30 个字。")
    if relation not in EmergencyContact.Relation.values:
        errors["relation"] = _("请选择紧急联系人与本人的关系。")
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages[0]
    else:
        if phone == student.phone:
            errors["phone"] = _("紧急联系人电话不能是你本人的手机号。")
    if errors:
        raise ValidationError(errors)
    contact, created = _upsert(
        EmergencyContact,
        {"student": student},
        {"name": name, "relation": relation, "phone": phone},
    )
    # The details are the contact's own personal data: the record says only that it changed.
    audit_record(
        Action.EMERGENCY_CONTACT_SAVE,
        actor=actor,
        target=student,
        region=student.hometown,
        data={"created": created},
    )
    return contact


def _check_period(placement: Placement, starts_on, ends_on) -> None:
    if starts_on is None or ends_on is None:
        raise ValidationError({"starts_on": _("请填写保险起止日期。")})
    if starts_on > ends_on:
        raise ValidationError({"ends_on": _("保险止期不能早于起期。")})
    post = placement.post
    if starts_on > post.starts_on or ends_on < post.ends_on:
        raise ValidationError(
            {
                "ends_on": _("保险期间须覆盖实践日期（%(start)s 至 %(end)s）。")
                % {"start": f"{post.starts_on:%Y-%m-%d}", "end": f"{post.ends_on:%Y-%m-%d}"}
            }
        )


@transaction.atomic
def insurance_save(
    *,
    placement: Placement,
    insurer: str,
    policy_number: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    actor: User | None,
) -> Insurance:
    """意外伤害保险 of one placement, by the county or the student's university; saved again,
    it is corrected (one per placement). Refused for a dropped placement and for a period that
    does not cover the practice dates: an uncovered day is the day something happens."""
    insurer, policy_number = " ".join(insurer.split()), policy_number.strip()
    errors = {}
    if not insurer:
        errors["insurer"] = _("请填写保险公司。")
    if not policy_number:
        errors["policy_number"] = _("请填写保单号。")
    if errors:
        raise ValidationError(errors)
    placement = Placement.objects.select_related("post__host_unit__county").get(pk=placement.pk)
    if placement.status == Placement.Status.DROPPED:
        raise ValidationError(_("该实践安排已终止，不再登记保险。"))
    _check_period(placement, starts_on, ends_on)
    insurance, created = _upsert(
        Insurance,
        {"placement": placement},
        {
            "insurer": insurer,
            "policy_number": policy_number,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "recorded_by": actor,
        },
    )
    audit_record(
        Action.INSURANCE_SAVE,
        actor=actor,
        target=insurance,
        region=placement.post.host_unit.county,
        data={"placement": placement.pk, "created": created},
    )
    return insurance


@transaction.atomic
def safety_rule_set(
    *, programme_year: ProgrammeYear, training_required: bool, actor: User | None
) -> SafetyRule:
    """Whether confirming an offer this year needs the 行前安全教育 recorded; audited."""
    rule, _created = _upsert(
        SafetyRule,
        {"programme_year": programme_year},
        {"training_required": training_required, "updated_by": actor},
    )
    audit_record(
        Action.SAFETY_RULE_SET,
        actor=actor,
        target=rule,
        region=programme_year.province,
        data={"year": programme_year.year, "training_required": training_required},
    )
    return rule


def emergency_contact_reveal(*, placement: Placement, actor: User) -> EmergencyContact:
    """The county that manages the placement reads the contact's whole phone, in an emergency,
    while the student is placed; an audit event says who saw it (not the number)."""
    if placement.status not in PLACED:
        raise ValidationError(_("该实践安排已结束，不能再查看紧急联系人。"))
    contact = EmergencyContact.objects.filter(student=placement.student_id).first()
    if contact is None:
        raise ValidationError(_("该学生没有填写紧急联系人。"))
    audit_record(
        Action.PII_REVEAL,
        actor=actor,
        target=placement.student,
        region=placement.post.host_unit.county,
        data={"fields": ["emergency_contact"], "placement": placement.pk},
    )
    return contact
