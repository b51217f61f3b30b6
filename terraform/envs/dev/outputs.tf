output "buckets" {
  description = "gs:// URL of each storage bucket."
  value       = module.storage.bucket_urls
}

output "jar_uri" {
  description = "Upload pipelines/target/nightshift-spark.jar here."
  value       = module.spark.jar_uri
}

output "workflow" {
  description = "Name of the nightly workflow (gcloud workflows run <name> --location <region>)."
  value       = module.scheduler.workflow_name
}

output "scheduler_jobs" {
  description = "Cloud Scheduler job of each domain."
  value       = module.scheduler.scheduler_jobs
}

output "region" {
  description = "Region of the deployment."
  value       = var.region
}

output "service_accounts" {
  description = "Service account of each role."
  value       = module.iam.emails
}
