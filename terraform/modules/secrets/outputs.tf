output "secret_arn" {
  value = aws_secretsmanager_secret.app.arn
}

output "keys" {
  description = "The variable names stored in the secret (for the ECS task definitions)."
  value       = nonsensitive(sort(keys(local.values)))
}
