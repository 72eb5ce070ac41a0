import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mhhs_gov.settings")

app = Celery("mhhs_gov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
