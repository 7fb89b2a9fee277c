output "files_bucket" {
  value = aws_s3_bucket.this["files"].bucket
}

output "private_bucket" {
  value = aws_s3_bucket.this["private"].bucket
}

output "archive_bucket" {
  value = aws_s3_bucket.this["archive"].bucket
}

output "bucket_arns" {
  value = [for bucket in aws_s3_bucket.this : bucket.arn]
}

output "access_log_bucket" {
  value = aws_s3_bucket.logs.bucket
}
