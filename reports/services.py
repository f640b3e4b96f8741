"""What units and readers do with 简报/简讯. Each service checks its input, writes in one
transaction, audits and tells whom it concerns (STYLE.md).

Races: a report moves draft → submitted by a conditional UPDATE, so an edit and a submission (or
two submissions) cannot both win; marks and compiling lock the report rows they change."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import Role, User
from accounts.notices import notify_many
from fanjiaxiang.uploads import IMAGE, validate_upload
from positions.models import Region
from reports.models import MAX_PHOTOS, Report, ReportPhoto
from schedule.models import ProgrammeYear
from students.models import University
from summary.models import Briefing
from summary.services import briefing_save

BRIEFING_MAX_CHARS = Briefing._meta.get_field("body").max_length or 20000
NUMERALS = "一二三四五六七八九十"


def _check_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写标题。")
    if not body:
        errors["body"] = _("请填写正文。")
    if errors:
        raise ValidationError(errors)
    return title, body


def _check_photos(photos: Sequence[File], count: int) -> None:
    """Every photo is checked before anything is stored: one bad file saves nothing."""
    if count > MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": _("照片最多 %(max)s 张，现在是 %(count)s 张。")
                % {"max": MAX_PHOTOS, "count": count}
            }
        )
    for photo in photos:
        try:
            validate_upload(photo, kind=IMAGE)
        except ValidationError as error:
            raise ValidationError(
                {
                    "photos": _("照片“%(name)s”：%(reason)s")
                    % {"name": photo.name, "reason": " ".join(error.messages)}
                }
            ) from error


def _add_photos(report: Report, photos: Sequence[File], start: int) -> None:
    for position, photo in enumerate(photos, start=start):
        ReportPhoto.objects.create(
            report=report, image=photo, original_name=(photo.name or "")[:200], position=position
        )


def _unit_in_year(programme_year, region, university) -> None:
    """A county or city reports to its own province; a university to the province it chose."""
    if (region is None) == (university is None):
        raise ValidationError(_("简报由县级团委、市团委或高校团委上报。"))
    if region is not None:
        if region.level == Region.Level.PROVINCE:
            raise ValidationError(_("简报由县级团委、市团委或高校团委上报。"))
        province = region.parent if region.level == Region.Level.CITY else region.parent.parent
        if province is None or province.pk != programme_year.province_id:
            raise ValidationError({"programme_year": _("只能向本省团省委上报。")})


@transaction.atomic
def report_create(
    *,
    programme_year: ProgrammeYear,
    kind: str,
    title: str,
    body: str,
    photos: Sequence[File] = (),
    actor: User,
    region: Region | None = None,
    university: University | None = None,
) -> Report:
    """A unit writes a draft (not yet read by anyone)."""
    _unit_in_year(programme_year, region, university)
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": _("请选择简报或简讯。")})
    title, body = _check_text(title, body)
    _check_photos(photos, len(photos))
    report = Report.objects.create(
        programme_year=programme_year,
        region=region,
        university=university,
        kind=kind,
        title=title[:100],
        body=body,
        created_by=actor,
    )
    _add_photos(report, photos, start=0)
    return report


@transaction.atomic
def report_update(
    *,
    report: Report,
    kind: str,
    title: str,
    body: str,
    add_photos: Sequence[File] = (),
    remove_photos: Iterable[int] = (),
    actor: User,
) -> Report:
    """The unit changes its draft; a submitted report stays as it was submitted."""
    report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if report.status != Report.Status.DRAFT:
        raise ValidationError(_("已上报，不能再修改。"))
    if kind not in Report.Kind.values:
        raise ValidationError({"kind": _("请选择简报或简讯。")})
    title, body = _check_text(title, body)
    removing = list(remove_photos)
    kept = list(report.photos.exclude(pk__in=removing))
    removed = list(report.photos.filter(pk__in=removing))
    _check_photos(add_photos, len(kept) + len(add_photos))
    report.kind, report.title, report.body = kind, title[:100], body
    report.save(update_fields=["kind", "title", "body", "updated_at"])
    names = [photo.image.name for photo in removed]
    ReportPhoto.objects.filter(pk__in=[photo.pk for photo in removed]).delete()
    _add_photos(report, add_photos, start=max((p.position for p in kept), default=-1) + 1)
    storage = ReportPhoto._meta.get_field("image").storage

    def delete_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return report


def _report_region(report: Report) -> Region | None:
    return report.region if report.region_id else report.programme_year.province


@transaction.atomic
def report_submit(*, report: Report, actor: User) -> Report:
    """Send the draft up, once; from then on it is read-only for its author."""
    submitted = Report.objects.filter(pk=report.pk, status=Report.Status.DRAFT).update(
        status=Report.Status.SUBMITTED,
        submitted_by=actor,
        submitted_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not submitted:
        raise ValidationError(_("已经上报过了。"))
    report = Report.objects.select_related(
        "programme_year__province", "region__parent", "university"
    ).get(pk=report.pk)
    audit_record(
        Action.REPORT_SUBMIT,
        target=report,
        region=_report_region(report),
        data={"title": report.title, "kind": report.kind},
        actor=actor,
    )
    _tell_readers(report)
    return report


def _tell_readers(report: Report) -> None:
    readers = Q(role=Role.PROVINCE, region=report.programme_year.province_id)
    if report.region_id and report.region.level == Region.Level.COUNTY:
        readers |= Q(role=Role.CITY, region=report.region.parent_id)
    url = reverse("reports:detail", args=[report.pk])
    text = _("%(unit)s上报了%(kind)s《%(title)s》，请阅处。") % {
        "unit": report.unit_name,
        "kind": report.get_kind_display(),
        "title": report.title,
    }
    staff = User.objects.filter(readers, is_active=True)
    notify_many([(user, text[:300], url) for user in staff])


def _tell_author(report: Report, text: str) -> None:
    unit = (
        Q(role__in=(Role.CITY, Role.COUNTY), region=report.region_id)
        if report.region_id
        else Q(role=Role.UNIVERSITY, university=report.university_id)
    )
    url = reverse("reports:detail", args=[report.pk])
    notify_many([(user, text[:300], url) for user in User.objects.filter(unit, is_active=True)])


@transaction.atomic
def report_mark(*, report: Report, mark: str, comment: str, actor: User) -> Report:
    """The province marks a submitted report 已阅 or 采用; a county's city marks it 已阅 beside
    the province's mark. The author is told. A report compiled into a briefing stays 采用."""
    comment = (comment or "").strip()[:300]
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("programme_year__province", "region__parent", "university")
        .get(pk=report.pk)
    )
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("草稿不能阅处。"))
    now = timezone.now()
    if actor.role == Role.PROVINCE:
        if mark not in (Report.Mark.READ, Report.Mark.ADOPTED):
            raise ValidationError({"mark": _("请选择“已阅”或“采用”。")})
        if report.briefing_id and mark != Report.Mark.ADOPTED:
            raise ValidationError(_("已编入简报的稿件保持“采用”。"))
        report.province_mark, report.province_comment = mark, comment
        report.province_marked_by, report.province_marked_at = actor, now
        fields = ["province_mark", "province_comment", "province_marked_by", "province_marked_at"]
        who = _("团省委")
    else:
        if mark != Report.Mark.READ:
            raise ValidationError({"mark": _("市团委只标记“已阅”。")})
        report.city_read_by, report.city_read_at, report.city_comment = actor, now, comment
        fields = ["city_read_by", "city_read_at", "city_comment"]
        who = _("市团委")
    report.save(update_fields=fields)
    audit_record(
        Action.REPORT_MARK,
        target=report,
        region=_report_region(report),
        data={"title": report.title, "mark": mark, "by": actor.role},
        actor=actor,
    )
    label = Report.Mark(mark).label
    _tell_author(
        report,
        _("%(who)s已阅处《%(title)s》：%(mark)s%(comment)s")
        % {
            "who": who,
            "title": report.title,
            "mark": label,
            "comment": f"（{comment}）" if comment else "",
        },
    )
    return report


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    return str(n)


def compiled_body(reports: Sequence[Report]) -> str:
    """The briefing's text: one section per report, its unit named, in the order chosen."""
    parts = [_("本期汇编各地上报的工作简报、简讯 %(count)s 篇。") % {"count": len(reports)}]
    for n, report in enumerate(reports, start=1):
        parts.append(f"{_numeral(n)}、{report.unit_name}：{report.title}\n\n{report.body.strip()}")
    return "\n\n".join(parts)


@transaction.atomic
def reports_compile(
    *, province: Region, reports: Iterable[Report], title: str, actor: User
) -> Briefing:
    """Compile the chosen submitted reports of the province into one draft 工作简报 of its own;
    each is linked to the briefing and marked 采用, and its unit is told."""
    chosen = [report.pk for report in reports]
    locked = list(
        Report.objects.select_for_update(of=("self",))
        .filter(pk__in=chosen, programme_year__province=province, status=Report.Status.SUBMITTED)
        .select_related("programme_year", "region__parent", "university")
        .order_by("submitted_at", "pk")
    )
    if not locked or len(locked) != len(set(chosen)):
        raise ValidationError(_("请勾选本省已上报的简报、简讯后再汇编。"))
    done = [report for report in locked if report.briefing_id]
    if done:
        raise ValidationError(
            _("《%(title)s》已编入其他简报，请不要重复汇编。") % {"title": done[0].title}
        )
    body = compiled_body(locked)
    if len(body) > BRIEFING_MAX_CHARS:
        raise ValidationError(
            _("所选稿件合计 %(count)s 字，超过简报正文上限 %(max)s 字，请少选几篇。")
            % {"count": len(body), "max": BRIEFING_MAX_CHARS}
        )
    title = (title or "").strip() or _("“返家乡”社会实践工作简报（各地动态汇编）")
    briefing = briefing_save(province=province, title=title[:100], body=body, actor=actor)
    now = timezone.now()
    Report.objects.filter(pk__in=[report.pk for report in locked]).update(
        briefing=briefing,
        province_mark=Report.Mark.ADOPTED,
        province_marked_by=actor,
        province_marked_at=now,
    )
    audit_record(
        Action.REPORT_COMPILE,
        target=briefing,
        region=province,
        data={"title": briefing.title, "reports": [report.pk for report in locked]},
        actor=actor,
    )
    for report in locked:
        _tell_author(
            report, _("《%(title)s》已被团省委采用，编入工作简报。") % {"title": report.title}
        )
    return briefing
