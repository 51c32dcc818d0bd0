"""The methodiek's staff preview of a question set shows the faces as a participant's form
does: drawn, and mirrored on a reverse-coded item, so an editor sees what she will see."""

import re

from tests.conftest import login
from tests.evaluations.conftest import start_form
from tests.evaluations.test_views import FACE_FILLS, _faces, _page

FILL = re.compile(r'<circle cx="12" cy="12" r="10.5" fill="(#[0-9a-f]{6})"')


def _preview_faces(page: str, qid: str) -> list[int]:
    row = page.split(f"<code>{qid}</code>", 1)[1].split("</tr>", 1)[0]
    return [FACE_FILLS[f] for f in FILL.findall(row.split('class="faces"', 1)[1])]


def test_the_preview_faces_are_the_participant_faces(
    client, app, eval_group, open_round, make_user
):
    group = eval_group()
    round_, codes = open_round(group, "voor", count=3)
    start_form(client, codes[0])
    form = _page(client.get("/e/vragen"))
    editor = make_user("editor")
    staff = app.test_client()
    login(staff, editor)
    version_id = round_.question_set.version_id
    preview = staff.get(f"/methodiek/{version_id}/evaluatie/voor-na").get_data(as_text=True)
    scale_items = [q["id"] for q in round_.question_set.questions if q["type"] == "scale"]
    assert "pm1" in scale_items and "pm4" in scale_items
    for qid in scale_items:
        shown = _faces(form, qid)
        assert _preview_faces(preview, qid) == [shown[v] for v in sorted(shown)], qid
    # "I often feel helpless": strongly agreeing is the saddest face, as on her phone
    assert _preview_faces(preview, "pm5")[-1] == -2
    assert _preview_faces(preview, "pm4")[-1] == 2
