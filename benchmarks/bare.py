"""The bare reference: Flask + Flask-SQLAlchemy, one join query, one template (gunicorn target).

    BENCH_DATABASE_URL=sqlite:////tmp/vt.sqlite3 gunicorn -w 2 benchmarks.bare:app

``GET /bare`` joins a group's meetings with their group and location over the benchmark's data
and renders them with ``render_template`` from ``templates/bare.html``, compiled once per
worker as any Flask page's template is; ``POST /bare`` stores one row. This is what a page
costs with nothing of the app around it: the floor the app's pages are compared with.
"""

import os

import sqlalchemy as sa
from flask import Flask, render_template, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

JOIN = sa.text(
    "select g.name, l.name as location, s.number, s.start_dt, s.status "
    "from group_sessions s join groups g on g.id = s.group_id "
    "join locations l on l.id = g.location_id "
    "where g.id between :first and :first + 3 order by s.start_dt"
)


class BareRow(db.Model):
    __tablename__ = "bench_bare_rows"

    id = db.Column(db.Integer, primary_key=True)
    value = db.Column(db.String(200))


def create_table(database_url: str) -> None:
    """The table of the bare POST; made once by the runner, before the workers start."""
    engine = sa.create_engine(database_url)
    BareRow.__table__.create(engine, checkfirst=True)
    engine.dispose()


def create_app() -> Flask:
    """The reference app on the database the benchmark generated."""
    # the template is a file (benchmarks/templates/bare.html), compiled on first use and then
    # cached, as the app's own are; render_template_string would compile it on every request
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["BENCH_DATABASE_URL"]
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            # a commit as durable as the app's (veiligthuis._configure_sqlite): a fair POST
            sa.event.listen(
                db.engine, "connect", lambda c, _r: c.execute("PRAGMA synchronous=FULL")
            )

    @app.get("/bare")
    def page():
        first = request.args.get("group", 1, type=int)
        rows = db.session.execute(JOIN, {"first": first}).mappings().all()
        return render_template("bare.html", rows=rows)

    @app.post("/bare")
    def post():
        db.session.add(BareRow(value=request.form.get("value", "")[:200]))
        db.session.commit()
        return "", 204

    return app


app = create_app() if "BENCH_DATABASE_URL" in os.environ else None
