variable "project_id" {
  description = "Project of the workflow and the scheduler jobs."
  type        = string
}

variable "region" {
  description = "Region of the workflow, the scheduler jobs and the Dataproc batches."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the workflow and job names."
  type        = string
}

variable "labels" {
  description = "Labels put on the workflow."
  type        = map(string)
  default     = {}
}

variable "domains" {
  description = "Nightly schedule of each domain: a cron expression in the domain's time zone. The business date of a run is the day before the run's date in that time zone."
  type = map(object({
    schedule  = string
    time_zone = string
  }))

  validation {
    condition     = length(var.domains) > 0 && alltrue([for d in keys(var.domains) : contains(["finance", "retail", "healthcare"], d)])
    error_message = "domains: one or more of finance, retail, healthcare."
  }
}

variable "default_time_zone" {
  description = "Time zone of the business date when an execution is started by hand without one."
  type        = string
  default     = "Etc/UTC"
}

variable "batch_config" {
  description = "Settings of every Dataproc Serverless batch (the spark module's batch_config output)."
  type = object({
    runtime_version = string
    main_class      = string
    jar_uri         = string
    properties      = map(string)
    subnetwork_uri  = string
    staging_bucket  = string
    ttl             = string
  })
}

variable "batch_args" {
  description = "Arguments after `batch --date D --domains X`: the runner and the storage roots, as `nightshift batch --help` lists them."
  type        = list(string)
}

variable "runtime_service_account" {
  description = "Service account the batches run as (iam module: emails.runtime)."
  type        = string
}

variable "orchestrator_service_account" {
  description = "Service account the workflow runs as (iam module: emails.orchestrator)."
  type        = string
}

variable "scheduler_service_account" {
  description = "Service account of the scheduler jobs, allowed to start executions (iam module: emails.scheduler)."
  type        = string
}

variable "poll_seconds" {
  description = "How often the workflow checks a running batch."
  type        = number
  default     = 60

  validation {
    condition     = var.poll_seconds >= 10 && var.poll_seconds <= 3600
    error_message = "poll_seconds must be between 10 and 3600."
  }
}

variable "paused" {
  description = "Create the scheduler jobs paused (run by hand only)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to destroy the workflow."
  type        = bool
  default     = true
}
