package providerutil

import (
	"context"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// Every API log line of an operation on one project names it, the same way in every cloud: the
// resource's and the single-project data source's models each have a logContext(ctx) that sets
// the fields the model knows (project_id, project_name, and yunxiao's custom_code and
// organization_id) with transport.LogFields, and an operation that learns a project's id on the
// way (a create) adds it with WithProjectID. The trro client names the id of its by-id calls
// with its own withProjectID, the same field (clients do not import this package).

// WithProjectID makes every API log line from ctx on name the project's id (project_id), once
// the operation knows it.
func WithProjectID(ctx context.Context, id string) context.Context {
	return transport.LogFields(ctx, map[string]any{"project_id": id})
}
