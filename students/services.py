from django.db import transaction

from positions.models import Region
from students.models import University


@transaction.atomic
def university_create(*, province: Region, name: str, code: str) -> University:
    university = University(province=province, name=name.strip(), code=code.strip())
    university.full_clean()
    university.save()
    return university
