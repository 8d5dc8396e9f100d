output "id" {
  description = "The project's 16-character ProjectId."
  value       = trro_project.this.id
}

output "name" {
  description = "The project's full name."
  value       = trro_project.this.name
}
