# The four buckets of a Nightshift environment. Every bucket has uniform bucket-level access
# (no object ACLs: IAM alone decides who reads what) and enforced public access prevention (no
# binding can make it public). The CI policy tests (ci/terraform-checks) fail the build otherwise.
#
# Versioning: landing, processed and dead-letter are versioned, their noncurrent versions deleted
# after var.noncurrent_version_days. The archive bucket has a retention policy instead: Cloud
# Storage refuses Object Versioning on a bucket with a retention policy (the two are mutually
# exclusive), and the retention policy is the stronger guarantee: no object can be deleted or
# replaced before the retention period ends.

locals {
  labels = merge(var.labels, { component = "nightshift-storage" })
}

# Where upstream systems drop each day's files: gs://<landing>/<business date>/<domain>/...
resource "google_storage_bucket" "landing" {
  project                     = var.project_id
  name                        = "${var.name_prefix}-landing"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy
  labels                      = merge(local.labels, { purpose = "landing" })

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.landing_expiry_days > 0 ? [var.landing_expiry_days] : []
    content {
      condition {
        age        = lifecycle_rule.value
        with_state = "LIVE"
      }
      action {
        type = "Delete"
      }
    }
  }
}

# Pipeline outputs, partitioned by business date; read back by downstream pipelines
# (financial-reports reads trade-settlement, inventory-update reads yesterday's snapshot).
resource "google_storage_bucket" "processed" {
  project                     = var.project_id
  name                        = "${var.name_prefix}-processed"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy
  labels                      = merge(local.labels, { purpose = "processed" })

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

# Every refused record with its reason, source file and position (dead_letters.jsonl per run).
resource "google_storage_bucket" "dead_letter" {
  project                     = var.project_id
  name                        = "${var.name_prefix}-dead-letter"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy
  labels                      = merge(local.labels, { purpose = "dead-letter" })

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.noncurrent_version_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

# Inputs as they were received, kept for audit. Written once, never replaced: the retention
# policy forbids deleting or overwriting an object younger than the retention period, so
# objects are never replaced and versioning is not allowed (see the note at the top).
resource "google_storage_bucket" "archive" {
  project                     = var.project_id
  name                        = "${var.name_prefix}-archive"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false
  labels                      = merge(local.labels, { purpose = "archive" })

  retention_policy {
    retention_period = var.archive_retention_days * 86400
    is_locked        = var.lock_archive_retention
  }

  lifecycle_rule {
    condition {
      age                   = var.archive_after_days
      matches_storage_class = ["STANDARD", "NEARLINE", "COLDLINE"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "ARCHIVE"
    }
  }
}
