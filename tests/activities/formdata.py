"""What a browser would post for a rendered form, before the user touches anything."""

from html.parser import HTMLParser


class _FormDefaults(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._first_option = {}

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind not in {"submit", "button", "file"}:
                self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._first_option.setdefault(self._select, attrs.get("value", ""))
            if "selected" in attrs:
                self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data.lstrip("\n")

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if self._select not in self.values:
                self._add(self._select, self._first_option.get(self._select, ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_defaults(html: str) -> dict[str, list[str]]:
    parser = _FormDefaults()
    parser.feed(html)
    parser.values.pop("q", None)
    return parser.values
