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

locals {
  accounts = {
    runtime = {
      name        = "Nightshift Spark runtime"
      description = "Driver and executors of the nightly Dataproc Serverless batches."
    }
    orchestrator = {
      name        = "Nightshift orchestrator"
      description = "Identity of the nightly workflow: creates and polls Dataproc batches."
    }
    scheduler = {
      name        = "Nightshift scheduler"
      description = "Cloud Scheduler jobs: start the nightly workflow."
    }
    ingest = {
      name        = "Nightshift ingest"
      description = "Upstream systems: write each day's input files into the landing bucket."
    }
    release = {
      name        = "Nightshift release"
      description = "Uploads the spark-submit jar to the artifacts bucket."
    }
  }

  # Grants on buckets: account, bucket, role.
  bucket_grants = {
    # runtime reads the day's inputs,
    runtime_landing = { account = "runtime", bucket = var.buckets.landing, role = "roles/storage.objectViewer" }
    # writes outputs and dead letters under temporary names and renames them (create + delete),
    # and reads earlier days' outputs,
    runtime_processed   = { account = "runtime", bucket = var.buckets.processed, role = "roles/storage.objectUser" }
    runtime_dead_letter = { account = "runtime", bucket = var.buckets.dead_letter, role = "roles/storage.objectUser" }
    # copies what it read into the archive (create only: the retention policy forbids the rest),
    runtime_archive = { account = "runtime", bucket = var.buckets.archive, role = "roles/storage.objectCreator" }
    # reads the jar and uses the staging bucket.
    runtime_artifacts = { account = "runtime", bucket = var.buckets.artifacts, role = "roles/storage.objectViewer" }
    runtime_staging   = { account = "runtime", bucket = var.buckets.staging, role = "roles/storage.objectUser" }
    # ingest only adds files to landing; release only manages the jars.
    ingest_landing    = { account = "ingest", bucket = var.buckets.landing, role = "roles/storage.objectCreator" }
    release_artifacts = { account = "release", bucket = var.buckets.artifacts, role = "roles/storage.objectUser" }
  }

  # Grants on the project: only roles that exist at project level alone.
  project_grants = {
    # Required of a Dataproc batch's service account.
    runtime_dataproc_worker = { account = "runtime", role = "roles/dataproc.worker" }
    # Exactly the batch calls the workflow makes (roles/dataproc.editor would add clusters, jobs
    # and workflow templates), and its log lines.
    orchestrator_batches = { account = "orchestrator", role = google_project_iam_custom_role.batch_submitter.name }
    orchestrator_logs    = { account = "orchestrator", role = "roles/logging.logWriter" }
    # Workflows has no per-workflow IAM: invoker is granted on the project.
    scheduler_invoker = { account = "scheduler", role = "roles/workflows.invoker" }
  }
}

resource "google_service_account" "account" {
  for_each = local.accounts

  project      = var.project_id
  account_id   = "${var.account_prefix}-${each.key}"
  display_name = each.value.name
  description  = each.value.description
}

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

resource "google_storage_bucket_iam_member" "grant" {
  for_each = local.bucket_grants

  bucket = each.value.bucket
  role   = each.value.role
  member = "serviceAccount:${google_service_account.account[each.value.account].email}"
}

resource "google_project_iam_member" "grant" {
  for_each = local.project_grants

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.account[each.value.account].email}"
}

# A batch runs as the runtime account: the orchestrator may act as that one account only.
resource "google_service_account_iam_member" "orchestrator_acts_as_runtime" {
  service_account_id = google_service_account.account["runtime"].name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.account["orchestrator"].email}"
}
