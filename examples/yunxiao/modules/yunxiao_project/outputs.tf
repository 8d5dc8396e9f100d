output "id" {
  description = "The project's identifier."
  value       = yunxiao_project.this.id
}

output "import_id" {
  description = "The id that imports this project: <organization_id>/<identifier>."
  value       = "${yunxiao_project.this.organization_id}/${yunxiao_project.this.id}"
}
