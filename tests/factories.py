"""Test data builders. Regions are real GB/T 2260 codes, created on demand."""

import datetime

import factory
from django.utils import timezone

from accounts.models import Role, User
from accounts.validators import id_number_make, id_number_set
from positions.models import HostUnit, Post, Region
from safety.models import EmergencyContact
from schedule.services import programme_year_create
from students.models import University

PASSWORD = "Test-password-2026"

REGIONS = {
    "440000": ("广东省", "province", None),
    "440100": ("广州市", "city", "440000"),
    "440104": ("越秀区", "county", "440100"),
    "440106": ("天河区", "county", "440100"),
    "441400": ("梅州市", "city", "440000"),
    "441403": ("梅县区", "county", "441400"),
    "441900": ("东莞市", "city", "440000"),
    "441900121": ("虎门镇", "county", "441900"),
    "450000": ("广西壮族自治区", "province", None),
    "450100": ("南宁市", "city", "450000"),
    "450102": ("兴宁区", "county", "450100"),
    "110000": ("北京市", "province", None),
    "110100": ("北京市", "city", "110000"),
    "110108": ("海淀区", "county", "110100"),
    "420000": ("湖北省", "province", None),
}


def region(code: str) -> Region:
    name, level, parent = REGIONS[code]
    obj, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": name, "level": level, "parent": region(parent) if parent else None},
    )
    return obj


# A fixed year, not one read from the clock, so a test's data is the same on every day it runs;
# its seasons are ahead of any day the suite runs on, so posts can still be published.
PRACTICE_YEAR = 2030


def practice_year() -> int:
    return PRACTICE_YEAR


def season(kind: str = "summer", province: str = "440000"):
    programme_year = programme_year_create(province=region(province), year=practice_year())
    return programme_year.seasons.get(kind=kind)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"41440{n:05d}")
    name = factory.Sequence(lambda n: f"测试大学{n}")
    province = factory.LazyFunction(lambda: region("440000"))


class HostUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostUnit

    county = factory.LazyFunction(lambda: region("440104"))
    kind = HostUnit.Kind.GOVERNMENT
    name = factory.Sequence(lambda n: f"测试单位{n}")
    contact_name = "陈老师"
    contact_phone = "13800138000"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    host_unit = factory.SubFactory(HostUnitFactory)
    season = factory.LazyFunction(season)
    title = factory.Sequence(lambda n: f"实践岗位{n}")
    category = Post.Category.GOVERNMENT
    description = "岗位简介"
    duties = "工作职责"
    headcount = 3
    place = "实践地点"
    starts_on = factory.LazyAttribute(lambda o: o.season.practice_starts)
    ends_on = factory.LazyAttribute(
        lambda o: o.season.practice_starts + datetime.timedelta(days=20)
    )
    hours = "9:00-17:00"
    contact_name = "陈老师"
    contact_phone = "13800138000"
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def staff(role: str, **scope) -> User:
    return UserFactory(role=role, **scope)


def authenticator(user: User):
    """A confirmed TOTP device for `user` (their authenticator app), made once."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def totp_code(device) -> str:
    """The code the user's authenticator shows now."""
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def verified_login(client, user: User) -> None:
    """Sign `user` in as having passed both factors (password and authenticator), for tests that
    run with STAFF_TWO_FACTOR on."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = authenticator(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


__all__ = ["PASSWORD", "Role", "region", "season", "staff"]


def valid_id_number(n: int) -> str:
    """A valid 18-digit resident ID (广州市越秀区, born in January 2004), one for each n < 1000."""
    return id_number_make(n, born=f"200401{n % 28 + 1:02d}")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "students.Student"

    user = factory.SubFactory(
        UserFactory, role=Role.STUDENT, email=factory.Sequence(lambda n: f"s{n}@example.edu.cn")
    )
    name = factory.Sequence(lambda n: f"学生{n}")
    id_number = factory.Sequence(valid_id_number)
    phone = "13900139000"
    email = factory.Sequence(lambda n: f"student{n}@example.edu.cn")
    university = factory.SubFactory(UniversityFactory)
    student_number = factory.Sequence(lambda n: f"2022{n:05d}")
    college = "文学院"
    major = "汉语言文学"
    degree = "bachelor"
    grade = 2022
    graduation_year = 2026
    politics = "league_member"
    hometown = factory.LazyFunction(lambda: region("440104"))
    consent_version = "2026-11"
    consented_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, id_number: str, emergency_contact=True, **kwargs):
        student = model_class(*args, **kwargs)
        id_number_set(student, id_number)  # with its digest and mask, as registration does
        student.save()
        if emergency_contact:  # confirming an offer needs one (issue 18)
            EmergencyContact.objects.create(
                student=student, name=f"{student.name}家长", relation="mother", phone="13800138000"
            )
        return student


def registration_form(university, **overrides) -> dict:
    """What a student from 广州市越秀区 types into /register/, every field valid (the rest of
    the profile is completed later: complete_profile)."""
    data = {
        "username": "xiaoming",
        "password": PASSWORD,
        "password2": PASSWORD,
        "name": "李小明",
        "id_number": valid_id_number(3),
        "phone": "13900139000",
        "university": university.name,  # typed, or chosen in the type-ahead
        "student_number": "20220001",
        "major": "汉语言文学",
        "grade": "2022",
        "hometown_province": "440000",
        "hometown_city": "440100",
        "hometown": "440104",
        "consent": "on",
    }
    return data | overrides
