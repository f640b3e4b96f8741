"""The contact ledger as a spreadsheet, in the import's format (`ledger.excel.COLUMNS`): a file
written here re-imports as is with `import_ledger` or the upload page."""

from django.utils.translation import gettext_lazy as _

from accounts.validators import mask_email, mask_in_text, mask_phone, mask_text
from fanjiaxiang.exporters import ListExporter
from ledger import selectors
from ledger.excel import COLUMNS
from ledger.forms import EntryFilterForm
from ledger.models import Entry, Intention, Source
from positions.models import Region
from students.models import Student

WIDTHS = (10, 10, 21, 14, 22, 14, 20, 16, 10, 10, 18, 10, 16, 24, 13)


class LedgerExporter(ListExporter):
    """The entries the user may read, with the list's filters (`query`, the list page's GET).
    County staff get ID numbers and phones in full (the file re-imports); city and provincial
    staff get them masked. Streamed from the database in chunks and into the file row by row,
    so memory stays flat for any number of rows (100,000 in seconds)."""

    name = _("联系台账")
    headers = tuple(header for _name, header in COLUMNS)
    widths = WIDTHS
    streaming_xlsx = True

    def __init__(self, user, *, query=None):
        super().__init__(user)
        self.county = None
        self.masked = False
        self.form = None
        if user is not None:
            # Refused here, not half-way through a streamed CSV.
            selectors.require_ledger_reader(user)
            self.masked = not selectors.sees_in_full(user)
            self.form = EntryFilterForm(query, user=user) if query else None

    @classmethod
    def unscoped(cls, *, county: Region | None = None) -> "LedgerExporter":
        """For the command line, run by the operator: every county, or one; written in full."""
        exporter = cls(None)
        exporter.county = county
        return exporter

    def entries(self):
        if self.user is None:
            entries = Entry.objects.all()
            return entries.filter(county=self.county) if self.county is not None else entries
        entries = selectors.entries_for_user(self.user)
        return self.form.filter(entries) if self.form is not None else entries

    def audit_details(self) -> dict:
        if self.user is None:
            return {}  # the command's record has always been the rows alone
        return {"masked": self.masked, "filters": self.form.described() if self.form else {}}

    def rows(self):
        masked = self.masked
        codes = dict(Region.objects.filter(level=Region.Level.COUNTY).values_list("id", "code"))
        labels = {
            name: {value: str(label) for value, label in choices}
            for name, choices in (
                ("degree", Student.Degree.choices),
                ("source", Source.choices),
                ("intention", Intention.choices),
            )
        }
        columns = (
            "county_id", "name", "id_number_masked" if masked else "id_number", "phone", "email",
            "wechat", "university", "major", "degree", "graduation_year", "source", "intention",
            "tags", "notes", "last_contact",
        )  # fmt: skip
        # Tuples, not model instances: a third of the export's time went on building objects.
        values = self.entries().order_by("county_id", "pk").values_list(*columns)
        for row in values.iterator(chunk_size=2000):
            (county, name, id_number, phone, email, wechat, university, major, degree,
             year, source, intention, tags, notes, last_contact) = row  # fmt: skip
            yield [
                codes.get(county, ""),
                name,
                id_number or "",
                mask_phone(phone) if masked else phone,
                mask_email(email) if masked else email,
                mask_text(wechat) if masked else wechat,
                university,
                major,
                labels["degree"].get(degree, ""),
                year,
                labels["source"].get(source, ""),
                labels["intention"].get(intention, ""),
                tags,
                mask_in_text(notes) if masked else notes,
                last_contact,
            ]
