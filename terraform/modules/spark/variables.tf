variable "project_id" {
  description = "Project that runs the Dataproc Serverless batches."
  type        = string
}

variable "region" {
  description = "Dataproc region (also where the network, subnetwork and buckets live)."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of the resource names (network, subnetwork, firewall rule, buckets)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,48}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: 3 to 50 characters, lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "labels" {
  description = "Labels put on the buckets."
  type        = map(string)
  default     = {}
}

variable "subnetwork_cidr" {
  description = "Private range of the subnetwork the Spark driver and executors run in."
  type        = string
  default     = "10.20.0.0/22"

  validation {
    condition     = can(cidrhost(var.subnetwork_cidr, 0))
    error_message = "subnetwork_cidr must be a CIDR range such as 10.20.0.0/22."
  }
}

variable "runtime_version" {
  description = "Dataproc Serverless runtime. 1.2 is Spark 3.5.1, Scala 2.12 and Java 17: what nightshift-spark.jar is built for (Beam's Spark 3 runner, Scala 2.12, --release 17)."
  type        = string
  default     = "1.2"
}

variable "jar_version" {
  description = "Version in the jar's object name: gs://<artifacts>/jars/nightshift-spark-<jar_version>.jar."
  type        = string
  default     = "0.1.0-SNAPSHOT"
}

variable "main_class" {
  description = "Main class of the spark-submit jar (the launcher's command line)."
  type        = string
  default     = "dev.nightshift.pipelines.cli.Nightshift"
}

variable "min_executors" {
  description = "Autoscaling floor (spark.dynamicAllocation.minExecutors). Dataproc Serverless needs at least 2."
  type        = number
  default     = 2

  validation {
    condition     = var.min_executors >= 2
    error_message = "min_executors: Dataproc Serverless runs at least 2 executors."
  }
}

variable "max_executors" {
  description = "Autoscaling ceiling (spark.dynamicAllocation.maxExecutors): the most executors a night's batch may grow to."
  type        = number
  default     = 20
}

variable "executor_cores" {
  description = "Cores per executor (Dataproc Serverless allows 4, 8 or 16)."
  type        = number
  default     = 4

  validation {
    condition     = contains([4, 8, 16], var.executor_cores)
    error_message = "executor_cores must be 4, 8 or 16."
  }
}

variable "driver_cores" {
  description = "Cores of the driver (4, 8 or 16)."
  type        = number
  default     = 4

  validation {
    condition     = contains([4, 8, 16], var.driver_cores)
    error_message = "driver_cores must be 4, 8 or 16."
  }
}

variable "batch_ttl" {
  description = "Longest a batch may run before Dataproc ends it (a duration such as 14400s)."
  type        = string
  default     = "14400s"

  validation {
    condition     = can(regex("^[0-9]+s$", var.batch_ttl))
    error_message = "batch_ttl is a number of seconds followed by s, e.g. 14400s."
  }
}

variable "extra_properties" {
  description = "More Spark properties for every batch (merged over the defaults)."
  type        = map(string)
  default     = {}
}

variable "staging_retention_days" {
  description = "Days the Dataproc staging bucket keeps batch dependencies and temporary files."
  type        = number
  default     = 7
}
