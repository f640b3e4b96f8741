"""Django's password validators with their messages written here, in Chinese.

Django's own texts reach users only through its translation catalogue, which lags behind: 5.2
reworded the too-short message and shipped it untranslated ("This password is too short. It
must contain at least 10 characters."). The rules stay Django's; only the words are ours, so
every form that takes a new password (registration, password change, accounts opened by staff)
says the same thing, in Chinese, whatever the next Django release changes.
"""

from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少 %(min_length)d 个字符。") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return _("密码与%(verbose_name)s太相似。")

    def get_help_text(self) -> str:
        return _("密码不能与用户名等个人信息太相似。")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("这个密码太常见，容易被猜中。")

    def get_help_text(self) -> str:
        return _("密码不能是常见密码。")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("密码不能全部是数字。")

    def get_help_text(self) -> str:
        return _("密码不能全部是数字。")
