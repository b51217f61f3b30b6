output "emails" {
  description = "Service account email of each role: runtime, orchestrator, scheduler, ingest, release."
  value       = { for role, account in google_service_account.account : role => account.email }
}
