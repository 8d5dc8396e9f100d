package transport

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// logContext registers the client's subsystem and its masks on ctx. Secrets are masked in
// messages and in every field, on top of never logging them on purpose.
func (c *Client) logContext(ctx context.Context) context.Context {
	sub := c.opts.Subsystem
	// Root fields carry Terraform's tf_req_id, tf_rpc and tf_resource_type, and the project's id
	// or name where the resource set them (LogFields), so each line names what it served.
	ctx = tflog.NewSubsystem(ctx, sub, tflog.WithRootFields())
	secrets := nonEmpty(c.opts.Secrets)
	if len(secrets) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, sub, secrets...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, sub, secrets...)
	}
	return ctx
}

// debugging tells whether the subsystem's logger keeps debug lines: without it the fields are
// not even made (a request id is parsed out of the whole body, once more per answer).
func (c *Client) debugging(ctx context.Context) bool {
	return tflog.SubsystemIsDebug(ctx, c.opts.Subsystem)
}

func (c *Client) logRequest(ctx context.Context, call Call, req *http.Request, attempt int) {
	if !c.debugging(ctx) {
		return
	}
	fields := map[string]any{
		"operation": call.Operation,
		"method":    req.Method,
		"path":      req.URL.RequestURI(),
		"attempt":   attempt,
	}
	tflog.SubsystemDebug(ctx, c.opts.Subsystem, "API request", fields)
	if tflog.SubsystemIsTrace(ctx, c.opts.Subsystem) {
		fields["headers"] = c.maskHeaders(req.Header)
		if req.GetBody != nil {
			if body, err := req.GetBody(); err == nil {
				b, _ := io.ReadAll(body)
				fields["body"] = c.maskBody(b)
			}
		}
		tflog.SubsystemTrace(ctx, c.opts.Subsystem, "API request body", fields)
	}
}

func (c *Client) logResponse(ctx context.Context, call Call, resp *Response, start time.Time) {
	if !c.debugging(ctx) {
		return
	}
	fields := map[string]any{
		"operation":   call.Operation,
		"status":      resp.StatusCode,
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if c.opts.RequestID != nil {
		fields["request_id"] = c.opts.RequestID(resp)
	}
	tflog.SubsystemDebug(ctx, c.opts.Subsystem, "API response", fields)
	if tflog.SubsystemIsTrace(ctx, c.opts.Subsystem) {
		fields["headers"] = c.maskHeaders(resp.Header)
		fields["body"] = c.maskBody(resp.Body)
		tflog.SubsystemTrace(ctx, c.opts.Subsystem, "API response body", fields)
	}
}

func (c *Client) logFailure(ctx context.Context, call Call, start time.Time, err error) {
	if !c.debugging(ctx) {
		return
	}
	tflog.SubsystemDebug(ctx, c.opts.Subsystem, "API request failed", map[string]any{
		"operation":   call.Operation,
		"duration_ms": time.Since(start).Milliseconds(),
		"error":       err.Error(),
	})
}

// maskBody returns the body as text with every known secret replaced; responses can echo tokens.
func (c *Client) maskBody(body []byte) string {
	s := string(body)
	for _, secret := range nonEmpty(c.opts.Secrets) {
		s = strings.ReplaceAll(s, secret, "***")
	}
	return s
}

// LogFields adds fields (e.g. project_id, project_name) to every API log line written with the
// returned context, so parallel calls can be told apart.
func LogFields(ctx context.Context, fields map[string]any) context.Context {
	for k, v := range fields {
		if v != "" && v != nil {
			ctx = tflog.SetField(ctx, k, v)
		}
	}
	return ctx
}

func nonEmpty(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
