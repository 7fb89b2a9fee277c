variable "name" {
  type = string
}

variable "environment_name" {
  description = "Shown in Sentry (SENTRY_ENVIRONMENT)."
  type        = string
  default     = "production"
}

variable "image_tag" {
  description = "The image tag to run (tags are immutable: one per build, e.g. the git commit)."
  type        = string
}

variable "base_domain" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr_block" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "alb_security_group_id" {
  type = string
}

variable "target_group_arn" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "secret_arn" {
  type = string
}

variable "secret_keys" {
  description = "Keys of the secret injected as environment variables."
  type        = list(string)
}

variable "bucket_arns" {
  type = list(string)
}

variable "files_bucket" {
  type = string
}

variable "private_bucket" {
  type = string
}

variable "log_group_names" {
  description = "CloudWatch log group per process (web, worker, beat, release)."
  type        = map(string)
}

variable "environment" {
  description = "Further plain environment variables (docs/operations.md), e.g. EMAIL_HOST."
  type        = map(string)
  default     = {}
}

variable "web_count" {
  type    = number
  default = 2
}

variable "worker_count" {
  type    = number
  default = 2
}

variable "web_cpu" {
  type    = number
  default = 1024
}

variable "web_memory" {
  type    = number
  default = 2048
}

variable "worker_cpu" {
  type    = number
  default = 1024
}

variable "worker_memory" {
  type    = number
  default = 2048
}
