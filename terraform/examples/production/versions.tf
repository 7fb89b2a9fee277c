terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
  # Keep the state in S3 with locking, e.g.:
  # backend "s3" {
  #   bucket       = "vendor-terraform-state"
  #   key          = "rathaus/production.tfstate"
  #   region       = "eu-central-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Application = "rathaus"
      Environment = var.environment
    }
  }
}
