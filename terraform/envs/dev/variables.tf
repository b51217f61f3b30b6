variable "project_id" {
  description = "Google Cloud project to deploy into."
  type        = string
}

variable "region" {
  description = "Region of everything: buckets, Dataproc batches, workflow, scheduler jobs."
  type        = string
  default     = "europe-west1"
}

variable "environment" {
  description = "Environment name, part of every resource name."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,7}$", var.environment))
    error_message = "environment: 2 to 8 lowercase letters or digits, starting with a letter."
  }
}

variable "bucket_prefix" {
  description = "Globally unique prefix of the bucket names. Empty: <project_id>-nightshift-<environment>."
  type        = string
  default     = ""
}

variable "archive_retention_days" {
  description = "Retention of the archive bucket in days (short in dev; years in production, e.g. 2555 for 7 years)."
  type        = number
  default     = 30
}

variable "lock_archive_retention" {
  description = "Lock the archive retention policy (irreversible; production only)."
  type        = bool
  default     = false
}

variable "jar_version" {
  description = "Version of the uploaded jar (the Maven project version)."
  type        = string
  default     = "0.1.0-SNAPSHOT"
}

variable "max_executors" {
  description = "Autoscaling ceiling of each batch."
  type        = number
  default     = 10
}

variable "domains" {
  description = "Nightly schedule of each domain (cron in the domain's time zone). Remove a domain to stop scheduling it."
  type = map(object({
    schedule  = string
    time_zone = string
  }))
  default = {
    finance = {
      schedule  = "30 1 * * *"
      time_zone = "America/New_York"
    }
    retail = {
      schedule  = "0 2 * * *"
      time_zone = "Europe/London"
    }
    healthcare = {
      schedule  = "30 2 * * *"
      time_zone = "America/Chicago"
    }
  }
}

variable "scheduler_paused" {
  description = "Create the scheduler jobs paused (run the workflow by hand only)."
  type        = bool
  default     = false
}

variable "destroyable" {
  description = "Let `terraform destroy` remove non-empty buckets and the workflow (throwaway dev projects only)."
  type        = bool
  default     = false
}
