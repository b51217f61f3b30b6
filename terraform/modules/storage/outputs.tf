output "landing_bucket" {
  description = "Name of the landing bucket."
  value       = google_storage_bucket.versioned["landing"].name
}

output "processed_bucket" {
  description = "Name of the processed (outputs) bucket."
  value       = google_storage_bucket.versioned["processed"].name
}

output "archive_bucket" {
  description = "Name of the archive bucket."
  value       = google_storage_bucket.archive.name
}

output "dead_letter_bucket" {
  description = "Name of the dead-letter bucket."
  value       = google_storage_bucket.versioned["dead_letter"].name
}

output "bucket_urls" {
  description = "gs:// URL of each bucket, by role."
  value = {
    landing     = google_storage_bucket.versioned["landing"].url
    processed   = google_storage_bucket.versioned["processed"].url
    archive     = google_storage_bucket.archive.url
    dead_letter = google_storage_bucket.versioned["dead_letter"].url
  }
}
