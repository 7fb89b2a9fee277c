"""A real S3 (moto's server) for the storage tests, and logging in as a person does."""

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.local_servers import free_port, local_server


@pytest.fixture(scope="package")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server, started for real on a free local port."""
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with local_server(command, port=port, name="moto's S3 server", **quiet):
        yield f"http://127.0.0.1:{port}"


def s3_options(endpoint: str) -> dict[str, str]:
    """The options of an S3 storage talking to moto at ``endpoint``."""
    return {
        "endpoint_url": endpoint,
        "region_name": "eu-central-1",
        "access_key": "test",
        "secret_key": "test",
    }


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-central-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def bucket_create(s3: Any, name: str) -> None:
    """Creates bucket ``name``, or empties it if an earlier test made it."""
    if name in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]:
        for item in s3.list_objects_v2(Bucket=name).get("Contents", []):
            s3.delete_object(Bucket=name, Key=item["Key"])
        return
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})


def bucket_keys(s3: Any, name: str) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=name).get("Contents", []))


def log_in(client: Client, email: str, password: str = PASSWORD) -> None:
    """Logs in through the town's login page, as a person would."""
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, "login failed"
