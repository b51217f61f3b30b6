output "artifacts_bucket" {
  description = "Bucket holding the spark-submit jar."
  value       = google_storage_bucket.artifacts.name
}

output "staging_bucket" {
  description = "Dataproc staging bucket of the batches."
  value       = google_storage_bucket.staging.name
}

output "jar_uri" {
  description = "Where the deployment guide uploads pipelines/target/nightshift-spark.jar."
  value       = local.jar_uri
}

output "subnetwork" {
  description = "Self link of the subnetwork the batches run in."
  value       = google_compute_subnetwork.spark.self_link
}

output "batch_config" {
  description = "Settings of every Dataproc Serverless batch, passed to the workflow."
  value = {
    runtime_version = var.runtime_version
    main_class      = var.main_class
    jar_uri         = local.jar_uri
    properties      = local.properties
    subnetwork_uri  = google_compute_subnetwork.spark.self_link
    staging_bucket  = google_storage_bucket.staging.name
    ttl             = var.batch_ttl
  }
}
