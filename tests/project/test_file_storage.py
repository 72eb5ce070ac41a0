"""Where stored files go (mhhs_gov/file_storage.py): the filesystem by default, the S3
object store once S3_BUCKET is set, and in docker-compose.yml the S3 service that web,
worker and beat share."""

import yaml
from django.conf import settings

from mhhs_gov.file_storage import file_storages

from .test_settings_deploy import BASE_DIR, compose_defaults

S3 = "storages.backends.s3.S3Storage"


def test_the_quick_start_stores_files_on_the_filesystem():
    storages = file_storages({})
    assert set(storages) == {"default", "local"}  # no object store to move files to
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_s3_bucket_switches_to_the_object_store_which_never_overwrites_a_file():
    storages = file_storages(
        {
            "S3_BUCKET": "documents",
            "S3_ENDPOINT_URL": "http://store:8333",
            "S3_ACCESS_KEY_ID": "id",
            "S3_SECRET_ACCESS_KEY": "secret",
            "S3_TIMEOUT": "4",
        }
    )
    assert storages["default"] is storages["s3"] and storages["s3"]["BACKEND"] == S3
    assert storages["local"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    options = storages["s3"]["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("documents", "http://store:8333")
    assert (options["access_key"], options["secret_key"]) == ("id", "secret")
    assert options["file_overwrite"] is False and options["addressing_style"] == "path"
    assert options["client_config"].connect_timeout == 4


def test_settings_take_the_storages_and_keep_static_files_apart():
    assert set(settings.STORAGES) >= {"default", "local", "staticfiles"}


def test_docker_compose_web_worker_and_beat_share_its_s3_service():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    storages = file_storages(compose_defaults())
    assert storages["default"]["BACKEND"] == S3
    options = storages["default"]["OPTIONS"]
    assert options["endpoint_url"] == "http://s3:8333" and options["bucket_name"]
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["S3_BUCKET"] == "${S3_BUCKET:-mhhs-documents}"
    assert "s3" in services and "-s3" in services["s3"]["command"][0]
    assert services["migrate"]["depends_on"]["s3"] == {"condition": "service_healthy"}
