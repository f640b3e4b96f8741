"""What students and the province do with 实践成果. Each service checks its input, writes in one
transaction and audits (STYLE.md); files are checked by the one upload validator before anything
is stored, and files removed are deleted from the store after the transaction commits.

Race: a student saving while the host unit makes the 期满鉴定. The save locks the placement's row
and reads its status under the lock; the evaluation's conditional UPDATE of that row waits for
it. So either the summary is saved before the placement is completed (and the evaluators' next
read shows it), or the save finds the placement completed and is refused."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import User
from fanjiaxiang.uploads import DOCUMENT, IMAGE, validate_upload
from outcomes import selectors
from outcomes.models import MAX_CHARS, MAX_PHOTOS, Outcome, OutcomePhoto, OutcomeRule
from schedule.models import ProgrammeYear
from students.models import Placement


def _check_files(photos: Sequence[File], report: File | None) -> list[str]:
    """Every file is checked before anything is stored: one bad file saves nothing."""
    errors = []
    for photo in photos:
        try:
            validate_upload(photo, kind=IMAGE)
        except ValidationError as error:
            errors.append(
                _("照片“%(name)s”：%(reason)s")
                % {"name": photo.name, "reason": " ".join(error.messages)}
            )
    if report is not None:
        try:
            validate_upload(report, kind=DOCUMENT)
        except ValidationError as error:
            errors.append(
                _("实践报告“%(name)s”：%(reason)s")
                % {"name": report.name, "reason": " ".join(error.messages)}
            )
    return errors


def _check(text: str, photo_count: int, files: list[str], min_chars: int) -> None:
    errors: dict[str, list[str]] = {}
    length = selectors.text_length(text)
    if not text:
        errors["text"] = [_("请填写实践总结。")]
    elif length < min_chars:
        errors["text"] = [
            _("实践总结现有 %(count)s 字，本年度要求不少于 %(min)s 字（不计空格和换行）。")
            % {"count": length, "min": min_chars}
        ]
    elif len(text) > MAX_CHARS:
        errors["text"] = [_("实践总结最多 %(max)s 字。") % {"max": MAX_CHARS}]
    if photo_count > MAX_PHOTOS:
        errors["photos"] = [
            _("照片最多 %(max)s 张，现有 %(count)s 张：请先删除一些。")
            % {"max": MAX_PHOTOS, "count": photo_count}
        ]
    if files:
        errors.setdefault("photos", []).extend(files)
    if errors:
        raise ValidationError(errors)


def _locked_placement(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("student__hometown", "season__programme_year", "post")
        .get(pk=placement.pk)
    )


def _delete_later(names: Iterable[str]) -> None:
    names = [name for name in names if name]
    storage = OutcomePhoto._meta.get_field("image").storage

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def outcome_save(
    *,
    placement: Placement,
    text: str,
    actor: User,
    add_photos: Sequence[File] = (),
    remove_photos: Iterable[int] = (),
    report: File | None = None,
    remove_report: bool = False,
    consent: bool = False,
) -> Outcome:
    """The student hands in or revises the 实践总结 of their placement, as long as it is open
    (selectors.is_open): at least the year's number of characters, at most six photos and one
    report file (PDF or Word)."""
    placement = _locked_placement(placement)
    if placement.student.user_id != actor.pk:
        raise ValidationError(_("只有学生本人可以填写实践总结。"))
    outcome = Outcome.objects.filter(placement=placement).first()
    if not selectors.is_open(placement, outcome):
        raise ValidationError(_("期满鉴定已完成，实践总结不能再修改。"))
    text = (text or "").strip()
    removed = list(outcome.photos.filter(pk__in=list(remove_photos))) if outcome else []
    kept = outcome.photos.count() - len(removed) if outcome else 0
    rule = selectors.rule_for(placement.season.programme_year)
    _check(text, kept + len(add_photos), _check_files(add_photos, report), rule.min_chars)
    now = timezone.now()
    if outcome is None:
        outcome = Outcome(placement=placement, submitted_at=now)
    gone = [photo.image.name for photo in removed]
    if report is not None or remove_report:
        gone.append(outcome.report.name)
        outcome.report, outcome.report_name = None, ""
    if report is not None:
        outcome.report_name = (report.name or "")[:200]
        outcome.report.save(report.name or "report", report, save=False)
    outcome.text = text
    if consent != outcome.consent:
        outcome.consent, outcome.consent_at = consent, now if consent else None
    outcome.save()
    OutcomePhoto.objects.filter(pk__in=[photo.pk for photo in removed]).delete()
    start = max(outcome.photos.values_list("position", flat=True), default=-1) + 1
    for position, photo in enumerate(add_photos, start=start):
        OutcomePhoto.objects.create(
            outcome=outcome, image=photo, original_name=(photo.name or "")[:200], position=position
        )
    _delete_later(gone)
    audit_record(
        Action.OUTCOME_SAVE,
        target=outcome,
        region=placement.post.host_unit.county,
        data={
            "chars": selectors.text_length(text),
            "added": len(add_photos),
            "removed": len(removed),
            "report": bool(outcome.report),
            "consent": outcome.consent,
        },
        actor=actor,
    )
    return outcome


@transaction.atomic
def outcome_consent_set(*, outcome: Outcome, consent: bool, actor: User) -> Outcome:
    """The student gives or withdraws the consent to the use of their 实践总结 in a 典型案例,
    at any time. Withdrawn, it is no longer offered; cases already written keep their text."""
    outcome = (
        Outcome.objects.select_for_update(of=("self",))
        .select_related("placement__student", "placement__post__host_unit__county")
        .get(pk=outcome.pk)
    )
    if outcome.placement.student.user_id != actor.pk:
        raise ValidationError(_("只有学生本人可以决定是否同意。"))
    if outcome.consent != consent:
        outcome.consent, outcome.consent_at = consent, timezone.now() if consent else None
        outcome.save(update_fields=["consent", "consent_at", "updated_at"])
        audit_record(
            Action.OUTCOME_CONSENT,
            target=outcome,
            region=outcome.placement.post.host_unit.county,
            data={"consent": consent},
            actor=actor,
        )
    return outcome


@transaction.atomic
def outcome_rule_set(*, programme_year: ProgrammeYear, min_chars: int, actor: User) -> OutcomeRule:
    """The province sets the year's minimum length; summaries already handed in keep theirs,
    and the rule applies to every later hand-in and revision."""
    limit = MAX_CHARS // 2
    if not 1 <= min_chars <= limit:
        raise ValidationError({"min_chars": _("最少字数应在 1 到 %(max)s 之间。") % {"max": limit}})
    rule, _created = OutcomeRule.objects.update_or_create(
        programme_year=programme_year, defaults={"min_chars": min_chars, "updated_by": actor}
    )
    audit_record(
        Action.OUTCOME_RULE_SET,
        target=rule,
        region=programme_year.province,
        data={"min_chars": min_chars, "year": programme_year.year},
        actor=actor,
    )
    return rule


def outcomes_erase(*, student_id: int) -> None:
    """Erasure and retention (students.privacy): every summary of the student is emptied and
    its photos and report deleted, from the store too once the transaction commits."""
    outcomes = Outcome.objects.filter(placement__student=student_id)
    photos = OutcomePhoto.objects.filter(outcome__in=outcomes)
    names = list(photos.values_list("image", flat=True))
    names += [name for name in outcomes.values_list("report", flat=True) if name]
    photos.delete()
    outcomes.update(text="", report="", report_name="", consent=False, consent_at=None)
    _delete_later(names)
