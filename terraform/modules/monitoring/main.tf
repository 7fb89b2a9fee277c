# Logs of every process and the alarms an operator is woken for, sent to one SNS
# topic (subscribe the on-call address or a pager to it).

data "aws_region" "current" {}

resource "aws_cloudwatch_log_group" "process" {
  for_each          = toset(["web", "worker", "beat", "release"])
  name              = "/rathaus/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  alarms = {
    web-5xx = {
      description = "The load balancer answered 5xx more than 20 times in 5 minutes"
      namespace   = "AWS/ApplicationELB"
      metric      = "HTTPCode_ELB_5XX_Count"
      statistic   = "Sum"
      comparison  = "GreaterThanThreshold"
      threshold   = 20
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
    }
    app-5xx = {
      description = "The web tasks answered 5xx more than 20 times in 5 minutes"
      namespace   = "AWS/ApplicationELB"
      metric      = "HTTPCode_Target_5XX_Count"
      statistic   = "Sum"
      comparison  = "GreaterThanThreshold"
      threshold   = 20
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
    }
    web-slow = {
      description = "Median response time above one second"
      namespace   = "AWS/ApplicationELB"
      metric      = "TargetResponseTime"
      statistic   = "Average"
      comparison  = "GreaterThanThreshold"
      threshold   = 1
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
    }
    web-unhealthy = {
      description = "A web task fails /healthz (database, Redis or every worker down)"
      namespace   = "AWS/ApplicationELB"
      metric      = "UnHealthyHostCount"
      statistic   = "Maximum"
      comparison  = "GreaterThanThreshold"
      threshold   = 0
      dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
    }
    postgres-cpu = {
      description = "PostgreSQL CPU above 80 %"
      namespace   = "AWS/RDS"
      metric      = "CPUUtilization"
      statistic   = "Average"
      comparison  = "GreaterThanThreshold"
      threshold   = 80
      dimensions  = { DBInstanceIdentifier = var.db_instance_id }
    }
    postgres-storage = {
      description = "PostgreSQL has less than 10 GB of free storage"
      namespace   = "AWS/RDS"
      metric      = "FreeStorageSpace"
      statistic   = "Minimum"
      comparison  = "LessThanThreshold"
      threshold   = 10 * 1024 * 1024 * 1024
      dimensions  = { DBInstanceIdentifier = var.db_instance_id }
    }
    postgres-connections = {
      description = "More than 400 connections to PostgreSQL"
      namespace   = "AWS/RDS"
      metric      = "DatabaseConnections"
      statistic   = "Maximum"
      comparison  = "GreaterThanThreshold"
      threshold   = 400
      dimensions  = { DBInstanceIdentifier = var.db_instance_id }
    }
    redis-memory = {
      description = "Redis memory above 80 % (broker queue backing up?)"
      namespace   = "AWS/ElastiCache"
      metric      = "DatabaseMemoryUsagePercentage"
      statistic   = "Maximum"
      comparison  = "GreaterThanThreshold"
      threshold   = 80
      dimensions  = { ReplicationGroupId = var.redis_replication_group_id }
    }
    worker-missing = {
      description = "No Celery worker task is running"
      namespace   = "ECS/ContainerInsights"
      metric      = "RunningTaskCount"
      statistic   = "Minimum"
      comparison  = "LessThanThreshold"
      threshold   = 1
      dimensions  = { ClusterName = var.cluster_name, ServiceName = "worker" }
    }
    beat-missing = {
      description = "The beat task is not running: no periodic work in any town"
      namespace   = "ECS/ContainerInsights"
      metric      = "RunningTaskCount"
      statistic   = "Minimum"
      comparison  = "LessThanThreshold"
      threshold   = 1
      dimensions  = { ClusterName = var.cluster_name, ServiceName = "beat" }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each            = local.alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  statistic           = each.value.statistic
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  dimensions          = each.value.dimensions
  period              = 300
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# Application errors that never reach Sentry (it may be off) still wake someone.
resource "aws_cloudwatch_log_metric_filter" "errors" {
  for_each       = toset(["web", "worker"])
  name           = "${var.name}-${each.key}-errors"
  log_group_name = aws_cloudwatch_log_group.process[each.key].name
  pattern        = "\" ERROR \""
  metric_transformation {
    name      = "${each.key}-errors"
    namespace = "Rathaus/${var.name}"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  for_each            = aws_cloudwatch_log_metric_filter.errors
  alarm_name          = "${var.name}-${each.key}-errors"
  alarm_description   = "More than 10 ERROR log lines in 5 minutes (${each.key})"
  namespace           = "Rathaus/${var.name}"
  metric_name         = "${each.key}-errors"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  period              = 300
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
