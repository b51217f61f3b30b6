# One service account per role, each with only what that role does. Grants are on the bucket or
# the service account they concern wherever Google Cloud allows it; project-level grants are the
# predefined or custom roles that exist only at project level. No primitive role (owner, editor,
# viewer) and no public member (allUsers, allAuthenticatedUsers): the CI policy tests
# (ci/terraform-checks) fail the build on either.
#
#   runtime       the Spark driver and executors of the Dataproc Serverless batches
#   orchestrator  the Workflows execution: submits and watches the batches as runtime
#   scheduler     Cloud Scheduler: starts the workflow each night
#   ingest        upstream systems: drop each day's files into landing, nothing else
#   release       CI or a release engineer: uploads the spark-submit jar
#
# roles/dataproc.worker is what Dataproc requires of a batch's service account (agent and task
# permissions, logs and metrics). It also carries project-wide Cloud Storage object permissions
# for staging; the bucket grants below state what the pipelines actually touch.

resource "google_service_account" "runtime" {
  project      = var.project_id
  account_id   = "${var.account_prefix}-runtime"
  display_name = "Nightshift Spark runtime"
  description  = "Driver and executors of the nightly Dataproc Serverless batches."
}

resource "google_service_account" "orchestrator" {
  project      = var.project_id
  account_id   = "${var.account_prefix}-orchestrator"
  display_name = "Nightshift orchestrator"
  description  = "Identity of the nightly workflow: creates and polls Dataproc batches."
}

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "${var.account_prefix}-scheduler"
  display_name = "Nightshift scheduler"
  description  = "Cloud Scheduler jobs: start the nightly workflow."
}

resource "google_service_account" "ingest" {
  project      = var.project_id
  account_id   = "${var.account_prefix}-ingest"
  display_name = "Nightshift ingest"
  description  = "Upstream systems: write each day's input files into the landing bucket."
}

resource "google_service_account" "release" {
  project      = var.project_id
  account_id   = "${var.account_prefix}-release"
  display_name = "Nightshift release"
  description  = "Uploads the spark-submit jar to the artifacts bucket."
}

# --- runtime ---------------------------------------------------------------------------------

resource "google_project_iam_member" "runtime_dataproc_worker" {
  project = var.project_id
  role    = "roles/dataproc.worker"
  member  = "serviceAccount:${google_service_account.runtime.email}"
}

# Reads the day's inputs.
resource "google_storage_bucket_iam_member" "runtime_landing_read" {
  bucket = var.buckets.landing
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.runtime.email}"
}

# Writes outputs under temporary names and renames them (create + delete), reads earlier days.
resource "google_storage_bucket_iam_member" "runtime_processed_write" {
  bucket = var.buckets.processed
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_storage_bucket_iam_member" "runtime_dead_letter_write" {
  bucket = var.buckets.dead_letter
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.runtime.email}"
}

# Copies what it read into the archive: create only (the retention policy forbids the rest).
resource "google_storage_bucket_iam_member" "runtime_archive_create" {
  bucket = var.buckets.archive
  role   = "roles/storage.objectCreator"
  member = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_storage_bucket_iam_member" "runtime_artifacts_read" {
  bucket = var.buckets.artifacts
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_storage_bucket_iam_member" "runtime_staging_write" {
  bucket = var.buckets.staging
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.runtime.email}"
}

# --- orchestrator ----------------------------------------------------------------------------

# Exactly the batch calls the workflow makes; roles/dataproc.editor would add clusters, jobs
# and workflow templates.
resource "google_project_iam_custom_role" "batch_submitter" {
  project     = var.project_id
  role_id     = replace("${var.account_prefix}_batch_submitter", "-", "_")
  title       = "Nightshift batch submitter"
  description = "Create, watch and cancel Dataproc Serverless batches."
  permissions = [
    "dataproc.batches.create",
    "dataproc.batches.get",
    "dataproc.batches.list",
    "dataproc.batches.cancel",
    "dataproc.operations.get",
  ]
}

resource "google_project_iam_member" "orchestrator_batches" {
  project = var.project_id
  role    = google_project_iam_custom_role.batch_submitter.name
  member  = "serviceAccount:${google_service_account.orchestrator.email}"
}

resource "google_project_iam_member" "orchestrator_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.orchestrator.email}"
}

# A batch runs as the runtime account: the orchestrator may act as that one account only.
resource "google_service_account_iam_member" "orchestrator_acts_as_runtime" {
  service_account_id = google_service_account.runtime.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.orchestrator.email}"
}

# --- scheduler -------------------------------------------------------------------------------

# Workflows has no per-workflow IAM: invoker is granted on the project.
resource "google_project_iam_member" "scheduler_invoker" {
  project = var.project_id
  role    = "roles/workflows.invoker"
  member  = "serviceAccount:${google_service_account.scheduler.email}"
}

# --- ingest and release ----------------------------------------------------------------------

resource "google_storage_bucket_iam_member" "ingest_landing_create" {
  bucket = var.buckets.landing
  role   = "roles/storage.objectCreator"
  member = "serviceAccount:${google_service_account.ingest.email}"
}

resource "google_storage_bucket_iam_member" "release_artifacts_write" {
  bucket = var.buckets.artifacts
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.release.email}"
}
