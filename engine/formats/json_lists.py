"""Reading a JSON document whose flat lists of numbers are left unread until asked for.

A ``.json`` weight file is almost all numbers, in lists that hold nothing else (a weight
row, a bias vector). :func:`scan` parses the document's structure - every object, key,
string and nested list, in the standard library's own pure-Python scanner - but leaves
each flat list (``[`` ... ``]`` with no bracket, brace or quote inside) as a
:class:`NumberList`: where it is in the text and how many items its commas say it has.
The reader then checks the declared architecture and each list's length first, and
parses a list's numbers only when the architecture expects that many; a row of twenty
million numbers where two are declared is refused by its comma count, unread. So the
time and memory of refusing a file are those of scanning its text once, not of making
every number a Python float.

Everything outside the flat lists counts against a budget (about one value per weight
row of the largest network there can be): a document of millions of ``null``, strings
or numbers in nested lists is refused when the budget runs out.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import math
import re

from .common import (
    MAX_JSON_BRACKETS,
    ModelFileError,
    _finite_float,
    _no_duplicates,
    _reject_constant,
    json_error,
)

_RUN = re.compile(r'[^\[\]{}"]{0,1048576}')  # a flat list's inside, 1M characters at a time
_BLANK = re.compile(r"\[\s*\]")
#: Values allowed outside the flat lists: one per weight row of the largest network, the
#: header and the layer objects (what MAX_JSON_BRACKETS allows for brackets), and a margin.
MAX_VALUES = MAX_JSON_BRACKETS + 1024


class NumberList:
    """A flat JSON list, ``text[start:end]``, not parsed yet. :meth:`count` is its item
    count by its commas (exact for valid JSON); :meth:`parse` reads it."""

    __slots__ = ("end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end

    def count(self) -> int:
        """How many items the list holds, counting its commas: 0 for ``[]``."""
        if _BLANK.fullmatch(self.text, self.start, self.end):
            return 0
        return self.text.count(",", self.start, self.end) + 1

    def parse(self, source: str) -> list:
        """The list's items; NaN, Infinity, numbers that overflow to infinity (1e999) and
        malformed JSON raise ModelFileError naming the line and column in the file."""
        text = self.text[self.start : self.end]
        try:
            items = json.loads(text, parse_constant=_reject_constant)
            if not math.isfinite(_total(items)):  # 1e999, or finite numbers summing to inf
                json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
            return items
        except json.JSONDecodeError as e:
            at = self.start + e.pos
            line = self.text.count("\n", 0, at) + 1
            column = at - self.text.rfind("\n", 0, at)
            raise ModelFileError(
                source, f"invalid JSON at line {line} column {column}: {e.msg}",
                kind="file.invalid_json_at", line=line, column=column, detail=e.msg,
            ) from None  # fmt: skip
        except ValueError as e:  # NaN/Infinity, or too many digits in an integer
            raise ModelFileError(source, f"invalid JSON: {e}") from None

    def __len__(self) -> int:
        """Its length in characters (not its item count)."""
        return self.end - self.start

    def __repr__(self) -> str:
        """How a message shows it: the text when short, else its length."""
        text = " ".join(self.text[self.start : min(self.end, self.start + 41)].split())
        return text if self.end - self.start <= 40 else f"a list of {self.count()}"


def _total(items: list) -> float:
    """The sum of a list of numbers (C speed): infinite when one is; 0 for other lists."""
    try:
        return float(sum(items))
    except (TypeError, OverflowError):
        return 0.0


class _Budget:
    def __init__(self, values: int) -> None:
        self.left = values

    def counted(self, scan_once):
        """``scan_once``, each call taken from the budget."""

        def scan(string: str, idx: int):
            self.left -= 1
            if self.left < 0:
                raise _OverBudget
            return scan_once(string, idx)

        return scan


class _OverBudget(Exception):
    pass


def _flat_end(s: str, i: int) -> int | None:
    """Where the list whose "[" is just before ``s[i]`` ends (after its "]") when it holds
    no bracket, brace or quote; else None. Matched 1M characters at a time, so that a
    100 MB list does not hold the GIL for the whole match."""
    while True:
        run = _RUN.match(s, i)
        i = run.end()
        if i - run.start() < 1048576:
            break
    return i + 1 if s.startswith("]", i) else None


def scan(text: str, source: str, max_values: int = MAX_VALUES) -> object:
    """The JSON document ``text`` with each flat list a :class:`NumberList`: no NaN or
    Infinity, no duplicate keys, bounded nesting and at most ``max_values`` values
    outside the flat lists. Errors are ModelFileError, as from
    :func:`engine.formats.common.loads_json`."""
    budget = _Budget(max_values)

    def parse_array(s_and_end, scan_once):
        s, end = s_and_end
        close = _flat_end(s, end)
        if close is not None:
            return NumberList(s, end - 1, close), close
        return json.decoder.JSONArray(s_and_end, budget.counted(scan_once))

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        return json.decoder.JSONObject(
            s_and_end, strict, budget.counted(scan_once), object_hook, object_pairs_hook, memo
        )

    decoder = json.JSONDecoder(
        parse_constant=_reject_constant,
        parse_float=_finite_float,
        object_pairs_hook=_no_duplicates,
    )
    decoder.parse_array = parse_array
    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        return decoder.decode(text)
    except _OverBudget:
        raise ModelFileError(
            source, f"not a model file: more than {max_values:,} values outside number lists"
        ) from None
    except (RecursionError, ValueError) as e:  # JSONDecodeError is a ValueError
        raise json_error(source, e) from None
