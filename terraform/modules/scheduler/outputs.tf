output "workflow_id" {
  description = "Full id of the nightly workflow (projects/.../workflows/...)."
  value       = google_workflows_workflow.nightly.id
}

output "workflow_name" {
  description = "Short name of the nightly workflow, for `gcloud workflows run`."
  value       = google_workflows_workflow.nightly.name
}

output "scheduler_jobs" {
  description = "Cloud Scheduler job of each domain."
  value       = { for d, job in google_cloud_scheduler_job.nightly : d => job.name }
}
