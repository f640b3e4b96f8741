"""Production settings with a cheaper password hash, for `benchmarks/rush.py --hash-iterations`
only: PBKDF2 at RUSH_HASH_ITERATIONS iterations instead of Django's 1,000,000, so that a rush of
sign-ins measures the rest of the portal on a small machine. Never deploy it."""

import os

from django.contrib.auth.hashers import PBKDF2PasswordHasher

from fanjiaxiang.settings import *  # noqa: F403


class RushPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = int(os.environ.get("RUSH_HASH_ITERATIONS", "10000"))


PASSWORD_HASHERS = ["benchmarks.rush_settings.RushPBKDF2PasswordHasher"]
