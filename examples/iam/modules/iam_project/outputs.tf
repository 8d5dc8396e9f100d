output "id" {
  description = "The project id, 32 hexadecimal characters."
  value       = iam_project.this.id
}

output "name" {
  description = "The full project name, region prefix included."
  value       = iam_project.this.name
}
