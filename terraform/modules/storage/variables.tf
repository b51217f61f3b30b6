variable "project_id" {
  description = "Project that owns the buckets."
  type        = string
}

variable "location" {
  description = "Bucket location: a region (europe-west1) or a multi-region (EU). Keep it with the Dataproc region."
  type        = string
}

variable "name_prefix" {
  description = "Globally unique prefix of the bucket names: <prefix>-landing, -processed, -archive, -dead-letter."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: 3 to 50 characters, lowercase letters, digits and hyphens (bucket names are at most 63)."
  }
}

variable "labels" {
  description = "Labels put on every bucket."
  type        = map(string)
  default     = {}
}

variable "landing_expiry_days" {
  description = "Landing files are deleted this many days after upload (the nightly batch copies what it read to the archive bucket). 0 keeps them forever."
  type        = number
  default     = 90

  validation {
    condition     = var.landing_expiry_days >= 0
    error_message = "landing_expiry_days must be 0 (never) or more."
  }
}

variable "noncurrent_version_days" {
  description = "Noncurrent (overwritten or deleted) object versions in the versioned buckets are kept this many days."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "archive_after_days" {
  description = "Objects in the archive bucket move to the ARCHIVE storage class this many days after they were written."
  type        = number
  default     = 30

  validation {
    condition     = var.archive_after_days >= 0
    error_message = "archive_after_days must be 0 or more."
  }
}

variable "archive_retention_days" {
  description = "Retention policy of the archive bucket: no object can be deleted or replaced before it is this many days old."
  type        = number

  validation {
    condition     = var.archive_retention_days >= 1 && var.archive_retention_days <= 36500
    error_message = "archive_retention_days must be between 1 and 36500 (100 years)."
  }
}

variable "lock_archive_retention" {
  description = "Lock the archive retention policy (Bucket Lock). Irreversible: the period can then only grow, and the bucket cannot be deleted while it holds objects."
  type        = bool
  default     = false
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete non-empty buckets (never for the archive bucket, whose retention policy forbids it). Use only in throwaway environments."
  type        = bool
  default     = false
}
