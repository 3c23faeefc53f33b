"""A sentence kept as data until someone reads it: its key in a catalogue, its
Vietnamese, and the values it fills in.

The core knows what went wrong but not who reads it: the IT person at a terminal, a
leader on a page in English. So it says a ``Phrase``, and the edge words it in the
reader's language (``shared.languages``) by handing ``words`` a look-up from (key,
Vietnamese) to the reader's text. Read as it is, a phrase is Vietnamese.

Pure: the standard library only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

# (key, Vietnamese) → the same words in the reader's language (a catalogue's look-up).
Lookup = Callable[[str, str], str]


def as_written(key: str, vietnamese: str) -> str:
    """The look-up of a Vietnamese reader."""
    return vietnamese


@dataclass(frozen=True)
class Phrase:
    """Words with ``{places}`` to fill; a value may itself be a phrase (``must be
    {expected}``), worded in the same language. An empty key marks words that are in
    no catalogue (a message from elsewhere), always said as written."""

    key: str
    vietnamese: str
    values: tuple[tuple[str, object], ...] = ()

    def words(self, lookup: Lookup = as_written) -> str:
        text = lookup(self.key, self.vietnamese) if self.key else self.vietnamese
        if not self.values:  # as the catalogues do: braces are filled only with values
            return text
        filled = {name: value.words(lookup) if isinstance(value, Phrase) else value
                  for name, value in self.values}
        try:
            return text.format(**filled)
        except (KeyError, IndexError, ValueError, AttributeError):  # a catalogue's slip
            log.warning("the words of %r cannot be filled in; said in Vietnamese", self.key)
            return self.vietnamese.format(**filled)

    def __str__(self) -> str:
        return self.words()


def plain(text: str, **values: object) -> Phrase:
    """Words that are in no catalogue, with phrases to fill in (``{kind} ({shown})``)."""
    return Phrase("", text, tuple(values.items()))


def phrasebook(texts: Mapping[str, str]) -> Callable[..., Phrase]:
    """``said(key, **values)``: the phrase ``key`` of ``texts``, with its values."""

    def said(key: str, /, **values: object) -> Phrase:
        return Phrase(key, texts[key], tuple(values.items()))

    return said
