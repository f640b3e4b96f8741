from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role
from students.models import University


def universities_for_user(user) -> QuerySet[University]:
    """Provincial staff keep the register of their province's universities."""
    if user.role != Role.PROVINCE:
        raise Http404
    return University.objects.filter(province=user.region_id).select_related("province")
