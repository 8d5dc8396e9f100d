package client

import (
	"context"
	"net/http"
	"net/url"
)

// Template is a project template as ListProjectTemplates returns it.
type Template struct {
	Identifier       string `json:"identifier"`
	Name             string `json:"name"`
	NameEn           string `json:"nameEn"`
	Description      string `json:"description"`
	Type             int64  `json:"type"`
	ResourceCategory string `json:"resourceCategory"`
	Creator          string `json:"creator"`
	GmtCreate        Millis `json:"gmtCreate"`
	GmtModified      Millis `json:"gmtModified"`
}

// TemplateTypeName names a template's documented type: 0 system, 4 custom, 16 instance.
func TemplateTypeName(t int64) string {
	switch t {
	case 0:
		return "system"
	case 4:
		return "custom"
	case 16:
		return "instance"
	}
	return "unknown"
}

// ListProjectTemplates returns the organization's project templates (category Project). The API
// answers them all at once; it has no paging.
func (c *Client) ListProjectTemplates(ctx context.Context, org string) ([]Template, error) {
	var out struct {
		Templates *[]Template `json:"templates"`
	}
	op := operation{
		name: "ListProjectTemplates", idempotent: true,
		method: http.MethodGet, path: orgPath(org, "projects", "listTemplates"), query: url.Values{"category": {"Project"}},
	}
	resp, err := c.call(ctx, op, &out)
	if err != nil {
		return nil, err
	}
	if out.Templates == nil {
		return nil, c.badAnswer(op.name, resp, "it has no templates list")
	}
	return *out.Templates, nil
}
