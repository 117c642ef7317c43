package server

import (
	"runtime/debug"
	"sync"
)

// Version is the release this binary was built from, as the go command
// stamped it: the main module's version (v1.4.0 built from a tag, or a
// pseudo-version v0.0.0-20261205151200-abcdef012345 from a commit, with
// +dirty when the tree had changes); failing that (a binary built as
// (devel)), the VCS revision's first 12 characters, +dirty when the tree
// had changes; else "devel". /healthz answers it, and serve logs it in its
// listening line, so that the release a server runs can be told without
// a shell on it.
var Version = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	return buildVersion(bi, ok)
})

// buildVersion is Version from the build information bi (ok: there is
// some).
func buildVersion(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}

// healthBody is what /healthz answers while the process runs: ok, and the
// release (Version), no more.
func healthBody() string { return "ok\nversion " + Version() + "\n" }
