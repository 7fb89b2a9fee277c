variable "name" {
  type = string
}

variable "base_domain" {
  description = "The vendor's domain; towns live at <slug>.<base_domain>."
  type        = string
}

variable "zone_id" {
  description = "Route 53 hosted zone of base_domain (existing; DNSSEC and query logging are configured on the zone)."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr_block" {
  type = string
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "access_log_bucket" {
  description = "S3 bucket for the load balancer's access logs."
  type        = string
}

variable "kms_key_arn" {
  type = string
}

variable "log_retention_days" {
  type    = number
  default = 365
}
