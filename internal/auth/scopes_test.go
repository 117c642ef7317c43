package auth_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/org"
)

// TestPlatformScopesOfApps: an app outside the platform operator's
// department holds no platform-wide scope (admin, audit.read), even one
// stored with it (by hand, by an older version); its other scopes hold,
// and an app of the operator's department holds them all.
func TestPlatformScopesOfApps(t *testing.T) {
	all := []string{"admin", "audit.read", "catalog.read", "catalog.write", "data.read", "records.write"}
	for _, platform := range []bool{false, true} {
		p := &auth.Principal{App: &org.App{Scopes: all, Platform: platform}}
		for _, s := range all {
			want := platform || !org.PlatformOnlyScope(s)
			if got := p.Can(s); got != want {
				t.Errorf("app (platform %v) with scope %s: Can = %v, want %v", platform, s, got, want)
			}
		}
		if p.Can("unknown") {
			t.Errorf("app (platform %v): Can(unknown)", platform)
		}
	}
	if err := (&auth.Principal{App: &org.App{Scopes: all}}).Grant([]string{"admin"}); err == nil {
		t.Error("an app outside the platform grants admin")
	}
}
