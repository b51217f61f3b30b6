output "runtime_email" {
  description = "Service account of the Spark driver and executors."
  value       = google_service_account.runtime.email
}

output "orchestrator_email" {
  description = "Service account of the nightly workflow."
  value       = google_service_account.orchestrator.email
}

output "scheduler_email" {
  description = "Service account of the Cloud Scheduler jobs."
  value       = google_service_account.scheduler.email
}

output "ingest_email" {
  description = "Service account that writes input files into landing."
  value       = google_service_account.ingest.email
}

output "release_email" {
  description = "Service account that uploads the jar."
  value       = google_service_account.release.email
}
