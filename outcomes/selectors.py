"""Who reads which 实践总结: whoever reads the placement (students.selectors.placements_for_user:
the student, the host unit, the county and the levels above it, the student's university);
only the student writes it, and only while it is open (OutcomeAccess)."""

from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role
from outcomes.models import DEFAULT_MIN_CHARS, Outcome, OutcomePhoto, OutcomeRule
from schedule.models import ProgrammeYear
from students.models import Placement
from students.selectors import placements_for_user
from summary.selectors import case_text_length

text_length = case_text_length  # 字数: every character but spaces and line breaks


@dataclass(frozen=True)
class OutcomeAccess:
    """What the user may do with one placement's 实践总结; all False is read-only."""

    is_student: bool = False  # the placement is the user's own
    can_write: bool = False  # write or revise the text, photos and report
    can_consent: bool = False  # give or withdraw the consent to a 典型案例


def is_open(placement: Placement, outcome: Outcome | None) -> bool:
    """Open while the student practises (已报到); the 期满鉴定 locks what was handed in, and a
    student who handed in nothing may still hand it in once afterwards."""
    if placement.status == Placement.Status.REPORTED:
        return True
    if placement.status == Placement.Status.COMPLETED:
        return outcome is None or not outcome.text
    return False


def get_outcome_for_user(
    user, placement_pk: int
) -> tuple[Placement, Outcome | None, OutcomeAccess]:
    """A placement's 实践总结 (None while not handed in) and what the user may do with it:
    404 for whoever does not read the placement, or before the student has reported."""
    placement = (
        placements_for_user(user)
        .filter(
            pk=placement_pk,
            status__in=(Placement.Status.REPORTED, Placement.Status.COMPLETED),
            student__anonymised_at__isnull=True,
        )
        .select_related("post__host_unit")
        .first()
    )
    if placement is None:
        raise Http404
    outcome = Outcome.objects.filter(placement=placement).first()
    own = user.role == Role.STUDENT and placement.student.user_id == user.pk
    return (
        placement,
        outcome,
        OutcomeAccess(
            is_student=own,
            can_write=own and is_open(placement, outcome),
            can_consent=own and outcome is not None and bool(outcome.text),
        ),
    )


def get_photo_for_user(user, placement_pk: int, pk: int) -> OutcomePhoto:
    """A 实践总结's photo, to whoever reads the summary."""
    _placement, outcome, _access = get_outcome_for_user(user, placement_pk)
    photo = outcome.photos.filter(pk=pk).first() if outcome else None
    if photo is None:
        raise Http404
    return photo


def rule_for(programme_year: ProgrammeYear) -> OutcomeRule:
    """The year's rule: the province's, else the default (not saved)."""
    rule = OutcomeRule.objects.filter(programme_year=programme_year).first()
    return rule or OutcomeRule(programme_year=programme_year, min_chars=DEFAULT_MIN_CHARS)


def consented_outcomes_for_user(user) -> QuerySet[Outcome]:
    """The 实践总结 of the county's placements whose students agreed to their use in a typical
    case: what the county's 典型案例 form offers. Nobody else is offered any."""
    if user.role != Role.COUNTY or not user.region_id:
        return Outcome.objects.none()
    return (
        Outcome.objects.filter(
            consent=True,
            placement__post__host_unit__county=user.region_id,
            placement__student__anonymised_at__isnull=True,
        )
        .exclude(text="")
        .select_related("placement__student", "placement__post", "placement__season")
        .order_by("-submitted_at", "-pk")
    )


def get_consented_outcome_for_user(user, pk) -> Outcome:
    """One consented summary the county may use; 404 for any other (or a malformed id)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    outcome = consented_outcomes_for_user(user).filter(pk=number).first()
    if outcome is None:
        raise Http404
    return outcome


def photo_copies(outcome: Outcome) -> list[File]:
    """The summary's photos as new uploads under their original names, for a typical case that
    uses them (checked again there, against the case's own rule)."""
    copies: list[File] = []
    for photo in outcome.photos.all():
        try:
            with photo.image.open("rb") as handle:
                copies.append(ContentFile(handle.read(), name=photo.original_name))
        except FileNotFoundError:
            continue  # a file gone from the store is simply not offered
    return copies
