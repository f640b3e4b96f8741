from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """An uploaded file's bytes (a plan, a case photo, a ledger import), kept in the database so
    that every web and worker host reads the same files with no shared disk, backups hold them,
    and a transaction that rolls back leaves no file behind. Sizes are capped by
    fanjiaxiang/uploads.py (20 MB by default)."""

    name = models.CharField(_("存储名"), max_length=255, unique=True)
    content = models.BinaryField(_("内容"))
    size = models.PositiveBigIntegerField(_("大小"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上传文件")
        verbose_name_plural = _("上传文件")

    def __str__(self) -> str:
        return self.name
