"""Reads of emergency contacts, insurance and the safety rule, scoped to the user who asks."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import Access
from accounts.models import Role
from accounts.validators import mask_name, mask_phone
from fanjiaxiang.params import int_param
from fanjiaxiang.todo import Todo
from safety.models import EmergencyContact, Insurance, SafetyRule
from schedule.models import ProgrammeYear, Season
from schedule.selectors import get_programme_year_for_user
from students.models import Application, Clearance, Placement, Student
from students.selectors import placements_for_user

# Placements starting within this many days without insurance are on the county's to-do list.
INSURANCE_WARN_DAYS = 14
# Who records insurance: the county for its placements, the university for its students.
INSURERS = (Role.COUNTY, Role.UNIVERSITY)
# Who reads the insurance list: those two and the levels above the county.
INSURANCE_READERS = (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.UNIVERSITY)
# A placement whose student is at work or about to be: the host unit sees the contact whole.
PLACED = (Placement.Status.CONFIRMED, Placement.Status.REPORTED)


# The student's own contact and what confirming an offer still needs --------------------------


def contact_of(student: Student) -> EmergencyContact | None:
    return EmergencyContact.objects.filter(student=student).first()


@dataclass(frozen=True)
class Missing:
    """One thing that stops a student confirming an offer, and where it is done (if the
    student can do it themself)."""

    key: str
    text: str  # the refusal, whole (it names the page where it is done)
    label: str  # the same, short, beside the link on the confirm screens
    url: str = ""
    action: str = ""


def confirm_missing(application: Application) -> list[Missing]:
    """What the student still needs before confirming this offer: an emergency contact, and,
    where the province requires it this year, the 行前安全教育 recorded by their university.
    One query; offer_confirm and the confirm screens ask this one function."""
    student, season = OuterRef("student"), OuterRef("season")
    flags = (
        Application.objects.filter(pk=application.pk)
        .annotate(
            has_contact=Exists(EmergencyContact.objects.filter(student=student)),
            required=Exists(
                SafetyRule.objects.filter(programme_year__seasons=season, training_required=True)
            ),
            trained=Exists(
                Clearance.objects.filter(
                    student=student, season=season, safety_trained_at__isnull=False
                )
            ),
        )
        .values("has_contact", "required", "trained")
        .get()
    )
    missing = []
    if not flags["has_contact"]:
        url = reverse("safety:contact") + "?next=" + reverse("students:me")
        missing.append(
            Missing(
                key="contact",
                text=_("确认录用前须先填写紧急联系人（姓名、关系、电话），在此填写：%(url)s")
                % {"url": reverse("safety:contact")},
                label=_("填写紧急联系人（姓名、关系、电话）。"),
                url=url,
                action=_("填写紧急联系人"),
            )
        )
    required, trained = flags["required"], flags["trained"]
    if required and not trained:
        text = _(
            "本年度确认录用前须完成行前安全教育培训：%(university)s尚未记录你的培训，"
            "请联系%(university)s团委参加培训并记录。"
        ) % {"university": application.student.university.name}
        missing.append(Missing(key="training", text=text, label=text))
    return missing


# Rosters: the contact for those who need it, masked or absent for the others -----------------


@dataclass(frozen=True)
class PlacementSafety:
    """What a roster row shows of a placement's safety: the contact (whole for its host unit
    while the student is placed, masked with a reveal for the county, nothing for others) and
    whether it is insured."""

    contact: EmergencyContact | None
    name: str  # the contact's name and phone, whole or masked, as the viewer may see them
    phone: str
    shown: bool  # the viewer sees the contact at all
    can_reveal: bool
    insurance: Insurance | None


def _sees_contact(user, placement: Placement) -> tuple[bool, bool, bool]:
    """(shown, whole, can_reveal) for this viewer and placement."""
    placed = placement.status in PLACED
    if user.role == Role.HOST:
        return True, placed, False
    if user.role == Role.COUNTY:
        return True, False, placed
    return False, False, False


def attach_safety(user, placements: Iterable[Placement]) -> None:
    """Sets `safety` (PlacementSafety) on each placement of a roster already scoped to the
    user: two queries however many rows."""
    placements = list(placements)
    contacts = {
        c.student_id: c
        for c in EmergencyContact.objects.filter(student__in=[p.student_id for p in placements])
    }
    insured = {i.placement_id: i for i in Insurance.objects.filter(placement__in=placements)}
    for placement in placements:
        shown, whole, can_reveal = _sees_contact(user, placement)
        contact = contacts.get(placement.student_id) if shown else None
        name = phone = ""
        if contact is not None:
            name = contact.name if whole else mask_name(contact.name)
            phone = contact.phone if whole else mask_phone(contact.phone)
        placement.safety = PlacementSafety(  # type: ignore[attr-defined]
            contact=contact,
            name=name,
            phone=phone,
            shown=shown,
            can_reveal=can_reveal and contact is not None,
            insurance=insured.get(placement.pk),
        )


def get_placement_for_contact(user, pk: int) -> tuple[Placement, Access]:
    """A placement whose student's emergency contact the county may reveal (audited) while the
    student is placed: 404 outside the user's scope, 403 for everyone else in it."""
    placement = placements_for_user(user).filter(pk=pk).first()
    if placement is None:
        raise Http404
    return placement, Access(can_reveal=user.role == Role.COUNTY)


# Insurance -----------------------------------------------------------------------------------


def get_placement_for_insurance(user, pk: int) -> tuple[Placement, Access]:
    """A placement in the user's scope (404 otherwise); the county and the student's
    university record its insurance, everyone else in scope reads it (403 on a change)."""
    placement = placements_for_user(user).filter(pk=pk).first()
    if placement is None:
        raise Http404
    return placement, Access(can_write=user.role in INSURERS)


def records_insurance(user) -> bool:
    """The county and the university record insurance; rosters link to it for them."""
    return user.role in INSURERS


def insurance_of(placement: Placement) -> Insurance | None:
    return Insurance.objects.filter(placement=placement).first()


def _insured() -> Exists:
    return Exists(Insurance.objects.filter(placement=OuterRef("pk")))


def insurance_list(user, *, season: str = "", insured: str = "") -> QuerySet[Placement]:
    """参保情况: the placements of the user's scope (not dropped), earliest practice first,
    each with its insurance; `season` a season's id, `insured` "yes" or "no". Anything else
    in either is ignored."""
    if not user.is_authenticated or user.role not in INSURANCE_READERS:
        raise Http404
    placements = (
        placements_for_user(user)
        .exclude(status=Placement.Status.DROPPED)
        .select_related("insurance", "post__host_unit")
        .annotate(insured=_insured())
    )
    if (season_id := int_param(season)) is not None:
        placements = placements.filter(season=season_id)
    if insured in ("yes", "no"):
        placements = placements.filter(insured=insured == "yes")
    return placements.order_by("post__starts_on", "post__host_unit__name", "student__name", "pk")


def insurance_seasons(user) -> QuerySet[Season]:
    """The seasons the user's placements fall in, for the list's filter (one query)."""
    seasons = placements_for_user(user).values("season")
    return (
        Season.objects.filter(pk__in=seasons)
        .select_related("programme_year__province")
        .order_by("-practice_starts")
    )


def uninsured_soon(user, today: datetime.date) -> dict:
    """Placements of the user's scope starting within INSURANCE_WARN_DAYS (or already under
    way) with no insurance: {"count", "first"} in one query."""
    return (
        placements_for_user(user)
        .filter(
            status__in=PLACED,
            post__starts_on__lte=today + datetime.timedelta(days=INSURANCE_WARN_DAYS),
            post__ends_on__gte=today,
        )
        .exclude(_insured())
        .order_by()
        .aggregate(count=Count("pk"), first=Min("post__starts_on"))
    )


# The province's rule ---------------------------------------------------------------------------


def get_rule_for_user(user, pk: int) -> tuple[ProgrammeYear, SafetyRule | None, Access]:
    """A programme year's safety rule: read by the province's calendar readers, set by the
    province (as the rest of the year's settings)."""
    programme_year, access = get_programme_year_for_user(user, pk)
    rule = SafetyRule.objects.filter(programme_year=programme_year).first()
    return programme_year, rule, access


def training_required(programme_year: ProgrammeYear) -> bool:
    return SafetyRule.objects.filter(programme_year=programme_year, training_required=True).exists()


def insurance_todos(user, today: datetime.date) -> list[Todo]:
    """工作台: the county's (or the university's) placements starting within two weeks, or
    under way, with no insurance recorded. One query."""
    if user.role not in INSURERS:
        return []
    soon = uninsured_soon(user, today)
    if not soon["count"]:
        return []
    return [
        Todo(
            key="uninsured",
            title=_("实践即将开始，学生尚未登记意外伤害保险"),
            count=soon["count"],
            url=reverse("safety:insurance_list") + "?insured=no",
            action=_("登记保险"),
            due=soon["first"],
            due_label=_("最早开始"),
            urgent=soon["first"] <= today,
        )
    ]
