"""Views."""

from flask import Blueprint

bp = Blueprint("partners", __name__)
