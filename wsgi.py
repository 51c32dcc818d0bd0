"""For gunicorn and friends: ``gunicorn wsgi:app``."""

from veiligthuis import create_app

app = create_app()
