package audit_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
)

// forbiddenCode finds the code of a Forbidden error written in the
// sources: the reason auth.AuditRefusal writes when it refuses.
var forbiddenCode = regexp.MustCompile(`errs\.E\(errs\.Forbidden, "([a-z_]+)"`)

// TestReasonLabelsCoverForbiddenCodes checks that every Forbidden error
// code in the module's sources, every reason a login refusal writes and
// every refusal of a department's disable (org.AuditDisableRefusal) has a
// Chinese label in audit.DetailFields.
func TestReasonLabelsCoverForbiddenCodes(t *testing.T) {
	codes := []string{"bad_password", "locked", "disabled", "invalid_username", "role_platform_only", "record_not_found",
		"department_holds_entries", "last_operator"}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range forbiddenCode.FindAllStringSubmatch(string(b), -1) {
			codes = append(codes, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 15 {
		t.Fatalf("found only %d codes: %v", len(codes), codes)
	}
	for _, c := range codes {
		if f := audit.DetailFields("x", "", `{"reason":"`+c+`"}`); len(f) != 1 || f[0].Raw != c || f[0].Value == c {
			t.Errorf("reason code %q has no label in reasonLabels", c)
		}
	}
}
