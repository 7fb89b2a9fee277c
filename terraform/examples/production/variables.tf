variable "region" {
  type    = string
  default = "eu-central-1"
}

variable "environment" {
  description = "production, staging, ..."
  type        = string
  default     = "production"
}

variable "base_domain" {
  description = "The vendor's domain; towns live at <slug>.<base_domain>."
  type        = string
}

variable "zone_id" {
  description = "Route 53 hosted zone of base_domain."
  type        = string
}

variable "bucket_prefix" {
  description = "Globally unique prefix of the S3 buckets, e.g. the vendor's name."
  type        = string
}

variable "image_tag" {
  description = "Image tag in the ECR repository to run (one per build)."
  type        = string
}

variable "email_host" {
  type = string
}

variable "email_user" {
  type    = string
  default = ""
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}

variable "vpc_cidr_block" {
  type    = string
  default = "10.40.0.0/16"
}

variable "availability_zones" {
  description = "Zones of the deployment, named: a zone AWS adds later never moves anything."
  type        = list(string)
  default     = ["eu-central-1a", "eu-central-1b"]
}

variable "db_instance_class" {
  type    = string
  default = "db.m7g.large"
}

variable "db_backup_retention_days" {
  type    = number
  default = 14
}

variable "redis_node_type" {
  type    = string
  default = "cache.m7g.large"
}

variable "web_count" {
  type    = number
  default = 2
}

variable "worker_count" {
  type    = number
  default = 2
}

variable "archive_lock_mode" {
  type    = string
  default = "GOVERNANCE"
}

variable "archive_retention_days" {
  type    = number
  default = 3650
}
