# One Rathaus deployment on AWS: every module wired together. Copy this folder,
# fill in terraform.tfvars (see terraform.tfvars.example), then follow
# docs/operations.md ("AWS").

data "aws_caller_identity" "current" {}

locals {
  name = "rathaus-${var.environment}"
}

# One customer-managed key for everything at rest (RDS, Redis, S3, logs, secrets,
# the image repository, the alarm topic), rotated yearly by AWS.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" is the key itself; this is AWS's default statement giving the account (its IAM policies) control of the key.
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" is the key itself, not every resource.
  #checkov:skip=CKV_AWS_109:A key policy's resource "*" is the key itself; without the account statement the key could become unmanageable.
  statement {
    sid       = "Account"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid = "CloudWatchLogs"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${var.region}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Rathaus ${var.environment}: data at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "random_password" "database" {
  length  = 40
  special = false
}

resource "random_password" "redis" {
  length  = 64
  special = false
}

module "network" {
  source      = "../../modules/network"
  name        = local.name
  cidr_block  = var.vpc_cidr_block
  azs         = var.availability_zones
  kms_key_arn = aws_kms_key.this.arn
}

module "storage" {
  source                 = "../../modules/storage"
  name                   = "${var.bucket_prefix}-${var.environment}"
  kms_key_arn            = aws_kms_key.this.arn
  archive_lock_mode      = var.archive_lock_mode
  archive_retention_days = var.archive_retention_days
}

module "postgres" {
  source                    = "../../modules/postgres"
  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = [module.ecs.tasks_security_group_id]
  kms_key_arn               = aws_kms_key.this.arn
  password                  = random_password.database.result
  instance_class            = var.db_instance_class
  backup_retention_days     = var.db_backup_retention_days
}

module "redis" {
  source                    = "../../modules/redis"
  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = [module.ecs.tasks_security_group_id]
  kms_key_arn               = aws_kms_key.this.arn
  auth_token                = random_password.redis.result
  node_type                 = var.redis_node_type
}

module "secrets" {
  source            = "../../modules/secrets"
  name              = local.name
  kms_key_arn       = aws_kms_key.this.arn
  database_host     = module.postgres.address
  database_port     = module.postgres.port
  database_password = random_password.database.result
  redis_host        = module.redis.primary_endpoint
  redis_auth_token  = random_password.redis.result
  # Placeholders: set the real values in Secrets Manager (docs/operations.md).
  external = {
    EMAIL_HOST_PASSWORD = "set-me"
    STRIPE_API_KEY      = "set-me"
    SENTRY_DSN          = ""
  }
}

module "alb" {
  source            = "../../modules/alb"
  name              = local.name
  base_domain       = var.base_domain
  zone_id           = var.zone_id
  vpc_id            = module.network.vpc_id
  vpc_cidr_block    = module.network.vpc_cidr_block
  public_subnet_ids = module.network.public_subnet_ids
  access_log_bucket = module.storage.access_log_bucket
  kms_key_arn       = aws_kms_key.this.arn
}

module "monitoring" {
  source                     = "../../modules/monitoring"
  name                       = local.name
  kms_key_arn                = aws_kms_key.this.arn
  alarm_emails               = var.alarm_emails
  alb_arn_suffix             = module.alb.arn_suffix
  target_group_arn_suffix    = module.alb.target_group_arn_suffix
  db_instance_id             = module.postgres.instance_id
  redis_replication_group_id = module.redis.replication_group_id
  cluster_name               = module.ecs.cluster_name
}

module "ecs" {
  source                = "../../modules/ecs"
  name                  = local.name
  environment_name      = var.environment
  image_tag             = var.image_tag
  base_domain           = var.base_domain
  vpc_id                = module.network.vpc_id
  vpc_cidr_block        = module.network.vpc_cidr_block
  private_subnet_ids    = module.network.private_subnet_ids
  alb_security_group_id = module.alb.security_group_id
  target_group_arn      = module.alb.target_group_arn
  kms_key_arn           = aws_kms_key.this.arn
  secret_arn            = module.secrets.secret_arn
  secret_keys           = module.secrets.keys
  bucket_arns           = module.storage.bucket_arns
  files_bucket          = module.storage.files_bucket
  private_bucket        = module.storage.private_bucket
  log_group_names       = module.monitoring.log_group_names
  web_count             = var.web_count
  worker_count          = var.worker_count
  environment = {
    EMAIL_HOST         = var.email_host
    EMAIL_PORT         = "587"
    EMAIL_USE_TLS      = "true"
    EMAIL_HOST_USER    = var.email_user
    DEFAULT_FROM_EMAIL = "noreply@${var.base_domain}"
    # The Django app keeps short-lived connections: PostgreSQL is reached directly
    # (no PgBouncer on AWS by default); see docs/operations.md for when to add one.
    DATABASE_CONN_MAX_AGE = "60"
  }
}
