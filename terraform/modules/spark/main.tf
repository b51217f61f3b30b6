# Where the pipelines run: Dataproc Serverless batches (one per domain per night, submitted by
# the scheduler module's workflow). Serverless rather than a standing cluster because the
# workload is a nightly batch: nothing idles between nights, the runtime (Spark 3.5.1, Scala
# 2.12, Java 17) matches the jar exactly, and Spark's dynamic allocation scales executors between
# min_executors and max_executors within each batch.
#
# This module owns what every batch needs: a private subnetwork (Private Google Access, so the
# executors reach Cloud Storage without external IPs, and internal traffic between driver and
# executors allowed), the artifacts bucket holding the spark-submit jar, the staging bucket, and
# the batch settings the workflow passes to batches.create.

locals {
  labels  = merge(var.labels, { component = "nightshift-spark" })
  jar_uri = "gs://${google_storage_bucket.artifacts.name}/jars/nightshift-spark-${var.jar_version}.jar"

  # Spark properties of every batch. Beam's SparkRunner takes the master from spark-submit
  # (it only uses --sparkMaster when spark.master is unset), so no master flag is needed.
  properties = merge({
    "spark.dynamicAllocation.enabled"      = "true"
    "spark.dynamicAllocation.minExecutors" = tostring(var.min_executors)
    "spark.dynamicAllocation.maxExecutors" = tostring(var.max_executors)
    "spark.executor.cores"                 = tostring(var.executor_cores)
    "spark.driver.cores"                   = tostring(var.driver_cores)
  }, var.extra_properties)
}

resource "google_compute_network" "spark" {
  project                 = var.project_id
  name                    = "${var.name_prefix}-spark"
  auto_create_subnetworks = false
  routing_mode            = "REGIONAL"
}

resource "google_compute_subnetwork" "spark" {
  project                  = var.project_id
  name                     = "${var.name_prefix}-spark"
  region                   = var.region
  network                  = google_compute_network.spark.id
  ip_cidr_range            = var.subnetwork_cidr
  private_ip_google_access = true
}

# Dataproc Serverless requires the subnetwork to accept its own traffic on every port (driver
# <-> executors, shuffle). Only from the subnetwork's own range: nothing from outside.
resource "google_compute_firewall" "spark_internal" {
  project       = var.project_id
  name          = "${var.name_prefix}-spark-internal"
  network       = google_compute_network.spark.id
  direction     = "INGRESS"
  source_ranges = [var.subnetwork_cidr]

  allow {
    protocol = "tcp"
  }
  allow {
    protocol = "udp"
  }
  allow {
    protocol = "icmp"
  }
}

# The spark-submit jar (pipelines/target/nightshift-spark.jar), uploaded by the release account.
resource "google_storage_bucket" "artifacts" {
  project                     = var.project_id
  name                        = "${var.name_prefix}-artifacts"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = merge(local.labels, { purpose = "artifacts" })

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 5
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

# Dataproc's staging bucket for the batches (dependencies, event logs, temporary files).
resource "google_storage_bucket" "staging" {
  project                     = var.project_id
  name                        = "${var.name_prefix}-staging"
  location                    = var.region
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = merge(local.labels, { purpose = "staging" })

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = var.staging_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 1
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}
