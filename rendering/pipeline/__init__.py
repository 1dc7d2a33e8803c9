"""The render pipeline: plan → compile → execute → publish.

Nothing in this package imports Django or our apps, so the same code serves the Celery task and
the ``render_memory`` command line, and the hard parts are testable without a database.
"""
