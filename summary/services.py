"""What the province and the units do with the annual summary. Each service checks its input,
writes in one transaction and audits; views, the demo and commands only call these (STYLE.md).

Races: every change to a year's scores first locks the programme year's row, so a
recomputation, an adjustment, a change of the commended units and the publication queue behind
each other, and nothing changes a score once the year's commendation is published. Cases and
briefings move between states by conditional UPDATEs, so two clicks cannot both win."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import Role, User
from accounts.notices import notify_many
from fanjiaxiang.uploads import IMAGE, max_upload_size, validate_upload
from positions.models import Region
from schedule.models import Milestone, ProgrammeYear
from schedule.services import summary_mark_done
from students.models import University
from summary import scoring, selectors
from summary.figures import city_figures, county_figures, university_figures, year_window
from summary.models import (
    ACTIVITY_MAX_PHOTOS,
    MAX_ADJUSTMENT,
    PHOTOS_LIMIT,
    ActivityPhoto,
    Briefing,
    CasePhoto,
    CaseRule,
    CityActivity,
    MiB,
    Publication,
    Score,
    ScoringRule,
    TypicalCase,
)
from summary.selectors import case_rule_for, case_text_length

UPSERT_BATCH = 500
MAX_TARGET = 100000


def _locked_year(programme_year: ProgrammeYear) -> ProgrammeYear:
    """The year's row, locked; refused once its commendation is published."""
    locked = (
        ProgrammeYear.objects.select_for_update(of=("self",))
        .select_related("province")
        .get(pk=programme_year.pk)
    )
    if Publication.objects.filter(programme_year=locked).exists():
        raise ValidationError(_("本年度表扬名单已公布，评分和表扬单位不能再更改。"))
    return locked


# Scores ----------------------------------------------------------------------------------------


@transaction.atomic
def scores_recompute(
    *, programme_year: ProgrammeYear, actor: User | None, as_of: datetime.date | None = None
) -> int:
    """Compute every county's, city's and university's score from the year's figures as of
    `as_of` (today), by the year's rule. Idempotent: the same figures give the same rows;
    adjustments and the commended flags are kept. Returns the number of scores written."""
    programme_year = _locked_year(programme_year)
    as_of = as_of or timezone.localdate()
    now = timezone.now()
    rules = selectors.year_rules(programme_year)
    counties = [
        _score(programme_year, Score.Kind.COUNTY, figures, rules, now, region_id=pk)
        for pk, figures in county_figures(programme_year, as_of=as_of).items()
    ]
    points = {score.region_id: score.computed for score in counties if score.region_id}
    cities = [
        _score(programme_year, Score.Kind.CITY, figures, rules, now, region_id=pk)
        for pk, figures in city_figures(programme_year, as_of=as_of, county_points=points).items()
    ]
    universities = [
        _score(programme_year, Score.Kind.UNIVERSITY, figures, rules, now, university_id=pk)
        for pk, figures in university_figures(programme_year).items()
    ]
    changing = ["figures", "parts", "computed", "computed_at"]
    for rows, unit in ((counties + cities, "region"), (universities, "university")):
        Score.objects.bulk_create(
            rows,
            batch_size=UPSERT_BATCH,
            update_conflicts=True,
            unique_fields=["programme_year", unit],
            update_fields=changing,
        )
    audit_record(
        Action.SCORE_RECOMPUTE,
        target=programme_year,
        region=programme_year.province,
        data={
            "counties": len(counties),
            "cities": len(cities),
            "universities": len(universities),
            "as_of": as_of.isoformat(),
        },
        actor=actor,
    )
    return len(counties) + len(cities) + len(universities)


def _score(programme_year, kind, figures: dict, rules, now, **unit) -> Score:
    parts = scoring.score_parts(rules[kind], figures)
    return Score(
        programme_year=programme_year,
        kind=kind,
        # The weights and targets it was computed with, so its page explains it later too.
        figures=figures | {"rule": scoring.stored(rules[kind])},
        parts={key: float(points) for key, points in parts.items()},
        computed=scoring.total(parts),
        computed_at=now,
        **unit,
    )


@transaction.atomic
def scoring_rule_save(
    *, programme_year: ProgrammeYear, kind: str, parts: dict, actor: User
) -> ScoringRule:
    """The province sets one kind's weights and targets for the year: whole numbers, weights
    adding up to 100, targets positive; until the commendation is published. The next
    recomputation uses them."""
    programme_year = _locked_year(programme_year)
    if kind not in scoring.PARTS:
        raise ValidationError(_("未知的评分类型。"))
    clean = _checked_rule(kind, parts)
    rule, _created = ScoringRule.objects.update_or_create(
        programme_year=programme_year,
        kind=kind,
        defaults={"parts": clean, "updated_by": actor},
    )
    audit_record(
        Action.SCORING_RULE_UPDATE,
        target=rule,
        region=programme_year.province,
        data={"kind": kind, "parts": clean},
        actor=actor,
    )
    return rule


def _whole(value) -> int | None:
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        return None
    return int(number) if number == number.to_integral() else None


def _checked_rule(kind: str, parts: dict) -> dict:
    errors: dict[str, str] = {}
    clean: dict[str, dict] = {}
    for part in scoring.PARTS[kind]:
        given = parts.get(part.key) or {}
        weight = _whole(given.get("weight"))
        if weight is None or not 0 <= weight <= scoring.FULL_MARKS:
            errors[f"weight_{part.key}"] = _("“%(part)s”的权重应为 0 到 100 之间的整数。") % {
                "part": part.label
            }
        target = None
        if part.has_target:
            target = _whole(given.get("target"))
            if target is None or target < 1 or target > MAX_TARGET:
                errors[f"target_{part.key}"] = _("“%(part)s”的目标应为正整数。") % {
                    "part": part.label
                }
        clean[part.key] = {"weight": weight, "target": target}
    if not errors:
        weights = sum(int(setting["weight"]) for setting in clean.values())
        if weights != scoring.FULL_MARKS:
            errors["__all__"] = _("权重合计为 %(sum)s，应为 100。") % {"sum": weights}
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def score_adjust(*, score: Score, adjustment: Decimal, reason: str, actor: User) -> Score:
    """The province adds (or takes) points, with a reason everyone who reads the score sees.
    Setting it back to 0 needs a reason too: the audit log says why it was withdrawn."""
    _locked_year(score.programme_year)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写调整原因。")})
    adjustment = Decimal(str(adjustment))
    if adjustment != adjustment.quantize(scoring.TENTH) or abs(adjustment) > MAX_ADJUSTMENT:
        raise ValidationError({"adjustment": _("调整分值应在 -100 到 100 之间，最多一位小数。")})
    score = (
        Score.objects.select_for_update(of=("self",))
        .select_related("region", "university")
        .get(pk=score.pk)
    )
    before = score.adjustment
    score.adjustment = adjustment
    score.adjustment_reason = reason[:200] if adjustment else ""
    score.adjusted_by, score.adjusted_at = actor, timezone.now()
    score.save(update_fields=["adjustment", "adjustment_reason", "adjusted_by", "adjusted_at"])
    audit_record(
        Action.SCORE_ADJUST,
        target=score,
        region=score.region or score.programme_year.province,
        data={
            "unit": score.unit_name,
            "before": str(before),
            "after": str(adjustment),
            "reason": reason[:200],
        },
        actor=actor,
    )
    return score


@transaction.atomic
def commendations_choose(
    *, programme_year: ProgrammeYear, scores: Iterable[Score], actor: User
) -> int:
    """The commended units are exactly `scores` (of this year); returns how many."""
    programme_year = _locked_year(programme_year)
    chosen = {score.pk for score in scores if score.programme_year_id == programme_year.pk}
    year_scores = Score.objects.filter(programme_year=programme_year)
    year_scores.filter(commended=True).exclude(pk__in=chosen).update(commended=False)
    year_scores.filter(commended=False, pk__in=chosen).update(commended=True)
    audit_record(
        Action.COMMENDATION_CHOOSE,
        target=programme_year,
        region=programme_year.province,
        data={"commended": len(chosen)},
        actor=actor,
    )
    return len(chosen)


@transaction.atomic
def commendations_publish(
    *, programme_year: ProgrammeYear, title: str, note: str, actor: User
) -> Publication:
    """Publish the year's commendation: once; the scores are final from then on. The commended
    units' staff are told, and the calendar's 总结表扬 milestone is recorded as done."""
    programme_year = _locked_year(programme_year)
    commended = list(
        Score.objects.filter(programme_year=programme_year, commended=True).select_related(
            "region__parent", "university"
        )
    )
    if not commended:
        raise ValidationError(_("请先选定表扬单位并保存，再公布。"))
    title = (title or "").strip() or _("%(year)s年度“返家乡”社会实践表扬名单") % {
        "year": programme_year.year
    }
    publication = Publication.objects.create(
        programme_year=programme_year,
        title=title[:100],
        note=(note or "").strip(),
        published_by=actor,
        published_at=timezone.now(),
    )
    _tell_commended(programme_year, commended, publication)
    audit_record(
        Action.COMMENDATION_PUBLISH,
        target=publication,
        region=programme_year.province,
        data={"commended": len(commended)},
        actor=actor,
    )
    _calendar_summary_done(programme_year, actor)
    return publication


def _tell_commended(programme_year, commended: Sequence[Score], publication) -> None:
    regions = [s.region_id for s in commended if s.region_id]
    universities = [s.university_id for s in commended if s.university_id]
    staff = User.objects.filter(is_active=True).filter(
        Q(role__in=(Role.COUNTY, Role.CITY), region__in=regions)
        | Q(role=Role.UNIVERSITY, university__in=universities)
    )
    url = reverse("summary:commendations", args=[programme_year.pk])
    text = _("贵单位获%(title)s表扬。") % {"title": publication.title}
    notify_many([(user, text[:300], url) for user in staff])


def _calendar_summary_done(programme_year: ProgrammeYear, actor: User) -> None:
    if programme_year.milestones.filter(code=Milestone.Code.SUMMARY, applies=True).exists():
        summary_mark_done(programme_year=programme_year, actor=actor)


# Typical cases ---------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / MiB:.1f}".removesuffix(".0")


def _check_photos(photos: Sequence[File], rule: CaseRule | None = None) -> None:
    """Every photo is checked before anything is stored: one bad file saves nothing. A typical
    case's photos also meet the year's size rule (a city activity's have none)."""
    errors = []
    for photo in photos:
        try:
            validate_upload(photo, kind=IMAGE)
        except ValidationError as error:
            errors.append(
                _("照片“%(name)s”：%(reason)s")
                % {"name": photo.name, "reason": " ".join(error.messages)}
            )
            continue
        if rule is not None and (photo.size or 0) < rule.min_photo_bytes:
            errors.append(
                _("照片“%(name)s”只有 %(size)s MB，每张不少于 %(min)s MB。")
                % {
                    "name": photo.name,
                    "size": _megabytes(photo.size or 0),
                    "min": _megabytes(rule.min_photo_bytes),
                }
            )
    if errors:
        raise ValidationError({"photos": errors})


def _check_count(count: int, rule: CaseRule) -> None:
    if not rule.min_photos <= count <= rule.max_photos:
        raise ValidationError(
            {
                "photos": _("照片 %(count)s 张，要求 %(min)s—%(max)s 张。")
                % {"count": count, "min": rule.min_photos, "max": rule.max_photos}
            }
        )


def _check_text(title: str, body: str, rule: CaseRule) -> None:
    errors = {}
    if not title:
        errors["title"] = _("请填写标题。")
    length = case_text_length(body)
    if not body:
        errors["body"] = _("请填写案例正文。")
    elif not rule.min_chars <= length <= rule.max_chars:
        errors["body"] = _("正文 %(count)s 字，要求 %(min)s—%(max)s 字。") % {
            "count": length,
            "min": rule.min_chars,
            "max": rule.max_chars,
        }
    if errors:
        raise ValidationError(errors)


def _check_case(
    title: str, body: str, count: int, photos: Sequence[File], rule: CaseRule
) -> tuple[str, str]:
    """The year's rule, all of it at once, so one answer names every field to put right."""
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, list] = {}
    for check in (
        lambda: _check_text(title, body, rule),
        lambda: _check_count(count, rule),
        lambda: _check_photos(photos, rule),
    ):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return title, body


def _add_photos(case: TypicalCase, photos: Sequence[File], start: int) -> None:
    for position, photo in enumerate(photos, start=start):
        CasePhoto.objects.create(
            case=case, image=photo, original_name=(photo.name or "")[:200], position=position
        )


def _case_region(case: TypicalCase) -> Region | None:
    return case.region if case.region_id else case.university.province


@transaction.atomic
def case_submit(
    *,
    programme_year: ProgrammeYear,
    title: str,
    body: str,
    photos: Sequence[File],
    actor: User,
    region: Region | None = None,
    university: University | None = None,
) -> TypicalCase:
    """A county, a city or a university submits a case of its own for the province to review,
    as the year's `CaseRule` asks."""
    if (region is None) == (university is None):
        raise ValidationError(_("典型案例由市、县级团委或高校团委提交。"))
    title, body = _check_case(title, body, len(photos), photos, case_rule_for(programme_year))
    case = TypicalCase.objects.create(
        programme_year=programme_year,
        region=region,
        university=university,
        title=title[:100],
        body=body,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    _add_photos(case, photos, start=0)
    audit_record(
        Action.CASE_SUBMIT,
        target=case,
        region=_case_region(case),
        data={"title": case.title, "photos": len(photos)},
        actor=actor,
    )
    _tell_province(case)
    return case


def _tell_province(case: TypicalCase) -> None:
    staff = User.objects.filter(
        is_active=True, role=Role.PROVINCE, region=case.programme_year.province_id
    )
    url = reverse("summary:case_detail", args=[case.pk])
    text = _("%(unit)s提交了典型案例《%(title)s》，请审核。") % {
        "unit": case.unit_name,
        "title": case.title,
    }
    notify_many([(user, text[:300], url) for user in staff])


@transaction.atomic
def case_update(
    *,
    case: TypicalCase,
    title: str,
    body: str,
    add_photos: Sequence[File] = (),
    remove_photos: Iterable[int] = (),
    actor: User,
) -> TypicalCase:
    """The submitting unit edits its case until the province has reviewed it."""
    case = (
        TypicalCase.objects.select_for_update(of=("self",))
        .select_related("region", "university")
        .get(pk=case.pk)
    )
    if case.status != TypicalCase.Status.SUBMITTED:
        raise ValidationError(_("案例已审核，不能再修改。"))
    kept = list(case.photos.exclude(pk__in=list(remove_photos)))
    removed = list(case.photos.filter(pk__in=list(remove_photos)))
    # Photos kept from before were checked against the rule in force when they came.
    title, body = _check_case(
        title, body, len(kept) + len(add_photos), add_photos, case_rule_for(case.programme_year)
    )
    case.title, case.body = title[:100], body
    case.revision = F("revision") + 1
    case.save(update_fields=["title", "body", "revision", "updated_at"])
    names = [photo.image.name for photo in removed]
    CasePhoto.objects.filter(pk__in=[photo.pk for photo in removed]).delete()
    _add_photos(case, add_photos, start=max((p.position for p in kept), default=-1) + 1)
    storage = CasePhoto._meta.get_field("image").storage

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    audit_record(
        Action.CASE_UPDATE,
        target=case,
        region=_case_region(case),
        data={"added": len(add_photos), "removed": len(removed)},
        actor=actor,
    )
    case.refresh_from_db()
    return case


@transaction.atomic
def case_review(
    *, case: TypicalCase, approve: bool, comment: str, actor: User, revision: int | None = None
) -> TypicalCase:
    """The province approves or rejects (with a comment) a submitted case, once. Given the
    revision the reviewer read, a case edited meanwhile is refused for a second look."""
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("不通过时请填写审核意见。")})
    pending = TypicalCase.objects.filter(pk=case.pk, status=TypicalCase.Status.SUBMITTED)
    read = pending if revision is None else pending.filter(revision=revision)
    status = TypicalCase.Status.APPROVED if approve else TypicalCase.Status.REJECTED
    decided = read.update(
        status=status, reviewed_by=actor, reviewed_at=timezone.now(), review_comment=comment[:500]
    )
    if not decided:
        if pending.exists():
            raise ValidationError(_("案例在您审阅期间被修改过，请查看最新内容后再审核。"))
        raise ValidationError(_("案例已经审核过了。"))
    case = TypicalCase.objects.select_related(
        "region", "university__province", "programme_year"
    ).get(pk=case.pk)
    audit_record(
        Action.CASE_APPROVE if approve else Action.CASE_REJECT,
        target=case,
        region=_case_region(case),
        data={"title": case.title},
        actor=actor,
    )
    _tell_unit(case)
    return case


def _tell_unit(case: TypicalCase) -> None:
    unit = (
        Q(role__in=(Role.CITY, Role.COUNTY), region=case.region_id)
        if case.region_id
        else Q(role=Role.UNIVERSITY, university=case.university_id)
    )
    staff = User.objects.filter(unit, is_active=True)
    url = reverse("summary:case_detail", args=[case.pk])
    text = _("典型案例《%(title)s》审核结果：%(status)s。") % {
        "title": case.title,
        "status": case.get_status_display(),
    }
    notify_many([(user, text[:300], url) for user in staff])


@transaction.atomic
def case_rule_set(
    *,
    programme_year: ProgrammeYear,
    min_chars: int,
    max_chars: int,
    min_photos: int,
    max_photos: int,
    min_photo_mb: Decimal,
    actor: User,
) -> CaseRule:
    """The province sets what a typical case of the year must hold; cases already submitted
    keep what they have, and the rule applies to every later submission and edit."""
    errors = {}
    if not 1 <= min_chars <= max_chars <= 10000:
        errors["max_chars"] = _("字数要求应满足 1 ≤ 最少字数 ≤ 最多字数 ≤ 10000。")
    if not 1 <= min_photos <= max_photos <= PHOTOS_LIMIT:
        errors["max_photos"] = _("照片数要求应满足 1 ≤ 最少张数 ≤ 最多张数 ≤ %(limit)s。") % {
            "limit": PHOTOS_LIMIT
        }
    min_bytes = int(Decimal(min_photo_mb) * MiB)
    if not 0 <= min_bytes < max_upload_size(IMAGE):
        errors["min_photo_mb"] = _("每张照片的最小大小应小于上传上限 %(max)s MB。") % {
            "max": _megabytes(max_upload_size(IMAGE))
        }
    if errors:
        raise ValidationError(errors)
    values = {
        "min_chars": min_chars,
        "max_chars": max_chars,
        "min_photos": min_photos,
        "max_photos": max_photos,
        "min_photo_bytes": min_bytes,
        "updated_by": actor,
    }
    rule, _created = CaseRule.objects.update_or_create(
        programme_year=programme_year, defaults=values
    )
    audit_record(
        Action.CASE_RULE_SET,
        target=rule,
        region=programme_year.province,
        data={k: v for k, v in values.items() if k != "updated_by"} | {"year": programme_year.year},
        actor=actor,
    )
    return rule


# Briefings -------------------------------------------------------------------------------------


@transaction.atomic
def briefing_save(
    *, province: Region, title: str, body: str, actor: User, briefing: Briefing | None = None
) -> Briefing:
    """Write a new draft, or change a draft; a published briefing stays as it was published."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ValidationError(_("请填写标题和正文。"))
    if briefing is None:
        saved = Briefing.objects.create(
            province=province, title=title[:100], body=body, created_by=actor
        )
    else:
        changed = Briefing.objects.filter(
            pk=briefing.pk, province=province, status=Briefing.Status.DRAFT
        ).update(title=title[:100], body=body, updated_at=timezone.now())
        if not changed:
            raise ValidationError(_("简报已发布，不能再修改。"))
        saved = Briefing.objects.get(pk=briefing.pk)
    audit_record(
        Action.BRIEFING_SAVE,
        target=saved,
        region=province,
        data={"title": saved.title, "new": briefing is None},
        actor=actor,
    )
    return saved


@transaction.atomic
def briefing_publish(*, briefing: Briefing, actor: User) -> Briefing:
    """Publish a draft with the province's next issue number (期数)."""
    # The province's row is the lock that numbers issues one after another.
    province = Region.objects.select_for_update().get(pk=briefing.province_id)
    last = Briefing.objects.filter(province=province).aggregate(n=Max("issue"))["n"] or 0
    published = Briefing.objects.filter(pk=briefing.pk, status=Briefing.Status.DRAFT).update(
        status=Briefing.Status.PUBLISHED,
        issue=last + 1,
        published_by=actor,
        published_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not published:
        raise ValidationError(_("简报已经发布过了。"))
    briefing = Briefing.objects.get(pk=briefing.pk)
    audit_record(
        Action.BRIEFING_PUBLISH,
        target=briefing,
        region=province,
        data={"title": briefing.title, "issue": briefing.issue},
        actor=actor,
    )
    return briefing


# The city's own work ---------------------------------------------------------------------------


ACTIVITY_FIELDS = ("kind", "title", "held_on", "place", "participants", "description")


def _check_activity(fields: dict) -> dict:
    clean = {key: fields.get(key) for key in ACTIVITY_FIELDS}
    for key in ("title", "place", "description"):
        clean[key] = (clean[key] or "").strip()
    errors = {}
    if clean["kind"] not in CityActivity.Kind.values:
        errors["kind"] = _("请选择活动类型。")
    for key, message in (
        ("title", _("请填写活动名称。")),
        ("place", _("请填写活动地点。")),
        ("description", _("请填写活动情况。")),
        ("held_on", _("请填写活动日期。")),
    ):
        if not clean[key]:
            errors[key] = message
    if not isinstance(clean["participants"], int) or clean["participants"] < 1:
        errors["participants"] = _("参加人数应为正整数。")
    if errors:
        raise ValidationError(errors)
    return clean


def _add_activity_photos(activity: CityActivity, photos: Sequence[File], start: int) -> None:
    for position, photo in enumerate(photos, start=start):
        ActivityPhoto.objects.create(
            activity=activity,
            image=photo,
            original_name=(photo.name or "")[:200],
            position=position,
        )


@transaction.atomic
def city_activity_save(
    *,
    programme_year: ProgrammeYear,
    city: Region,
    fields: dict,
    actor: User,
    add_photos: Sequence[File] = (),
    remove_photos: Iterable[int] = (),
    activity: CityActivity | None = None,
) -> CityActivity:
    """A city records one of its own activities (示范活动, 学子归巢, …) or changes it, with up to
    ACTIVITY_MAX_PHOTOS photos; every photo is checked before anything is stored. Its 示范活动 count in
    the city's score at the next recomputation (not after the commendation is published)."""
    if city.level != Region.Level.CITY:
        raise ValidationError(_("市级活动由市团委登记。"))
    clean = _check_activity(fields)
    if activity is not None:
        activity = CityActivity.objects.select_for_update().get(pk=activity.pk, city=city)
        programme_year = activity.programme_year
    if Publication.objects.filter(programme_year=programme_year).exists():
        raise ValidationError(_("本年度表扬名单已公布，不能再登记或修改本年度的市级活动。"))
    starts, ends = year_window(programme_year)
    if not starts <= clean["held_on"] <= ends:
        raise ValidationError(
            {
                "held_on": _("活动日期应在%(year)s年度内（%(starts)s 至 %(ends)s）。")
                % {"year": programme_year.year, "starts": starts, "ends": ends}
            }
        )
    kept = activity.photos.exclude(pk__in=list(remove_photos)) if activity else None
    removed = list(activity.photos.filter(pk__in=list(remove_photos))) if activity else []
    kept_count = kept.count() if kept is not None else 0
    if kept_count + len(add_photos) > ACTIVITY_MAX_PHOTOS:
        raise ValidationError({"photos": _("照片最多 %(max)s 张。") % {"max": ACTIVITY_MAX_PHOTOS}})
    _check_photos(add_photos)
    if activity is None:
        activity = CityActivity.objects.create(
            programme_year=programme_year, city=city, created_by=actor, **clean
        )
    else:
        for key, value in clean.items():
            setattr(activity, key, value)
        activity.save()
    _remove_activity_photos(removed)
    start = max((p.position for p in kept), default=-1) + 1 if kept is not None else 0
    _add_activity_photos(activity, add_photos, start=start)
    audit_record(
        Action.CITY_ACTIVITY_SAVE,
        target=activity,
        region=city,
        data={
            "title": activity.title,
            "kind": activity.kind,
            "added": len(add_photos),
            "removed": len(removed),
        },
        actor=actor,
    )
    return activity


def _remove_activity_photos(removed: Sequence[ActivityPhoto]) -> None:
    names = [photo.image.name for photo in removed]
    ActivityPhoto.objects.filter(pk__in=[photo.pk for photo in removed]).delete()
    storage = ActivityPhoto._meta.get_field("image").storage

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
