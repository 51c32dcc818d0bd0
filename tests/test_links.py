"""A list's links built once per page give what url_for gives, under any mount point."""

import pytest
from flask import url_for

from veiligthuis.web import link_maker


def test_a_link_maker_gives_what_url_for_gives(app):
    for script_root in ("", "/veiligthuis"):
        with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
            group_url = link_maker("groups.group_detail", "group_id")
            meeting_url = link_maker("sessions.session_page", "group_id", "number")
            for group_id, number in ((1, 1), (42, 12), (987654321, 7)):
                assert group_url(group_id) == url_for("groups.group_detail", group_id=group_id)
                assert meeting_url(group_id, number) == url_for(
                    "sessions.session_page", group_id=group_id, number=number
                )
            assert group_url(5).startswith(f"{script_root}/groepen/")


def test_a_link_takes_only_whole_numbers(app):
    with app.test_request_context("/"):
        group_url = link_maker("groups.group_detail", "group_id")
        # an id is never text pasted into the address
        for junk in ("1/../../beheer", "<script>"):
            with pytest.raises(ValueError):
                group_url(junk)
