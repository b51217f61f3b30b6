terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "6.36.1"
    }
  }

  # State in a Cloud Storage bucket created once by hand (see terraform/README.md):
  #   terraform init -backend-config="bucket=<state bucket>"
  backend "gcs" {
    prefix = "nightshift/dev"
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
