"""The error the module raises for bad input: :class:`InputError`."""

import re

__all__ = ["InputError"]

_LOCATED = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$", re.S)
_UNLOCATED = re.compile(r"^(?P<file>[^\s:]+): (?P<key>[^\s:]+): (?P<message>.*)$", re.S)
_KEYED = re.compile(r"^(?P<key>[^\s:]+): (?P<message>.*)$", re.S)


class InputError(ValueError):
    """A user error in an input file (a scenario, a sweep, a preset policy).

    ``str(error)`` is the line the ``detsim`` tool prints,
    ``FILE:LINE:COL: KEY.PATH: message``. The parts are attributes:

    file
        the file (or the source name given to :meth:`Scenario.from_dict`).
    line, column
        where in it, counted from 1 (``None`` when the text has no position).
    key
        the dotted key path of the value at fault (``None`` when the error is
        not about one key, a YAML syntax error say).
    message
        what is wrong, in words.
    """

    def __init__(self, text):
        super().__init__(text)
        self.text = text
        self.file = None
        self.line = None
        self.column = None
        self.key = None
        self.message = text
        located = _LOCATED.match(text)
        if located:
            self.file = located["file"]
            self.line = int(located["line"])
            self.column = int(located["column"])
            rest = located["rest"]
            keyed = _KEYED.match(rest)
            if keyed:
                self.key = keyed["key"]
                self.message = keyed["message"]
            else:
                self.message = rest
        else:
            unlocated = _UNLOCATED.match(text)  # "FILE: KEY.PATH: message"
            if unlocated:
                self.file = unlocated["file"]
                self.key = unlocated["key"]
                self.message = unlocated["message"]

    def __str__(self):
        return self.text

    def __reduce__(self):
        return (type(self), (self.text,))
