"""Named signals between areas (blinker, as Flask uses it), and template hooks.

An area that must react to another's change listens to a signal here instead of importing
that area: sessions sends ``attendance_recorded`` and support, listening, recomputes its
signals. A page that several areas fill renders ``{{ template_hook("name", ...) }}``; each
area connects a receiver for that name that returns HTML (or nothing), as Indico's
``template_hook`` does.
"""

from blinker import Namespace
from markupsafe import Markup

_signals = Namespace()

attendance_recorded = _signals.signal(
    "attendance-recorded",
    doc="Attendance of a group was saved (flushed, not committed). Sender: the group; "
    "kwargs: ``db_session``, ``actor``, ``participant_ids`` (whose marks changed). "
    "A receiver may return participant ids whose case workers should be told after commit.",
)

template_hook = _signals.signal(
    "template-hook",
    doc="A page asks for HTML to put at a named place. Sender: the hook's name; kwargs: "
    "what the page passes. A receiver returns markup, or None to add nothing.",
)


def render_template_hook(name: str, **kwargs) -> Markup:
    """The HTML every receiver of hook ``name`` returns, in the order they connected."""
    parts = [value for _receiver, value in template_hook.send(name, **kwargs) if value]
    return Markup("\n").join(parts)


def receivers_results(signal, sender, **kwargs) -> list:
    """What each receiver of ``signal`` returned, without the Nones."""
    return [value for _receiver, value in signal.send(sender, **kwargs) if value is not None]
