"""Errors a user can act on.  Each carries its message in Chinese and English (``text``).

Readers and the parser raise :class:`InputError` (and subclasses); the CLI
and the sweep turn it into the ``error`` of that file's entry, never a
traceback.
"""
from __future__ import annotations


class AuditorError(Exception):
    """Base class: ``zh`` and ``en`` are the user-facing messages."""

    def __init__(self, zh: str, en: str | None = None):
        super().__init__(en or zh)
        self.zh = zh
        self.en = en or zh

    @property
    def text(self) -> dict:
        """The message in both languages (``{"zh", "en"}``): whoever shows it picks one."""
        return {"zh": self.zh, "en": self.en}


class InputError(AuditorError):
    """A file that cannot be read or is not a report."""

    kind = "unreadable"


class EmptyFile(InputError):
    kind = "empty"


class UnsupportedFormat(InputError):
    kind = "unsupported"


class ScannedPDF(InputError):
    kind = "scanned"


class EncryptedPDF(InputError):
    kind = "encrypted"


class CorruptFile(InputError):
    kind = "corrupt"


class NotAReport(InputError):
    kind = "not-a-report"


class EncryptedFile(InputError):
    """A password-protected document other than a PDF (a Word file)."""
    kind = "encrypted"


class WrongSuffix(InputError):
    """The file's content is another format than its name says (a ``.doc`` named ``.docx``)."""
    kind = "wrong-suffix"


class TooLarge(InputError):
    """A part that would decompress to more than the reader accepts (a zip bomb)."""
    kind = "too-large"


class MissingConverter(InputError):
    """The program needed to convert the file (LibreOffice) is not installed."""
    kind = "needs-converter"


class ConversionFailed(InputError):
    """The converter failed, crashed or ran out of time on this file."""
    kind = "conversion-failed"


class ConfigError(AuditorError):
    """A configuration or usage error: exit status 2."""


class OutputError(AuditorError):
    """An output that could not be written (a full disk, a read-only folder): exit status 2."""


class PluginCrash(Exception):
    """A plugin's reader or reporter raised something that is not an :class:`AuditorError`: a
    defect of the plugin, reported with its name (``what`` is e.g. ``reader pdf``)."""

    def __init__(self, what: str, plugin: str, exc: BaseException):
        self.what, self.plugin, self.exc = what, plugin or "builtin", exc
        super().__init__(f"{what} of plugin {self.plugin!r} failed: {type(exc).__name__}: {exc}")

    @property
    def text(self) -> dict:
        cause = f"{type(self.exc).__name__}: {self.exc}"
        return {"zh": f"插件“{self.plugin}”的{self.what}出错（{cause}）；这是插件的缺陷，请向其作者报告",
                "en": f"the {self.what} of plugin {self.plugin!r} failed ({cause}); this is a defect "
                      "of the plugin: report it to its author"}
