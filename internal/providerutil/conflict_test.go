package providerutil

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

func TestDestroyCommand(t *testing.T) {
	for cmdline, want := range map[string][2]bool{
		"terraform destroy -auto-approve":                  {true, true},
		"/usr/local/bin/terraform -chdir=env/prod destroy": {true, true},
		"terraform apply -destroy -auto-approve":           {true, true},
		"terraform plan -destroy -out=tfplan":              {true, true},
		"terraform plan -out=tfplan":                       {false, true},
		"terraform apply -auto-approve":                    {false, true},
		"terraform apply destroy.tfplan":                   {false, true}, // a saved plan's name says nothing
		"terraform_1.11.4 plan":                            {false, true},
		"/usr/bin/dlv exec provider":                       {false, false},
		"":                                                 {false, false},
	} {
		destroying, known := destroyCommand(strings.Fields(cmdline))
		if [2]bool{destroying, known} != want {
			t.Errorf("destroyCommand(%q) = %v, %v; want %v, %v", cmdline, destroying, known, want[0], want[1])
		}
	}
}

func TestReportConflictModes(t *testing.T) {
	c := Conflict{Attribute: path.Root("name"), ResourceType: "iam_project", What: "IAM project", Key: "eu-de_pay", ExistingID: "p1", ImportID: "p1"}
	for name, tc := range map[string]struct {
		mode              ConflictMode
		destroying, known bool
		wantError         bool
		wantDetail        string
	}{
		"warn":                   {ConflictWarn, false, true, false, `conflict_check = "error"`},
		"error in a plan":        {ConflictError, false, true, true, `conflict_check = "error" in the provider block makes this an error`},
		"error while destroying": {ConflictError, true, true, false, "Terraform is destroying, so this is a warning"},
		"error, command unknown": {ConflictError, false, false, false, "cannot tell which command Terraform runs"},
	} {
		t.Run(name, func(t *testing.T) {
			saved := TerraformDestroying
			t.Cleanup(func() { TerraformDestroying = saved })
			TerraformDestroying = func() (bool, bool) { return tc.destroying, tc.known }
			var diags diag.Diagnostics
			ReportConflict(&diags, c, tc.mode)
			if len(diags) != 1 || diags.HasError() != tc.wantError {
				t.Fatalf("diagnostics = %v; want one, an error: %v", diags, tc.wantError)
			}
			if !strings.Contains(diags[0].Detail(), tc.wantDetail) || !strings.Contains(diags[0].Detail(), `id = "p1"`) {
				t.Errorf("detail lacks %q or the import block:\n%s", tc.wantDetail, diags[0].Detail())
			}
		})
	}
}

func TestConflictModeOf(t *testing.T) {
	const env = "PROJECTKIT_TEST_CONFLICT_CHECK"
	for name, tc := range map[string]struct {
		argument types.String
		skip     types.Bool
		env      string
		want     ConflictMode
		wantErr  string
	}{
		"default":                      {types.StringNull(), types.BoolNull(), "", ConflictWarn, ""},
		"argument":                     {types.StringValue("error"), types.BoolNull(), "off", ConflictError, ""},
		"environment":                  {types.StringNull(), types.BoolNull(), "error", ConflictError, ""},
		"skip_conflict_check":          {types.StringNull(), types.BoolValue(true), "", ConflictOff, ""},
		"skip and off":                 {types.StringValue("off"), types.BoolValue(true), "", ConflictOff, ""},
		"skip against error":           {types.StringNull(), types.BoolValue(true), "error", "", `skip_conflict_check = true turns the conflict check off, but PROJECTKIT_TEST_CONFLICT_CHECK is "error"`},
		"unknown value in environment": {types.StringNull(), types.BoolNull(), "fail", "", `PROJECTKIT_TEST_CONFLICT_CHECK must be one of warn, error, off; got "fail"`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv(env, tc.env)
			var diags diag.Diagnostics
			got := ConflictModeOf(tc.argument, tc.skip, env, &diags)
			if tc.wantErr != "" {
				if !diags.HasError() || !strings.Contains(diags[0].Detail(), tc.wantErr) {
					t.Fatalf("diagnostics = %v; want an error with %q", diags, tc.wantErr)
				}
				return
			}
			if diags.HasError() || got != tc.want {
				t.Fatalf("ConflictModeOf = %q, %v; want %q", got, diags, tc.want)
			}
		})
	}
}

func TestIsPermissionDenied(t *testing.T) {
	denied := &transport.APIError{Service: "IAM", Operation: "ListProjects", StatusCode: 403, Code: "IAM.0002", RequestID: "req-1"}
	for err, want := range map[error]bool{
		denied:                            true,
		fmt.Errorf("listing: %w", denied): true,
		&transport.APIError{StatusCode: 403, Throttled: true}:  false,
		&transport.APIError{StatusCode: 401, Code: "IAM.0001"}: false,
		&transport.TimeoutError{Operation: "ListProjects"}:     false,
		errors.New("403"): false,
	} {
		if got := IsPermissionDenied(err); got != want {
			t.Errorf("IsPermissionDenied(%v) = %v, want %v", err, got, want)
		}
	}
	saved := TerraformDestroying
	t.Cleanup(func() { TerraformDestroying = saved })
	TerraformDestroying = func() (bool, bool) { return false, true }
	var diags diag.Diagnostics
	ReportPermissionDenied(&diags, path.Root("name"), "listing the account's IAM projects", "iam:projects:listProjects", "hint", denied)
	if !diags.HasError() {
		t.Fatal("no error")
	}
	for _, want := range []string{"for permission", "iam:projects:listProjects", "Error code: IAM.0002", "req-1", "hint"} {
		if !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, diags[0].Detail())
		}
	}
}

// CommandDestroying reads a real process's command line: this test's own, which is no
// terraform's, and a child started under the name terraform with a destroy command.
func TestCommandDestroying(t *testing.T) {
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		t.Skip("no /proc on this system")
	}
	if destroying, known := CommandDestroying(os.Getpid()); destroying || known {
		t.Errorf("the test process read as destroying=%v known=%v; want neither", destroying, known)
	}
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep command")
	}
	// argv[0] is what a process calls itself: this sleep reads as `terraform 5`.
	cmd := &exec.Cmd{Path: sleep, Args: []string{"/usr/bin/terraform", "5"}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// The kernel may show an empty command line for a moment after the exec.
	cmdline := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "cmdline")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(cmdline); err != nil || len(b) > 0 {
			break
		}
	}
	if destroying, known := CommandDestroying(cmd.Process.Pid); destroying || !known {
		t.Errorf("terraform 5 read as destroying=%v known=%v; want a terraform command that does not destroy", destroying, known)
	}
}
