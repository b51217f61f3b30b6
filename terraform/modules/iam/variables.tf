variable "project_id" {
  description = "Project of the service accounts and project-level grants."
  type        = string
}

variable "account_prefix" {
  description = "Prefix of the service account ids: <prefix>-runtime, -orchestrator, -scheduler, -ingest, -release (ids are 6 to 30 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,16}$", var.account_prefix))
    error_message = "account_prefix: 3 to 17 characters, lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "buckets" {
  description = "Names of the buckets the accounts are granted on, by role."
  type = object({
    landing     = string
    processed   = string
    archive     = string
    dead_letter = string
    artifacts   = string
    staging     = string
  })
}
