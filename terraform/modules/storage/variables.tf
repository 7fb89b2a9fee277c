variable "name" {
  description = "Bucket name prefix (S3 names are global: include the vendor's name)."
  type        = string
}

variable "kms_key_arn" {
  type = string
}

variable "archive_lock_mode" {
  description = "Object Lock mode of the archive bucket: GOVERNANCE (privileged users may delete) or COMPLIANCE (nobody may)."
  type        = string
  default     = "GOVERNANCE"
}

variable "archive_retention_days" {
  description = "Days an archived town (or database export) cannot be deleted or overwritten."
  type        = number
  default     = 3650
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted file stays restorable."
  type        = number
  default     = 90
}

variable "access_log_days" {
  type    = number
  default = 365
}
