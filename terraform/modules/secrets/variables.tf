variable "name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "database_host" {
  type = string
}

variable "database_port" {
  type = number
}

variable "database_password" {
  type      = string
  sensitive = true
}

variable "redis_host" {
  type = string
}

variable "redis_auth_token" {
  type      = string
  sensitive = true
}

variable "external" {
  description = "Further secret variables (EMAIL_HOST_PASSWORD, STRIPE_API_KEY, SENTRY_DSN, ...); placeholders are fine, operators set the real values."
  type        = map(string)
  sensitive   = true
  default     = {}
}
