variable "name" {
  description = "Name prefix of every resource, e.g. rathaus-production."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's address range; subnets are /24s carved from it."
  type        = string
  default     = "10.40.0.0/16"
}

variable "azs" {
  description = "Availability zones by name (at least 2: RDS Multi-AZ and the load balancer need them)."
  type        = list(string)
  validation {
    condition     = length(var.azs) >= 2
    error_message = "At least two availability zones."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, one zone's outage cuts outbound traffic)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "KMS key for the flow logs' log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the flow logs."
  type        = number
  default     = 365
}
