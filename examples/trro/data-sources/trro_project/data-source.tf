# By id.
data "trro_project" "by_id" {
  id = "f3glr49r3axn0fu2"
}

# By name; an error lists the ids if several projects share the name.
data "trro_project" "factory_floor" {
  name = "factory-floor"
}

output "factory_floor_policy_mode" {
  value = data.trro_project.factory_floor.policy_mode
}
