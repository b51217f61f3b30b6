# The four buckets of a Nightshift environment. Every bucket has uniform bucket-level access
# (no object ACLs: IAM alone decides who reads what) and enforced public access prevention (no
# binding can make it public). The CI policy tests (ci/terraform-checks) fail the build otherwise.
#
# Versioning: landing, processed and dead-letter are versioned, their noncurrent versions deleted
# after var.noncurrent_version_days. The archive bucket has a retention policy instead: Cloud
# Storage refuses Object Versioning on a bucket with a retention policy (the two are mutually
# exclusive), and the retention policy is the stronger guarantee: no object can be deleted or
# replaced before the retention period ends.

# The versioned buckets. Noncurrent versions are deleted after var.noncurrent_version_days;
# live landing files after var.landing_expiry_days (0: never).
#   landing      where upstream systems drop each day's files: gs://<landing>/<date>/<domain>/...
#   processed    pipeline outputs, partitioned by business date, read back by downstream
#                pipelines (financial-reports reads trade-settlement, inventory-update yesterday's
#                snapshot)
#   dead_letter  every refused record with its reason, source file and position
locals {
  labels = merge(var.labels, { component = "nightshift-storage" })
  versioned = {
    landing     = { expiry_days = var.landing_expiry_days }
    processed   = { expiry_days = 0 }
    dead_letter = { expiry_days = 0 }
  }
}

resource "google_storage_bucket" "versioned" {
  for_each = local.versioned

  project                     = var.project_id
  name                        = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  location                    = var.location
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy
  labels                      = merge(local.labels, { purpose = replace(each.key, "_", "-") })

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
    for_each = each.value.expiry_days > 0 ? [each.value.expiry_days] : []
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
