"""A page's form as a browser would send it, read with the standard library's HTML parser."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value") or "on"
            else:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first_option = name, True
        elif tag == "option" and self._select:
            # the first option stands until one is marked selected
            if self._first_option or "selected" in attrs:
                self.fields[self._select] = attrs.get("value") or ""
            self._first_option = False
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # one line break right after the tag is not part of the text
            text = self.fields[self._textarea]
            self.fields[self._textarea] = text.removeprefix("\r").removeprefix("\n")
            self._textarea = None


def form_fields(page: str, marker: str = '<form method="post"') -> dict[str, str]:
    """The fields of the first form that starts with ``marker``: hidden and text inputs, ticked
    boxes, the selected option of each select and the text of each textarea."""
    form = marker + page.split(marker, 1)[1].split("</form>", 1)[0]
    parser = _Form()
    parser.feed(form)
    parser.close()
    return parser.fields


def forms_side_by_side(app, url: str, *users) -> tuple[list, list[dict[str, str]]]:
    """A client per user, each logged in and with the form at ``url`` opened before anyone
    saved: (clients, their forms as each browser would send them)."""
    from tests.conftest import login

    clients = [app.test_client() for _ in users]
    for client, user in zip(clients, users, strict=True):
        login(client, user)
    return clients, [form_fields(c.get(url).get_data(as_text=True)) for c in clients]
