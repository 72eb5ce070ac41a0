"""Where stored files live (rendered documents, uploaded papers): the STORAGES of settings.

The filesystem under MEDIA_ROOT by default (the quick start, one machine). With `S3_BUCKET`
set, an S3-compatible object store (SeaweedFS, MinIO, AWS S3) that every web and worker
node reaches, through django-storages' S3 backend (boto3). Either way the app reads and
writes through Django's storage API only, so nothing else changes; `local` always names
the filesystem and `s3` the object store when configured, for `manage.py move_files`.

Files are private: nothing is served from the store's own address. Downloads are checked
by the app and streamed by it (core/storage.py), so the store need not be reachable from
the users' network.
"""

import os

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def object_store(
    *,
    bucket: str,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "us-east-1",
    addressing_style: str = "path",
    timeout: int = 10,
    max_attempts: int = 3,
    memory_bytes: int = 2621440,
) -> dict:
    """The STORAGES entry of an S3 bucket. Empty keys leave boto3 to find credentials
    (an instance role, AWS_* variables); an empty endpoint is AWS itself."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region,
            # SeaweedFS and MinIO answer at one address, the bucket in the path.
            "addressing_style": addressing_style,
            "signature_version": "s3v4",
            # Like the filesystem, never write over a stored file: a name in use gets a
            # suffix, so a stored version is never replaced.
            "file_overwrite": False,
            # A file read through the storage API spills to a temporary file past this
            # size rather than filling the worker's memory.
            "max_memory_size": memory_bytes,
            # A store that does not answer is reported within seconds (a clear error, the
            # render retried) rather than holding a web worker.
            "client_config": Config(
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={"max_attempts": max_attempts, "mode": "standard"},
            ),
        },
    }


def file_storages(environ=os.environ) -> dict:
    """The `default`, `local` and (when S3_BUCKET is set) `s3` entries of STORAGES."""
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return {"default": FILESYSTEM, "local": FILESYSTEM}
    s3 = object_store(
        bucket=bucket,
        endpoint_url=environ.get("S3_ENDPOINT_URL", ""),
        access_key=environ.get("S3_ACCESS_KEY_ID", ""),
        secret_key=environ.get("S3_SECRET_ACCESS_KEY", ""),
        region=environ.get("S3_REGION", "us-east-1"),
        addressing_style=environ.get("S3_ADDRESSING_STYLE", "path"),
        timeout=int(environ.get("S3_TIMEOUT", "10")),
        max_attempts=int(environ.get("S3_MAX_ATTEMPTS", "3")),
        memory_bytes=int(environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", "2621440")),
    )
    return {"default": s3, "local": FILESYSTEM, "s3": s3}
