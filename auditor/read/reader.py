"""What a reader is: one format's way from bytes to a :class:`auditor.layout.Layout`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from auditor.layout import Layout

HEAD_BYTES = 4096          # how much of a file a sniff sees


@dataclass(frozen=True)
class Reader:
    """One format's reader.

    ``format``: the format it reads — the layout format it produces (``pdf``, ``html``, ``text``,
    ``markdown``, ``docx`` …), or the container it opens for another reader (``doc``, ``mht``,
    ``json``: their layouts are ``docx`` and ``html``); ``engine``: its name where several
    readers serve one format (``pdfminer``, ``pdfium``), chosen by the settings' ``readers``
    mapping; ``version``: part of the extraction-cache key (change it when the reader's output
    changes).  ``sniff(head)``
    answers whether the first :data:`HEAD_BYTES` bytes are this format's (None: suffix only);
    ``available()`` whether its optional dependencies are installed (None: always).
    """
    format: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, str], Layout]
    sniff: Callable[[bytes], bool] | None = None
    engine: str = ""
    version: str = ""
    plugin: str = ""
    available: Callable[[], bool] | None = None   # False: its optional dependencies are missing

    def ready(self) -> bool:
        """Whether the reader can read now (a folder sweep lists the files of a reader whose
        extra is not installed as skipped; a file given by name gets the reader's own error)."""
        return self.available is None or bool(self.available())

    @property
    def name(self) -> str:
        return f"{self.format}:{self.engine}" if self.engine else self.format
