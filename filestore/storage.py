"""Django's storage API over `StoredFile`: FileFields read and write uploads in the database.

Files are never served by URL: each is read through a view scoped to the user's role and
region (a plan's download, a case photo), so `url()` gives nothing to link to."""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class DatabaseStorage(Storage):
    def _open(self, name, mode="rb"):
        from filestore.models import StoredFile

        if any(flag in mode for flag in "wa+"):
            raise ValueError("stored files are written once, through save()")
        content = StoredFile.objects.filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(content), name=name)

    def _save(self, name, content):
        from filestore.models import StoredFile

        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        while True:
            try:
                # A savepoint: a name taken meanwhile must not spoil the caller's transaction.
                with transaction.atomic():
                    StoredFile.objects.create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:
                # Another upload took the name between exists() and here: never overwrite.
                name = self.get_available_name(name, max_length=255)

    def exists(self, name) -> bool:
        from filestore.models import StoredFile

        return StoredFile.objects.filter(name=name).exists()

    def delete(self, name) -> None:
        from filestore.models import StoredFile

        StoredFile.objects.filter(name=name).delete()

    def size(self, name) -> int:
        from filestore.models import StoredFile

        size = StoredFile.objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def get_created_time(self, name):
        from filestore.models import StoredFile

        created = StoredFile.objects.filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(name)
        return timezone.localtime(created) if timezone.is_aware(created) else created

    def listdir(self, path):
        from filestore.models import StoredFile

        prefix = f"{path.rstrip('/')}/" if path else ""
        directories, files = set(), []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list(
            "name", flat=True
        ):
            head, _, tail = name[len(prefix) :].partition("/")
            if tail:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), sorted(files)

    def url(self, name) -> str:
        return ""  # served only through scoped views
