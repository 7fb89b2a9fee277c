output "cluster_name" {
  value = aws_ecs_cluster.this.name
}

output "repository_url" {
  value = aws_ecr_repository.this.repository_url
}

output "tasks_security_group_id" {
  value = aws_security_group.tasks.id
}

output "release_task_definition" {
  description = "Run once per deploy, before the services move on (docs/operations.md)."
  value       = aws_ecs_task_definition.this["release"].arn
}

output "service_names" {
  value = [aws_ecs_service.web.name, aws_ecs_service.worker.name, aws_ecs_service.beat.name]
}
