"""What county staff do with the ledger. Each service checks its input, writes in one
transaction and audits; views and commands only call these (STYLE.md)."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.mail import Letter, mail_queue
from accounts.models import Notice
from accounts.validators import (
    id_number_clean,
    id_number_set,
    mask_keyword,
    mask_phone,
    normalize_phone,
)
from ledger.models import (
    MAX_MATERIALS,
    MAX_MATERIALS_AT_ONCE,
    PARTICIPANT_TAG,
    PLAIN_ENTRY_FIELDS,
    Channel,
    ContactLog,
    Delivery,
    Entry,
    EventMaterial,
    ExchangeEvent,
    Intention,
    LedgerNotice,
    ReturnRegistration,
    Source,
    material_validate,
    tags_clean,
)
from ledger.selectors import delivery_token
from positions.models import Region
from students.models import Student


def _set_id_number(entry: Entry, raw: str) -> None:
    id_number_set(entry, id_number_clean(raw) if raw else "")


def _normalise(fields: dict) -> dict:
    fields = dict(fields)
    if fields.get("phone"):
        try:
            fields["phone"] = normalize_phone(fields["phone"])
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error
    if "tags" in fields:
        fields["tags"] = tags_clean(fields["tags"])
    if fields.get("notes"):  # browsers send CRLF; a spreadsheet keeps LF
        fields["notes"] = fields["notes"].replace("\r\n", "\n").replace("\r", "\n")
    return fields


def _lock_county(county_id: int) -> None:
    """Changes to one county's ledger queue on its region row, as imports do: an import's check
    and write never interleave with a form, a merge or a participant being added."""
    Region.objects.select_for_update().filter(pk=county_id).first()


def _check_phone(entry: Entry) -> None:
    """Without an ID number the phone is who someone is, so a phone-only entry may not share
    its phone with anyone else in the county (an export would not re-import otherwise)."""
    if not entry.phone:
        return
    others = Entry.objects.filter(county_id=entry.county_id, phone=entry.phone).exclude(pk=entry.pk)
    if not entry.id_number_digest:
        clash = others.first()
    else:
        clash = others.filter(id_number_digest="").first()
    if clash is not None:
        raise ValidationError(
            {
                "phone": _(
                    "本县台账中“%(name)s”已登记此手机号%(how)s。若是同一人，请在原条目上修改；"
                    "否则请核对手机号。"
                )
                % {
                    "name": clash.name,
                    "how": _("（无身份证号）") if not clash.id_number_digest else "",
                }
            }
        )


def _save(entry: Entry) -> Entry:
    _check_phone(entry)
    entry.full_clean(exclude=["county", "student"], validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise ValidationError(_duplicate_message(entry)) from error
    return entry


def _duplicate_message(entry: Entry) -> dict:
    same = Entry.objects.filter(county_id=entry.county_id).exclude(pk=entry.pk)
    if entry.id_number_digest and same.filter(id_number_digest=entry.id_number_digest).exists():
        return {"id_number": _("本县台账中已有此身份证号的人员，请在原条目上修改。")}
    return {"phone": _("本县台账中已有此手机号的人员，请在原条目上修改或填写身份证号。")}


@transaction.atomic
def entry_create(
    *,
    county,
    actor,
    name: str,
    id_number: str = "",
    phone: str = "",
    email: str = "",
    wechat: str = "",
    university: str = "",
    major: str = "",
    degree: str = "",
    graduation_year: int | None = None,
    source: str = Source.OTHER,
    intention: str = Intention.UNDECIDED,
    tags: str = "",
    notes: str = "",
    last_contact: datetime.date | None = None,
) -> Entry:
    _lock_county(county.pk)
    fields = _normalise(
        {
            "name": name,
            "phone": phone,
            "email": email,
            "wechat": wechat,
            "university": university,
            "major": major,
            "degree": degree,
            "graduation_year": graduation_year,
            "source": source,
            "intention": intention,
            "tags": tags,
            "notes": notes,
            "last_contact": last_contact,
        }
    )
    entry = Entry(county=county, **fields)
    _set_id_number(entry, id_number)
    if not entry.id_number_digest and not entry.phone:
        raise ValidationError({"phone": _("身份证号和手机号至少填写一项。")})
    _save(entry)
    audit_record(Action.LEDGER_CREATE, target=entry, region=county, actor=actor)
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    actor,
    name: str,
    id_number: str = "",
    phone: str,
    email: str,
    wechat: str,
    university: str,
    major: str,
    degree: str,
    graduation_year: int | None,
    source: str,
    intention: str,
    tags: str,
    notes: str,
    last_contact: datetime.date | None,
) -> Entry:
    """Every field is given (the form shows them all); `id_number` only to replace it."""
    _lock_county(entry.county_id)
    fields = _normalise(
        {
            "name": name,
            "phone": phone,
            "email": email,
            "wechat": wechat,
            "university": university,
            "major": major,
            "degree": degree,
            "graduation_year": graduation_year,
            "source": source,
            "intention": intention,
            "tags": tags,
            "notes": notes,
            "last_contact": last_contact,
        }
    )
    changed = [name for name, value in fields.items() if getattr(entry, name) != value]
    for name in changed:
        setattr(entry, name, fields[name])
    if id_number:  # the form shows the number masked; a new one replaces it
        _set_id_number(entry, id_number)
        changed.append("id_number")
    if not entry.id_number_digest and not entry.phone:
        raise ValidationError({"phone": _("身份证号和手机号至少填写一项。")})
    _save(entry)
    if changed:
        audit_record(
            Action.LEDGER_UPDATE,
            target=entry,
            region=entry.county,
            actor=actor,
            data={"fields": changed},
        )
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, actor) -> None:
    _lock_county(entry.county_id)
    audit_record(Action.LEDGER_DELETE, target=entry, region=entry.county, actor=actor)
    entry.delete()


@transaction.atomic
def entries_merge(*, keep: Entry, other: Entry, actor) -> Entry:
    """Two entries are one person: `other`'s contacts, channels, events, notices and
    registrations move to `keep`, blanks in `keep` are filled from `other`, tags add up, and
    `other` goes. Logged with both entries' numbers."""
    if keep.pk == other.pk or keep.county_id != other.county_id:
        raise ValidationError(_("只能合并本县台账中的两个不同条目。"))
    _lock_county(keep.county_id)
    keep = Entry.objects.get(pk=keep.pk)
    still_there = Entry.objects.filter(pk=other.pk).first()
    if still_there is None:
        raise ValidationError(_("要合并的条目已不存在。"))
    other = still_there
    if keep.id_number_digest and other.id_number_digest:
        if keep.id_number_digest != other.id_number_digest:
            raise ValidationError(_("两个条目的身份证号不同，不是同一人，不能合并。"))
    for registration in ReturnRegistration.objects.filter(entry=other):
        if ReturnRegistration.objects.filter(
            entry=keep, year=registration.year, kind=registration.kind
        ).exists():
            raise ValidationError(
                _("两个条目都有 %(year)s 年的“%(kind)s”登记，请先删除或合并其中一条再合并人员。")
                % {"year": registration.year, "kind": registration.get_kind_display()}
            )
    ContactLog.objects.filter(entry=other).update(entry=keep)
    for channel in other.channels.all():
        channel.members.add(keep)
    for event in other.events.all():
        event.attendees.add(keep)
    for delivery in Delivery.objects.filter(entry=other):
        mine = Delivery.objects.filter(notice=delivery.notice_id, entry=keep).first()
        if mine is None:
            Delivery.objects.filter(pk=delivery.pk).update(entry=keep)
        elif delivery.read_at and not mine.read_at:
            Delivery.objects.filter(pk=mine.pk).update(read_at=delivery.read_at)
    ReturnRegistration.objects.filter(entry=other).update(entry=keep)
    if other.phone and keep.phone and other.phone != keep.phone:
        keep.notes = (keep.notes + "\n" if keep.notes else "") + _(
            "合并前的另一手机号：%(phone)s"
        ) % {"phone": other.phone}
    id_number = other.id_number if not keep.id_number_digest else ""
    for name in PLAIN_ENTRY_FIELDS:
        if getattr(keep, name) in ("", None) and getattr(other, name) not in ("", None):
            setattr(keep, name, getattr(other, name))
    tags = keep.tag_list + [t for t in other.tag_list if t not in keep.tag_list]
    keep.tags = "、".join(tags)[:200]
    if other.last_contact and (not keep.last_contact or other.last_contact > keep.last_contact):
        keep.last_contact = other.last_contact
    if keep.student_id is None:
        keep.student_id = other.student_id
    if keep.source == Source.OTHER:
        keep.source = other.source
    other_pk, other_name, other_phone = other.pk, other.name, other.phone
    other.delete()
    if id_number:
        _set_id_number(keep, id_number)
    _save(keep)
    audit_record(
        Action.LEDGER_MERGE,
        target=keep,
        region=keep.county,
        actor=actor,
        data={
            "merged": other_pk,
            "merged_name": other_name,
            "merged_phone": mask_phone(other_phone),
        },
    )
    return keep


def duplicate_groups(county, limit: int = 50) -> list[list[Entry]]:
    """Entries that may be one person: the same name and the same university or graduation
    year, in the county. The county decides and merges."""

    names = (
        Entry.objects.filter(county=county)
        .values("name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )
    groups = []
    entries = Entry.objects.filter(county=county, name__in=list(names)).order_by("name", "pk")
    by_name: dict[str, list[Entry]] = {}
    for entry in entries:
        by_name.setdefault(entry.name, []).append(entry)
    for same in by_name.values():
        if any(
            a.pk < b.pk
            and (
                (a.university and a.university == b.university)
                or (a.graduation_year and a.graduation_year == b.graduation_year)
                or not (a.id_number_digest and b.id_number_digest)
            )
            for a in same
            for b in same
        ):
            groups.append(same)
    return groups


# Participants enter the ledger on their own -----------------------------------------------


def entry_for_participant(student: Student) -> Entry:
    """A student who confirmed a post is in their home county's ledger: found by ID number, or
    else by phone, or added; linked to their student record. Safe to call again."""
    county = student.hometown
    _lock_county(county.pk)
    entries = Entry.objects.filter(county=county)
    # In this order: the entry already linked, the one with their ID number, then one known by
    # the phone alone (explicit lookups: NULLs sort differently on each database).
    entry = entries.filter(student=student).first()
    if entry is None and student.id_number_digest:
        entry = entries.filter(id_number_digest=student.id_number_digest).first()
    if entry is None and student.phone:
        entry = entries.filter(id_number_digest="", phone=student.phone).first()
    if entry is None:
        entry = Entry(county=county, source=Source.PARTICIPATION, name=student.name)
    entry.student = student
    if not entry.id_number_digest and student.id_number:
        # Checked when the student registered; the same keyed digest finds them again.
        id_number_set(entry, student.id_number)
    for name, value in (
        ("phone", student.phone),
        ("email", student.email),
        ("university", student.university.name),
        ("major", student.major),
        ("degree", student.degree),
        ("graduation_year", student.graduation_year),
    ):
        if not getattr(entry, name):
            setattr(entry, name, value)
    tags = entry.tag_list
    if str(PARTICIPANT_TAG) not in tags:
        entry.tags = "、".join([*tags, str(PARTICIPANT_TAG)])[:200]
    with transaction.atomic():
        entry.save()
    return entry


def entries_follow_identity(*, student: Student, moved_from: Region | None) -> None:
    """After the hometown county corrected the student's identity: the ledger entry linked to
    them says what the record now says (name, ID number, school). A student moved to another
    county leaves the old county's entry as that county's contact history, no longer linked,
    and enters the new county's ledger as a participant."""
    was_participant = False
    for entry in Entry.objects.select_for_update().filter(student=student):
        entry.name, entry.university = student.name, student.university.name
        taken = Entry.objects.filter(
            county=entry.county_id, id_number_digest=student.id_number_digest
        ).exclude(pk=entry.pk)
        if student.id_number and not taken.exists():  # a duplicate is the merge tool's to join
            id_number_set(entry, student.id_number)
        if moved_from is not None and entry.county_id == moved_from.pk:
            entry.student, was_participant = None, True
        entry.save()
    if was_participant:
        entry_for_participant(student)


# Contact log and channels ----------------------------------------------------------------


@transaction.atomic
def contact_add(
    *, entry: Entry, actor, date: datetime.date, method: str, content: str
) -> ContactLog:
    if date > timezone.localdate():
        raise ValidationError({"date": _("联系日期不能晚于今天。")})
    log = ContactLog(entry=entry, by=actor, date=date, method=method, content=content)
    log.full_clean(exclude=["entry", "by"])
    log.save()
    Entry.objects.filter(pk=entry.pk).filter(
        Q(last_contact__isnull=True) | Q(last_contact__lt=date)
    ).update(last_contact=date, updated_at=timezone.now())
    return log


@transaction.atomic
def channel_save(
    *,
    county,
    actor,
    kind: str,
    name: str,
    contact: str = "",
    note: str = "",
    channel: Channel | None = None,
) -> Channel:
    channel = channel or Channel(county=county)
    channel.kind, channel.name, channel.contact, channel.note = kind, name, contact, note
    channel.full_clean(exclude=["county"], validate_constraints=False)
    try:
        with transaction.atomic():
            channel.save()
    except IntegrityError as error:
        raise ValidationError({"name": _("本县已有同名的联系渠道。")}) from error
    return channel


@transaction.atomic
def channel_members_set(*, channel: Channel, entries, actor) -> None:
    entries = list(entries)
    if any(e.county_id != channel.county_id for e in entries):
        raise ValidationError(_("只能添加本县台账中的人员。"))
    channel.members.add(*entries)


# Notices ---------------------------------------------------------------------------------


def _address(entry: Entry) -> str:
    if entry.email:
        return entry.email
    if entry.student_id and entry.student.user.is_active:
        return entry.student.user.email
    return ""


@transaction.atomic
def notice_send(
    *, county, actor, category: str, title: str, body: str, entries, filters: dict
) -> LedgerNotice:
    """One delivery per chosen entry: a portal notice for those linked to an active student
    account, and an e-mail to everyone with an address, through the mail outbox (a county may
    reach thousands). Each carries its own signed read link."""
    entries = list(entries.select_related("student__user"))
    if not entries:
        raise ValidationError(_("筛选条件下没有台账人员，未发送。"))
    # Shown with the notice to the city and province above, who read numbers masked.
    filters = {str(name): mask_keyword(str(value)) for name, value in filters.items()}
    notice = LedgerNotice.objects.create(
        county=county, sent_by=actor, category=category, title=title, body=body, filters=filters
    )
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                notice=notice,
                entry=entry,
                in_portal=bool(entry.student_id and entry.student.user.is_active),
                by_email=bool(_address(entry)),
            )
            for entry in entries
        ],
        batch_size=1000,
    )
    text = notice_subject(notice)
    Notice.objects.bulk_create(
        (
            Notice(
                user=entry.student.user,
                text=text,
                url=reverse("ledger:notice_read", args=[delivery_token(delivery)]),
            )
            for delivery, entry in zip(deliveries, entries, strict=True)
            if delivery.in_portal
        ),
        batch_size=1000,
    )
    _mails_queue(notice, deliveries, entries)
    audit_record(
        Action.LEDGER_NOTICE,
        target=notice,
        region=county,
        actor=actor,
        data={"recipients": len(entries), "filters": filters},
    )
    return notice


def notice_subject(notice: LedgerNotice) -> str:
    return _("【%(county)s团委】%(title)s") % {"county": notice.county.name, "title": notice.title}


def _province_id(county) -> int | None:
    return (
        Region.objects.filter(level="province", code=county.code[:2] + "0000")
        .values_list("pk", flat=True)
        .first()
    )


def _mails_queue(notice: LedgerNotice, deliveries: list[Delivery], entries: list[Entry]) -> None:
    """Each mailed delivery's own mail (with its own read link) in the mail outbox, sent by a
    worker after commit (accounts/mail.py: claimed before it goes, retried, refusals kept)."""
    mailed = [(d, _address(e)) for d, e in zip(deliveries, entries, strict=True) if d.by_email]
    subject, province_id = notice_subject(notice), _province_id(notice.county)
    mails = mail_queue(
        Letter(
            to=address, subject=subject, body=_mail_body(notice, delivery), province_id=province_id
        )
        for delivery, address in mailed
    )
    for pair, mail in zip(mailed, mails, strict=True):
        pair[0].mail = mail
    Delivery.objects.bulk_update([d for d, _a in mailed], ["mail"], batch_size=1000)


def _mail_body(notice: LedgerNotice, delivery: Delivery) -> str:
    link = settings.SITE_URL + reverse("ledger:notice_read", args=[delivery_token(delivery)])
    return f"{notice.body}\n\n{_('查看详情：')}{link}"


def notice_mail_counts(notice: LedgerNotice) -> dict[str, int]:
    """The notice's mails by status (待发送, 已发送, 发送失败 …), for its sender's page."""
    rows = (
        Delivery.objects.filter(notice=notice, mail__isnull=False)
        .values_list("mail__status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def delivery_mark_read(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now())


# Exchange events and return registrations ------------------------------------------------


@transaction.atomic
def event_save(
    *,
    county,
    actor,
    season,
    title: str,
    date: datetime.date,
    place: str,
    speakers: str = "",
    departments: str = "",
    visits: str = "",
    summary: str = "",
    attendance_extra: int = 0,
    event: ExchangeEvent | None = None,
) -> ExchangeEvent:
    event = event or ExchangeEvent(county=county)
    event.season, event.title, event.date, event.place = season, title, date, place
    event.speakers, event.departments = speakers, departments
    event.visits, event.summary = visits, summary
    event.attendance_extra = attendance_extra
    if season.programme_year.province_id != county.parent.parent_id:
        raise ValidationError({"season": _("请选择本省的实践季。")})
    event.full_clean(exclude=["county"])
    event.save()
    return event


@transaction.atomic
def event_attendance_set(*, event: ExchangeEvent, entries, actor) -> None:
    entries = list(entries)
    if any(e.county_id != event.county_id for e in entries):
        raise ValidationError(_("只能选择本县台账中的人员。"))
    event.attendees.set(entries)


def _check_materials(files: Sequence[File]) -> None:
    """Every file is checked before anything is stored: one bad file saves nothing."""
    if not files:
        raise ValidationError({"materials": _("请选择要上传的照片或纪要。")})
    if len(files) > MAX_MATERIALS_AT_ONCE:
        raise ValidationError(
            {"materials": _("一次最多上传 %(n)s 个文件。") % {"n": MAX_MATERIALS_AT_ONCE}}
        )
    for upload in files:
        try:
            material_validate(upload)
        except ValidationError as error:
            raise ValidationError(
                {
                    "materials": _("文件“%(name)s”：%(reason)s")
                    % {"name": upload.name, "reason": " ".join(error.messages)}
                }
            ) from error


@transaction.atomic
def event_materials_add(*, event: ExchangeEvent, files: Sequence[File], actor) -> int:
    """Photos or minutes of the event (JPG, PNG, PDF, Word, WPS)."""
    files = list(files)
    _check_materials(files)
    if event.materials.count() + len(files) > MAX_MATERIALS:
        raise ValidationError(
            {"materials": _("每次活动最多保存 %(n)s 个照片或纪要文件。") % {"n": MAX_MATERIALS}}
        )
    for upload in files:
        EventMaterial.objects.create(
            event=event, file=upload, original_name=(upload.name or "")[:200], uploaded_by=actor
        )
    audit_record(
        Action.EVENT_MATERIAL,
        target=event,
        region=event.county,
        actor=actor,
        data={"added": [upload.name for upload in files]},
    )
    return len(files)


@transaction.atomic
def event_material_remove(*, material: EventMaterial, actor) -> None:
    event, name, stored = material.event, material.original_name, material.file.name
    material.delete()
    audit_record(
        Action.EVENT_MATERIAL,
        target=event,
        region=event.county,
        actor=actor,
        data={"removed": name},
    )
    # The stored file goes only once the row is gone for good.
    transaction.on_commit(lambda: material.file.storage.delete(stored))


@transaction.atomic
def registration_save(
    *,
    entry: Entry,
    actor,
    kind: str,
    year: int,
    organisation: str,
    position: str = "",
    started_on: datetime.date | None = None,
    note: str = "",
    registration: ReturnRegistration | None = None,
) -> ReturnRegistration:
    registration = registration or ReturnRegistration(entry=entry)
    if registration.status != ReturnRegistration.Status.PENDING:
        raise ValidationError(_("已核实的登记不能再修改。"))
    registration.kind, registration.year, registration.organisation = kind, year, organisation
    registration.position, registration.started_on = position, started_on
    registration.note = note
    registration.full_clean(exclude=["entry", "verified_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise ValidationError({"kind": _("此人本年度已有同类登记。")}) from error
    return registration


@transaction.atomic
def registration_decide(*, registration: ReturnRegistration, actor, verified: bool) -> None:
    """Verify or reject once: the conditional update makes a double click change nothing."""
    status = ReturnRegistration.Status.VERIFIED if verified else ReturnRegistration.Status.REJECTED
    done = ReturnRegistration.objects.filter(
        pk=registration.pk, status=ReturnRegistration.Status.PENDING
    ).update(status=status, verified_by=actor, verified_at=timezone.now())
    if not done:
        raise ValidationError(_("该登记已处理过。"))
    audit_record(
        Action.RETURN_VERIFY,
        target=registration,
        region=registration.entry.county,
        actor=actor,
        data={"status": status},
    )
