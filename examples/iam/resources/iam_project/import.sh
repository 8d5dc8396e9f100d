# An IAM project is imported by its id, 32 hexadecimal characters.
terraform import iam_project.payments 3de1461665f045ef91ba1efe8121b979

# Or, with Terraform 1.5 and later, declare it in configuration:
#
# import {
#   to = iam_project.payments
#   id = "3de1461665f045ef91ba1efe8121b979"
# }
