output "repository_url" {
  description = "Push the image here (docker push <url>:<tag>)."
  value       = module.ecs.repository_url
}

output "cluster_name" {
  value = module.ecs.cluster_name
}

output "release_task_definition" {
  value = module.ecs.release_task_definition
}

output "private_subnet_ids" {
  value = module.network.private_subnet_ids
}

output "tasks_security_group_id" {
  value = module.ecs.tasks_security_group_id
}

output "archive_bucket" {
  value = module.storage.archive_bucket
}

output "load_balancer_dns_name" {
  value = module.alb.dns_name
}

output "secret_arn" {
  value = module.secrets.secret_arn
}
