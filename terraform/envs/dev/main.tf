# The dev environment: every module wired together in one project.

locals {
  name_prefix   = "nightshift-${var.environment}"
  bucket_prefix = var.bucket_prefix != "" ? var.bucket_prefix : "${var.project_id}-nightshift-${var.environment}"
  labels = {
    app         = "nightshift"
    environment = var.environment
    managed-by  = "terraform"
  }

  services = [
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "dataproc.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "storage.googleapis.com",
    "workflowexecutions.googleapis.com",
    "workflows.googleapis.com",
  ]

  # Arguments of `nightshift batch` after --date and --domains: the runner and the storage
  # roots (inputs gs://<landing>/<date>/<domain>/..., outputs partitioned by business date).
  # Keep these flag names in step with `./nightshift batch --help`.
  # The flags of `nightshift batch --help`: inputs under <landing>/<date>/<domain>/, outputs (with
  # each run's dead_letters.jsonl and manifest) under <warehouse>/<pipeline>/business_date=<date>/.
  batch_args = [
    "--runner=SparkRunner",
    "--landing=gs://${module.storage.landing_bucket}",
    "--warehouse=gs://${module.storage.processed_bucket}",
  ]
}

resource "google_project_service" "apis" {
  for_each = toset(local.services)

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

module "storage" {
  source = "../../modules/storage"

  project_id             = var.project_id
  location               = var.region
  name_prefix            = local.bucket_prefix
  labels                 = local.labels
  archive_retention_days = var.archive_retention_days
  lock_archive_retention = var.lock_archive_retention
  force_destroy          = var.destroyable

  depends_on = [google_project_service.apis]
}

module "spark" {
  source = "../../modules/spark"

  project_id    = var.project_id
  region        = var.region
  name_prefix   = local.bucket_prefix
  labels        = local.labels
  jar_version   = var.jar_version
  max_executors = var.max_executors

  depends_on = [google_project_service.apis]
}

module "iam" {
  source = "../../modules/iam"

  project_id     = var.project_id
  account_prefix = local.name_prefix
  buckets = {
    landing     = module.storage.landing_bucket
    processed   = module.storage.processed_bucket
    archive     = module.storage.archive_bucket
    dead_letter = module.storage.dead_letter_bucket
    artifacts   = module.spark.artifacts_bucket
    staging     = module.spark.staging_bucket
  }

  depends_on = [google_project_service.apis]
}

module "scheduler" {
  source = "../../modules/scheduler"

  project_id                   = var.project_id
  region                       = var.region
  name_prefix                  = local.name_prefix
  labels                       = local.labels
  domains                      = var.domains
  batch_config                 = module.spark.batch_config
  batch_args                   = local.batch_args
  runtime_service_account      = module.iam.emails.runtime
  orchestrator_service_account = module.iam.emails.orchestrator
  scheduler_service_account    = module.iam.emails.scheduler
  paused                       = var.scheduler_paused
  deletion_protection          = !var.destroyable

  depends_on = [google_project_service.apis]
}
