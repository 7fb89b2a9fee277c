"""terraform/ parses (python-hcl2), says what docs/operations.md promises, and passes checkov.

`terraform validate` would need the AWS provider, which cannot be downloaded here;
checkov reads the same files without it. checkov lives in its own environment
(.venv-tools, made by infra/scripts/install-tools.sh) because its pinned
dependencies conflict with the project's lock file.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.conftest import ROOT

TERRAFORM = ROOT / "terraform"
TF_FILES = sorted(TERRAFORM.rglob("*.tf"))
CHECKOV = ROOT / ".venv-tools" / "bin" / "checkov"
SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?")


def _plain(value: Any) -> Any:
    """python-hcl2 keeps HCL's quotes around keys and strings: drop them."""
    if isinstance(value, dict):
        return {str(key).strip('"'): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _resources(module: str) -> dict[str, dict[str, Any]]:
    """``{"<type>.<name>": body}`` of the resources in one module."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((TERRAFORM / "modules" / module).glob("*.tf")):
        for block in _plain(hcl2.load(path.open())).get("resource", []):
            for kind, named in block.items():
                for name, body in named.items():
                    found[f"{kind}.{name}"] = body
    return found


def test_there_is_terraform_to_check() -> None:
    assert len(TF_FILES) >= 30
    assert (TERRAFORM / "examples" / "production" / "main.tf") in TF_FILES


@pytest.mark.parametrize("path", TF_FILES, ids=[str(p.relative_to(TERRAFORM)) for p in TF_FILES])
def test_every_terraform_file_parses(path: Path) -> None:
    with path.open() as source:
        parsed = hcl2.load(source)

    assert parsed, f"{path} is empty"


def test_every_module_the_example_uses_exists() -> None:
    root = _plain(hcl2.load((TERRAFORM / "examples" / "production" / "main.tf").open()))
    sources = {name: body["source"] for block in root["module"] for name, body in block.items()}

    assert set(sources) == {
        "network", "storage", "postgres", "redis", "secrets", "alb", "monitoring", "ecs"
    }  # fmt: skip
    for source in sources.values():
        assert (TERRAFORM / "examples" / "production" / source / "main.tf").exists(), source


def test_postgres_is_multi_az_encrypted_backed_up_and_tls_only() -> None:
    resources = _resources("postgres")
    database = resources["aws_db_instance.this"]
    parameters = {
        item["name"]: item["value"]
        for item in resources["aws_db_parameter_group.this"]["parameter"]
    }

    assert database["engine"] == "postgres"
    assert database["multi_az"] is True
    assert database["storage_encrypted"] is True
    assert database["publicly_accessible"] is False
    assert database["deletion_protection"] is True
    assert "backup_retention_period" in database
    assert parameters["rds.force_ssl"] == "1"


def test_redis_speaks_tls_only() -> None:
    group = _resources("redis")["aws_elasticache_replication_group.this"]

    assert group["transit_encryption_enabled"] is True
    assert group["at_rest_encryption_enabled"] is True
    assert group["automatic_failover_enabled"] is True


def test_the_archive_bucket_is_locked_and_every_bucket_versioned_and_private() -> None:
    resources = _resources("storage")

    assert "aws_s3_bucket_object_lock_configuration.archive" in resources
    assert resources["aws_s3_bucket.this"]["object_lock_enabled"] == '${each.key == "archive"}'
    versioning = resources["aws_s3_bucket_versioning.all"]["versioning_configuration"]
    assert versioning[0]["status"] == "Enabled"
    block = resources["aws_s3_bucket_public_access_block.all"]
    assert all(block[key] is True for key in ("block_public_acls", "restrict_public_buckets"))


def test_every_town_subdomain_has_a_certificate_and_a_dns_record() -> None:
    resources = _resources("alb")

    certificate = resources["aws_acm_certificate.this"]
    assert certificate["subject_alternative_names"] == ["*.${var.base_domain}"]
    assert "*.${var.base_domain}" in resources["aws_route53_record.wildcard"]["for_each"]
    assert resources["aws_lb_listener.http"]["default_action"][0]["type"] == "redirect"
    assert resources["aws_lb_target_group.web"]["health_check"][0]["path"] == "/healthz"


def test_there_is_never_more_than_one_beat() -> None:
    beat = _resources("ecs")["aws_ecs_service.beat"]

    assert beat["desired_count"] == 1
    assert beat["deployment_maximum_percent"] == 100


def test_every_checkov_skip_gives_its_reason() -> None:
    for path in TF_FILES:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = SKIP_COMMENT.search(line)
            if match:
                reason = (match.group(2) or "").strip()
                where = f"{path}:{number}"
                assert len(reason) >= 20, f"{where}: {match.group(1)} is skipped without a reason"


def _checkov(*target: str, framework: str) -> dict[str, Any]:
    if not CHECKOV.exists():
        pytest.fail(f"checkov not found at {CHECKOV}: run `make test`, whose set-up installs it")
    result = subprocess.run(
        [
            str(CHECKOV),
            *target,
            "--framework",
            framework,
            "--output",
            "json",
            "--quiet",
            "--compact",
            # Offline: no policy download, no calls home.
            "--skip-download",
        ],
        cwd=ROOT,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.stdout.strip(), result.stderr[-2000:]
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    summary = {"passed": 0, "failed": 0, "skipped": 0}
    failures = []
    for part in reports:
        for key in summary:
            summary[key] += int(part.get("summary", {}).get(key, 0))
        failures += [
            f"{check['check_id']} {check['resource']} ({check['file_path']}:"
            f"{check['file_line_range'][0]}): {check['check_name']}"
            for check in part.get("results", {}).get("failed_checks", [])
        ]
    return {**summary, "failures": failures}


def test_checkov_finds_no_failed_check_in_the_terraform() -> None:
    outcome = _checkov("--directory", "terraform", framework="terraform")

    assert outcome["failures"] == [], "\n".join(outcome["failures"])
    assert outcome["passed"] > 200


def test_checkov_finds_no_failed_check_in_the_dockerfile() -> None:
    outcome = _checkov("--file", "infra/Dockerfile", framework="dockerfile")

    assert outcome["failures"] == [], "\n".join(outcome["failures"])
    assert outcome["passed"] > 0


def test_the_terraform_is_formatted_the_terraform_way() -> None:
    # `terraform fmt` needs no provider, unlike `validate`; the CLI is not always installed.
    binary = shutil.which("terraform") or shutil.which("tofu")
    if binary is None:
        pytest.skip("neither terraform nor tofu is installed: formatting not checked")
    result = subprocess.run(
        [binary, "fmt", "-check", "-recursive", "-list=true", str(TERRAFORM)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"},
    )

    assert result.returncode == 0, f"not formatted (run terraform fmt -recursive):\n{result.stdout}"
