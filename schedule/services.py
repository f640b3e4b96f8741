import calendar
import datetime

from django.db import transaction

from positions.models import Region
from schedule.models import ProgrammeYear, Season


@transaction.atomic
def programme_year_create(
    *, province: Region, year: int, quota_per_county: int = 50, max_preferences: int = 3
) -> ProgrammeYear:
    """A programme year on the Guangdong template: summer 7/1–8/31, winter next 1/1–end of Feb.

    Idempotent: asking again for the same province and year returns the existing one.
    """
    programme_year, created = ProgrammeYear.objects.get_or_create(
        province=province,
        year=year,
        defaults={"quota_per_county": quota_per_county, "max_preferences": max_preferences},
    )
    if created:
        february_ends = calendar.monthrange(year + 1, 2)[1]
        Season.objects.bulk_create(
            [
                Season(
                    programme_year=programme_year,
                    kind=Season.Kind.SUMMER,
                    practice_starts=datetime.date(year, 7, 1),
                    practice_ends=datetime.date(year, 8, 31),
                ),
                Season(
                    programme_year=programme_year,
                    kind=Season.Kind.WINTER,
                    practice_starts=datetime.date(year + 1, 1, 1),
                    practice_ends=datetime.date(year + 1, 2, february_ends),
                ),
            ]
        )
    return programme_year
