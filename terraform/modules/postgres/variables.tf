variable "name" {
  description = "Identifier of the database instance and prefix of its resources."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "The isolated data subnets (two zones at least, for Multi-AZ)."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect (the ECS tasks')."
  type        = list(string)
}

variable "kms_key_arn" {
  type = string
}

variable "password" {
  description = "Password of the rathaus role (kept in Secrets Manager by the secrets module)."
  type        = string
  sensitive   = true
}

variable "engine_version" {
  type    = string
  default = "15"
}

variable "instance_class" {
  type    = string
  default = "db.m7g.large"
}

variable "allocated_storage_gb" {
  type    = number
  default = 100
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling."
  type        = number
  default     = 1000
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14
}

variable "log_min_duration_ms" {
  type    = number
  default = 500
}
