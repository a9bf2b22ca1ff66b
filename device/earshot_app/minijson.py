"""json.loads for ports built without the json module (ours: MicroPython's core
has no extmod). The official Pico firmware has json; app code calls loads() here,
which uses the real one when present."""
try:
    from json import loads as _builtin_loads
except ImportError:
    _builtin_loads = None

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_NUMBER_CHARS = "+-0123456789.eE"


class _Parser:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def fail(self, what):
        raise ValueError("invalid JSON at %d: %s" % (self.pos, what))

    def skip_space(self):
        text = self.text
        while self.pos < len(text) and text[self.pos] in " \t\r\n":
            self.pos += 1

    def value(self):
        self.skip_space()
        if self.pos >= len(self.text):
            self.fail("unexpected end")
        c = self.text[self.pos]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.array()
        if c == '"':
            return self.string()
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return val
        return self.number()

    def obj(self):
        self.pos += 1
        out = {}
        self.skip_space()
        if self.text[self.pos:self.pos + 1] == "}":
            self.pos += 1
            return out
        while True:
            self.skip_space()
            if self.text[self.pos:self.pos + 1] != '"':
                self.fail("expected a key")
            key = self.string()
            self.skip_space()
            if self.text[self.pos:self.pos + 1] != ":":
                self.fail("expected ':'")
            self.pos += 1
            out[key] = self.value()
            if self.end_of("}"):
                return out

    def array(self):
        self.pos += 1
        out = []
        self.skip_space()
        if self.text[self.pos:self.pos + 1] == "]":
            self.pos += 1
            return out
        while True:
            out.append(self.value())
            if self.end_of("]"):
                return out

    def end_of(self, closer):
        self.skip_space()
        c = self.text[self.pos:self.pos + 1]
        self.pos += 1
        if c == closer:
            return True
        if c != ",":
            self.fail("expected ',' or '%s'" % closer)
        return False

    def string(self):
        text = self.text
        self.pos += 1
        parts = []
        while True:
            if self.pos >= len(text):
                self.fail("unterminated string")
            c = text[self.pos]
            self.pos += 1
            if c == '"':
                return "".join(parts)
            if c == "\\":
                e = text[self.pos:self.pos + 1]
                self.pos += 1
                if e == "u":
                    parts.append(chr(int(text[self.pos:self.pos + 4], 16)))
                    self.pos += 4
                elif e in _ESCAPES:
                    parts.append(_ESCAPES[e])
                else:
                    self.fail("bad escape")
            else:
                parts.append(c)

    def number(self):
        start = self.pos
        text = self.text
        while self.pos < len(text) and text[self.pos] in _NUMBER_CHARS:
            self.pos += 1
        token = text[start:self.pos]
        if not token:
            self.fail("unexpected character")
        try:
            if "." in token or "e" in token or "E" in token:
                return float(token)
            return int(token)
        except ValueError:
            self.fail("bad number")


def parse(text):
    """The pure-Python parser, whatever the port has (tests compare it with json)."""
    parser = _Parser(text)
    out = parser.value()
    parser.skip_space()
    if parser.pos != len(text):
        parser.fail("trailing data")
    return out


def loads(text):
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = str(bytes(text), "utf-8")
    if _builtin_loads is not None:
        return _builtin_loads(text)
    return parse(text)
