# The application's secrets in Secrets Manager, one secret with one key per
# environment variable; ECS injects each key into the containers (never in the
# task definition's plain environment). Operators fill in the external ones
# (mail, Stripe, Sentry) with `aws secretsmanager put-secret-value`.

resource "random_password" "secret_key" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:Rotation means a new SECRET_KEY or database password for every running task; it is a planned step (docs/operations.md), not a Lambda on a timer.
  name_prefix             = "${var.name}/app-"
  description             = "Rathaus: environment variables that are secrets"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30
}

locals {
  redis = "rediss://:${urlencode(var.redis_auth_token)}@${var.redis_host}:6379"
  values = merge(
    {
      SECRET_KEY            = random_password.secret_key.result
      DATABASE_URL          = "postgres://rathaus:${urlencode(var.database_password)}@${var.database_host}:${var.database_port}/rathaus?sslmode=require"
      REDIS_URL             = "${local.redis}/0?ssl_cert_reqs=required"
      CELERY_BROKER_URL     = "${local.redis}/1?ssl_cert_reqs=required"
      CELERY_RESULT_BACKEND = "${local.redis}/2?ssl_cert_reqs=required"
    },
    var.external,
  )
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id     = aws_secretsmanager_secret.app.id
  secret_string = jsonencode(local.values)

  lifecycle {
    # Values an operator put in later (mail, Stripe, Sentry) are not reset by a plan.
    ignore_changes = [secret_string]
  }
}
