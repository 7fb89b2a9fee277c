variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "client_security_group_ids" {
  type = list(string)
}

variable "kms_key_arn" {
  type = string
}

variable "auth_token" {
  description = "Redis AUTH token (16 to 128 characters; kept in Secrets Manager)."
  type        = string
  sensitive   = true
}

variable "engine_version" {
  type    = string
  default = "7.1"
}

variable "node_type" {
  type    = string
  default = "cache.m7g.large"
}

variable "log_retention_days" {
  type    = number
  default = 365
}
