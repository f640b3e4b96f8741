import pytest

from students import services
from tests.factories import StudentFactory


def offer_for(world, post=None, **student):
    """An offer of 越秀图书馆阅读推广员 (or `post`) to a student of 越秀区 at 中山大学, waiting
    to be confirmed."""
    fields = {"hometown": world.yuexiu, "university": world.university} | student
    application = services.application_submit(
        actor=None, student=StudentFactory(**fields), post=post or world.post_yx
    )
    return services.application_offer(actor=None, application=application)


def placement_for(world, post=None, **student):
    return services.offer_confirm(actor=None, application=offer_for(world, post, **student))


@pytest.fixture
def placement(world):
    return placement_for(world, name="越秀在岗生")
