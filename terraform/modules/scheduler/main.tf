# The nightly schedule. One Cloud Scheduler job per domain starts an execution of one workflow
# with {"domains": [domain], "time_zone": <the job's time zone>}; the workflow (workflow.yaml)
# computes the business date, yesterday in that time zone, and runs the domain as one Dataproc
# Serverless batch `nightshift batch --date D --domains <domain>`, which runs the domain's
# pipelines in dependency order:
#   finance     trade-settlement -> financial-reports; account-reconciliation
#   retail      order-processing -> inventory-update, order-processing -> sales-report
#   healthcare  claims-adjudication -> billing; patient-records
# The graph lives in one place, the batch command, so the scheduler and a user's local run
# (`./nightshift batch --date D`) can never disagree on order or paths.

locals {
  env = {
    NIGHTSHIFT_PROJECT                 = var.project_id
    NIGHTSHIFT_REGION                  = var.region
    NIGHTSHIFT_TIME_ZONE               = var.default_time_zone
    NIGHTSHIFT_DOMAINS                 = jsonencode(sort(keys(var.domains)))
    NIGHTSHIFT_RUNTIME_VERSION         = var.batch_config.runtime_version
    NIGHTSHIFT_MAIN_CLASS              = var.batch_config.main_class
    NIGHTSHIFT_JAR_URI                 = var.batch_config.jar_uri
    NIGHTSHIFT_SPARK_PROPERTIES        = jsonencode(var.batch_config.properties)
    NIGHTSHIFT_SUBNETWORK              = var.batch_config.subnetwork_uri
    NIGHTSHIFT_STAGING_BUCKET          = var.batch_config.staging_bucket
    NIGHTSHIFT_BATCH_TTL               = var.batch_config.ttl
    NIGHTSHIFT_BATCH_ARGS              = jsonencode(var.batch_args)
    NIGHTSHIFT_RUNTIME_SERVICE_ACCOUNT = var.runtime_service_account
    NIGHTSHIFT_POLL_SECONDS            = tostring(var.poll_seconds)
  }
}

resource "google_workflows_workflow" "nightly" {
  project             = var.project_id
  region              = var.region
  name                = "${var.name_prefix}-nightly"
  description         = "Nightshift nightly batch: one Dataproc Serverless batch per domain for the business date."
  service_account     = var.orchestrator_service_account
  call_log_level      = "LOG_ERRORS_ONLY"
  labels              = merge(var.labels, { component = "nightshift-scheduler" })
  user_env_vars       = local.env
  source_contents     = file("${path.module}/workflow.yaml")
  deletion_protection = var.deletion_protection
}

resource "google_cloud_scheduler_job" "nightly" {
  for_each = var.domains

  project          = var.project_id
  region           = var.region
  name             = "${var.name_prefix}-${each.key}-nightly"
  description      = "Nightshift ${each.key}: the business day before each run, in ${each.value.time_zone}."
  schedule         = each.value.schedule
  time_zone        = each.value.time_zone
  paused           = var.paused
  attempt_deadline = "180s"

  retry_config {
    retry_count          = 3
    min_backoff_duration = "60s"
    max_backoff_duration = "600s"
  }

  # Workflow Executions API: executions.create with the argument as a JSON string.
  http_target {
    http_method = "POST"
    uri         = "https://workflowexecutions.googleapis.com/v1/${google_workflows_workflow.nightly.id}/executions"
    headers = {
      "Content-Type" = "application/json"
    }
    body = base64encode(jsonencode({
      argument = jsonencode({
        domains   = [each.key]
        time_zone = each.value.time_zone
      })
      callLogLevel = "LOG_ERRORS_ONLY"
    }))

    oauth_token {
      service_account_email = var.scheduler_service_account
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }
}
