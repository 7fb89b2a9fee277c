# S3: the towns' public files, their private files (each town under its own prefix,
# written by the app: <schema>/... and private/<schema>/...), an archive bucket with
# Object Lock for offboarding archives and database exports, and the access logs of
# all three. Every bucket is private, versioned and encrypted with the KMS key.

locals {
  buckets = {
    files   = "${var.name}-files"
    private = "${var.name}-private"
    archive = "${var.name}-archive"
  }
}

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This is the access-log bucket itself; logging it into itself would loop.
  #checkov:skip=CKV_AWS_144:Single-region deployment by design; replicate when a state's rules ask for a second region.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new access-log objects; no event notifications needed.
  #checkov:skip=CKV_AWS_145:S3 server access logs and ALB access logs cannot be delivered to a bucket encrypted with SSE-KMS; it uses SSE-S3 (AES-256).
  bucket = "${var.name}-access-logs"
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Single-region deployment by design; replicate when a state's rules ask for a second region.
  #checkov:skip=CKV2_AWS_62:The application writes and reads these objects itself; nothing needs S3 event notifications.
  for_each            = local.buckets
  bucket              = each.value
  object_lock_enabled = each.key == "archive"
}

resource "aws_s3_bucket_object_lock_configuration" "archive" {
  bucket = aws_s3_bucket.this["archive"].id
  rule {
    default_retention {
      mode = var.archive_lock_mode
      days = var.archive_retention_days
    }
  }
}

resource "aws_s3_bucket_public_access_block" "all" {
  for_each                = merge(local.buckets, { logs = aws_s3_bucket.logs.bucket })
  bucket                  = each.key == "logs" ? aws_s3_bucket.logs.id : aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "all" {
  for_each = merge(local.buckets, { logs = aws_s3_bucket.logs.bucket })
  bucket   = each.key == "logs" ? aws_s3_bucket.logs.id : aws_s3_bucket.this[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "all" {
  for_each = merge(local.buckets, { logs = aws_s3_bucket.logs.bucket })
  bucket   = each.key == "logs" ? aws_s3_bucket.logs.id : aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

# S3 server access logs and load balancer logs are only delivered to SSE-S3 buckets.
resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_logging" "this" {
  for_each      = local.buckets
  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "${each.key}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.buckets
  bucket   = aws_s3_bucket.this[each.key].id
  rule {
    id     = "old-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire-access-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.access_log_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_elb_service_account" "this" {}

data "aws_iam_policy_document" "tls_only" {
  for_each = merge(local.buckets, { logs = aws_s3_bucket.logs.bucket })
  statement {
    sid     = "DenyPlainHttp"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [
      "arn:aws:s3:::${each.value}",
      "arn:aws:s3:::${each.value}/*",
    ]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  dynamic "statement" {
    for_each = each.key == "logs" ? [1] : []
    content {
      sid     = "LoadBalancerAccessLogs"
      actions = ["s3:PutObject"]
      principals {
        type        = "AWS"
        identifiers = [data.aws_elb_service_account.this.arn]
      }
      resources = ["arn:aws:s3:::${each.value}/alb/*"]
    }
  }
  dynamic "statement" {
    for_each = each.key == "logs" ? [1] : []
    content {
      sid     = "S3ServerAccessLogs"
      actions = ["s3:PutObject"]
      principals {
        type        = "Service"
        identifiers = ["logging.s3.amazonaws.com"]
      }
      resources = ["arn:aws:s3:::${each.value}/*"]
    }
  }
}

resource "aws_s3_bucket_policy" "all" {
  for_each = merge(local.buckets, { logs = aws_s3_bucket.logs.bucket })
  bucket   = each.key == "logs" ? aws_s3_bucket.logs.id : aws_s3_bucket.this[each.key].id
  policy   = data.aws_iam_policy_document.tls_only[each.key].json
}
