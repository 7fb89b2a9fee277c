"""infra/compose.yaml is a valid Compose file that runs the one-host installation.

Validated by Docker Compose itself (`docker compose config`, or Debian's
`docker-compose`, which the set-up installs where the docker CLI has no compose
plugin); neither needs a Docker daemon for this, and no image is pulled or built.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

COMPOSE_FILE = ROOT / "infra" / "compose.yaml"
REQUIRED = {
    "SECRET_KEY": "k" * 60,
    "BASE_DOMAIN": "rathaus.example",
    "POSTGRES_PASSWORD": "postgres-secret",
    "MINIO_ROOT_PASSWORD": "minio-secret",
    "EMAIL_HOST": "smtp.rathaus.example",
}


def _compose() -> list[str]:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy]
    pytest.skip(
        "Docker Compose is not installed (neither `docker compose` nor `docker-compose`): "
        "`make test` installs Debian's docker-compose; without it infra/compose.yaml is not checked"
    )


def _config(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in REQUIRED}
    # An empty env file: an operator's infra/.env must not decide what the test sees.
    empty = tmp_path / "empty.env"
    empty.write_text("")
    command = [*_compose(), "--project-directory", str(COMPOSE_FILE.parent)]
    command += ["--env-file", str(empty), "-f", str(COMPOSE_FILE), "config"]
    return subprocess.run(
        command,
        env={**environment, **env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_compose_file_validates_and_runs_every_part(tmp_path: Path) -> None:
    result = _config(tmp_path, **REQUIRED)

    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {"web", "worker", "beat", "release", "postgres", "redis", "minio"} <= set(services)
    # Migrations run once, before any process of the new version serves or works.
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["release"]["condition"] == (
            "service_completed_successfully"
        )
    assert services["release"]["command"] == ["python", "manage.py", "migrate_all"]
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    web = services["web"]["environment"]
    assert web["DJANGO_SETTINGS_MODULE"] == "rathaus.config.settings.production"
    assert web["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert web["DATABASE_URL"] == "postgres://rathaus:postgres-secret@postgres:5432/rathaus"


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_the_compose_file_refuses_to_run_without_its_secrets(tmp_path: Path, missing: str) -> None:
    result = _config(tmp_path, **{k: v for k, v in REQUIRED.items() if k != missing})

    assert result.returncode != 0
    assert missing in result.stderr
