from django.db import models  # noqa: F401  (the contact ledger arrives with its own issue)
