package acctest

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// CheckDestroyed is the CheckDestroy of every suite: it fails when projects, which lists the
// projects the mock holds that the tests made (each suite's testEnv.created), still lists any
// after the destroy.
func CheckDestroyed[P any](projects func() []P) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if left := projects(); len(left) != 0 {
			return fmt.Errorf("the mock still holds %d project(s) after destroy: %+v", len(left), left)
		}
		return nil
	}
}

// SaveString is a state check that keeps the string attribute of the resource at addr in
// *into, for later steps (e.g. the id a PreConfig deletes out of band, or a value that must stay
// the same).
func SaveString(addr, attribute string, into *string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attribute), knownvalue.StringFunc(func(v string) error {
		*into = v
		return nil
	}))
}

// NewID is a state check that the resource at addr has an id other than *old: it was replaced.
func NewID(addr string, old *string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
		if v == *old {
			return fmt.Errorf("%s kept its id %s", addr, v)
		}
		return nil
	}))
}

// SameString is a state check that the string attribute of the resource at addr equals *want
// when the check runs: a value saved by an earlier step (SaveString), such as an id that an
// in-place update must keep.
func SameString(addr, attribute string, want *string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attribute), knownvalue.StringFunc(func(v string) error {
		if v != *want {
			return fmt.Errorf("%s: attribute %q is %q, want %q", addr, attribute, v, *want)
		}
		return nil
	}))
}
