variable "name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the processes' logs."
  type        = number
  default     = 365
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarms (each confirms by e-mail)."
  type        = list(string)
  default     = []
}

variable "alb_arn_suffix" {
  type = string
}

variable "target_group_arn_suffix" {
  type = string
}

variable "db_instance_id" {
  type = string
}

variable "redis_replication_group_id" {
  type = string
}

variable "cluster_name" {
  type = string
}
