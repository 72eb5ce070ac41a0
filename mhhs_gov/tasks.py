from celery import shared_task
from django.db import connection


@shared_task
def ping():
    """Answers "pong" after a database query: proves a worker takes tasks from the broker,
    reaches the database and returns results.

    `celery -A mhhs_gov call mhhs_gov.tasks.ping` checks a deployed worker by hand.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "pong"
