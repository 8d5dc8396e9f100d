# A TRRO project is imported by its 16-character ProjectId.
terraform import trro_project.factory_floor f3glr49r3axn0fu2

# Or, with Terraform 1.5 and later, declare it in configuration:
#
# import {
#   to = trro_project.factory_floor
#   id = "f3glr49r3axn0fu2"
# }
