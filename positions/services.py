"""Changes to host units and posts. Views, admin, commands and tasks all come through here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from positions.models import HostUnit, Post, Region
from positions.public_cache import public_pages_changed
from schedule.services import stage_check_open

POST_FIELDS = (
    "title",
    "category",
    "description",
    "duties",
    "majors",
    "skills",
    "grade",
    "headcount",
    "place",
    "remote_allowed",
    "audience",
    "starts_on",
    "ends_on",
    "hours",
    "training",
    "safety_notes",
    "contact_name",
    "contact_phone",
)
HOST_UNIT_FIELDS = (
    "kind",
    "name",
    "credit_code",
    "address",
    "contact_name",
    "contact_phone",
    "description",
    "is_active",
)


def _assign(record, **values) -> None:
    # No field of a host unit or a post is nullable, so None can mean "unchanged".
    for name, value in values.items():
        if value is not None:
            setattr(record, name, value)


def _check_county(region: Region) -> None:
    if region.level != Region.Level.COUNTY:
        raise ValidationError(_("用人单位只能登记在县级（含镇街）地区。"))


@transaction.atomic
def host_unit_create(
    *,
    county: Region,
    actor: User | None,
    kind: str,
    name: str,
    contact_name: str,
    contact_phone: str,
    credit_code: str = "",
    address: str = "",
    description: str = "",
    is_active: bool = True,
) -> HostUnit:
    _check_county(county)
    host_unit = HostUnit(
        county=county,
        kind=kind,
        name=name,
        credit_code=credit_code,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        description=description,
        is_active=is_active,
    )
    host_unit.full_clean()
    _save_unique(host_unit)
    return host_unit


def _save_unique(host_unit: HostUnit) -> None:
    # full_clean() saw no clash, but two officers saving the same unit at once both pass it;
    # the unique constraints decide, and the loser gets the same message as a form would give.
    try:
        with transaction.atomic():
            host_unit.save()
    except IntegrityError as error:
        raise ValidationError({"name": _("本县已登记同名或同一信用代码的用人单位。")}) from error


@transaction.atomic
def host_unit_update(
    *,
    host_unit: HostUnit,
    actor: User | None,
    kind: str | None = None,
    name: str | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    credit_code: str | None = None,
    address: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> HostUnit:
    """Fields left out (None) stay as they are."""
    _assign(
        host_unit,
        kind=kind,
        name=name,
        contact_name=contact_name,
        contact_phone=contact_phone,
        credit_code=credit_code,
        address=address,
        description=description,
        is_active=is_active,
    )
    host_unit.full_clean()
    _save_unique(host_unit)
    # Its name and kind are on its posts' public pages; taken off, its posts go with it.
    public_pages_changed()
    return host_unit


def _check_post(post: Post) -> None:
    if post.host_unit.county.parent.parent_id != post.season.programme_year.province_id:
        raise ValidationError({"season": _("实践季须属于本省的活动年度。")})
    if not post.host_unit.is_active:
        raise ValidationError({"host_unit": _("该用人单位已停用，不能发布岗位。")})
    if (
        post.starts_on
        and post.ends_on
        and not (post.season.contains(post.starts_on) and post.season.contains(post.ends_on))
    ):
        raise ValidationError(
            _("岗位日期须在%(season)s实践期（%(start)s 至 %(end)s）之内。")
            % {
                "season": post.season,
                "start": post.season.practice_starts,
                "end": post.season.practice_ends,
            }
        )


@transaction.atomic
def post_create(
    *,
    host_unit: HostUnit,
    season,
    actor: User | None,
    title: str,
    category: str,
    description: str,
    duties: str,
    headcount: int,
    place: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours: str,
    contact_name: str,
    contact_phone: str,
    majors: str = "",
    skills: str = "",
    grade: str = "",
    remote_allowed: bool = False,
    audience: str = Post.Audience.HOMETOWN,
    training: str = "",
    safety_notes: str = "",
    today: datetime.date | None = None,
) -> Post:
    post = Post(
        host_unit=host_unit,
        season=season,
        created_by=actor,
        title=title,
        category=category,
        description=description,
        duties=duties,
        majors=majors,
        skills=skills,
        grade=grade,
        headcount=headcount,
        place=place,
        remote_allowed=remote_allowed,
        audience=audience,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        training=training,
        safety_notes=safety_notes,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    post.full_clean()
    _check_post(post)
    stage_check_open(season=post.season, stage="posts", county_id=host_unit.county_id, today=today)
    post.save()
    return post


@transaction.atomic
def post_update(  # noqa: PLR0913 - one argument per field of the form
    *,
    post: Post,
    actor: User | None,
    host_unit: HostUnit | None = None,
    season=None,
    title: str | None = None,
    category: str | None = None,
    description: str | None = None,
    duties: str | None = None,
    majors: str | None = None,
    skills: str | None = None,
    grade: str | None = None,
    headcount: int | None = None,
    place: str | None = None,
    remote_allowed: bool | None = None,
    audience: str | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    hours: str | None = None,
    training: str | None = None,
    safety_notes: str | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
) -> Post:
    """Fields left out (None) stay as they are."""
    post = Post.objects.select_for_update().select_related("season__programme_year").get(pk=post.pk)
    if post.status not in (Post.Status.DRAFT, Post.Status.PUBLISHED):
        raise ValidationError(_("已截止或已撤销的岗位不能修改。"))
    if host_unit is not None:
        post.host_unit = host_unit
    if season is not None and season.pk != post.season_id:
        # Moving a post into another season is a new post there: that season's lock applies.
        stage_check_open(season=season, stage="posts", county_id=post.host_unit.county_id)
        post.season = season
    _assign(
        post,
        title=title,
        category=category,
        description=description,
        duties=duties,
        majors=majors,
        skills=skills,
        grade=grade,
        headcount=headcount,
        place=place,
        remote_allowed=remote_allowed,
        audience=audience,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        training=training,
        safety_notes=safety_notes,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    post.full_clean()
    _check_post(post)
    if post.status == Post.Status.PUBLISHED and post.ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("已发布岗位的结束日期不能早于今天。")})
    post.save()
    if post.status == Post.Status.PUBLISHED:
        public_pages_changed()
    return post


def _transition(post: Post, *, allowed: tuple[str, ...], to: str, refusal: str, **extra) -> Post:
    # A conditional UPDATE, so two clicks (or a click and the nightly task) cannot both move
    # the post: only the one that still finds it in an allowed state wins.
    changed = Post.objects.filter(pk=post.pk, status__in=allowed).update(
        status=to, updated_at=timezone.now(), **extra
    )
    if changed != 1:
        raise ValidationError(refusal)
    public_pages_changed()
    post.refresh_from_db()
    return post


@transaction.atomic
def post_publish(*, post: Post, actor: User | None, today: datetime.date | None = None) -> Post:
    today = today or timezone.localdate()
    if post.ends_on < today:
        raise ValidationError(_("岗位结束日期已过，不能发布。"))
    if not post.host_unit.is_active:
        raise ValidationError(_("该用人单位已停用，不能发布岗位。"))
    stage_check_open(
        season=post.season, stage="posts", county_id=post.host_unit.county_id, today=today
    )
    return _transition(
        post,
        allowed=(Post.Status.DRAFT,),
        to=Post.Status.PUBLISHED,
        refusal=_("只有草稿状态的岗位可以发布。"),
        published_at=timezone.now(),
    )


@transaction.atomic
def post_close(*, post: Post, actor: User | None) -> Post:
    return _transition(
        post,
        allowed=(Post.Status.PUBLISHED,),
        to=Post.Status.CLOSED,
        refusal=_("只有已发布的岗位可以结束。"),
        closed_at=timezone.now(),
    )


@transaction.atomic
def post_cancel(*, post: Post, actor: User | None) -> Post:
    return _transition(
        post,
        allowed=(Post.Status.DRAFT, Post.Status.PUBLISHED),
        to=Post.Status.CANCELLED,
        refusal=_("已截止或已撤销的岗位不能撤销。"),
        closed_at=timezone.now(),
    )


def posts_close_finished(*, today: datetime.date) -> int:
    """Close every published post whose practice ended before `today`; safe to run again."""
    closed = Post.objects.filter(status=Post.Status.PUBLISHED, ends_on__lt=today).update(
        status=Post.Status.CLOSED, closed_at=timezone.now(), updated_at=timezone.now()
    )
    if closed:
        public_pages_changed()
    return closed
