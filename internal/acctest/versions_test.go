package acctest

import "testing"

func TestParseVersion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		out       string
		name      string
		tofu      bool
		at114     bool
		at112     bool
		wantError bool
	}{
		{out: "Terraform v1.11.4\non linux_amd64\n", name: "Terraform 1.11.4"},
		{out: "Terraform v1.14.9\non linux_amd64\n", name: "Terraform 1.14.9", at114: true, at112: true},
		{out: "Terraform v1.15.0-dev\non linux_amd64\n", name: "Terraform 1.15.0-dev", at114: true, at112: true},
		{out: "OpenTofu v1.10.10\non linux_amd64\n", name: "OpenTofu 1.10.10", tofu: true},
		{out: "Terraform v2.0.0\n", name: "Terraform 2.0.0", at114: true, at112: true},
		{out: "{\"terraform_version\":\"1.14.9\"}", wantError: true},
		{out: "", wantError: true},
	} {
		c, err := ParseVersion("bin", tc.out)
		if tc.wantError {
			if err == nil {
				t.Errorf("%q: no error, parsed %+v", tc.out, c)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.out, err)
			continue
		}
		if c.Name() != tc.name || c.OpenTofu != tc.tofu || c.AtLeast(1, 14) != tc.at114 || c.AtLeast(1, 12) != tc.at112 {
			t.Errorf("%q: %+v (%s), want %s, OpenTofu %v, 1.14+ %v, 1.12+ %v", tc.out, c, c.Name(), tc.name, tc.tofu, tc.at114, tc.at112)
		}
	}
}

func TestProviderAddress(t *testing.T) {
	t.Setenv("TF_ACC_PROVIDER_HOST", "")
	if got := ProviderAddress("trro"); got != "registry.terraform.io/projectkit/trro" {
		t.Errorf("default address %s", got)
	}
	t.Setenv("TF_ACC_PROVIDER_HOST", OpenTofuRegistry)
	if got := ProviderAddress("iam"); got != "registry.opentofu.org/projectkit/iam" {
		t.Errorf("OpenTofu address %s", got)
	}
}
