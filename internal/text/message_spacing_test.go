package text_test

import (
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// spaceAfterFullWidth is a full-width punctuation mark followed by a space
// and a Chinese character: a space Chinese text does not put there, as in
// 主体标识（subject_id） 相同, which a mechanical replace of 主体标识 left.
var spaceAfterFullWidth = regexp.MustCompile(`[（）：，。；、“”！？] \p{Han}`)

// TestMessagesNoSpaceAfterFullWidth keeps the Chinese text of the
// messages and pages free of a space after a full-width punctuation mark
// before a Chinese character: the string literals of the non-test Go files
// of internal/ and cmd/, and the templates and other web files of
// internal/.
func TestMessagesNoSpaceAfterFullWidth(t *testing.T) {
	root := filepath.Join("..", "..")
	files := 0
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			name := d.Name()
			switch {
			case strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go"):
				files++
				for _, lit := range stringLiterals(t, path) {
					if m := spaceAfterFullWidth.FindString(lit.text); m != "" {
						t.Errorf("%s:%d: %q has a space after a full-width mark: %s", path, lit.line, m, lit.text)
					}
				}
			case strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".js"):
				files++
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				for i, line := range strings.Split(string(b), "\n") {
					if m := spaceAfterFullWidth.FindString(line); m != "" {
						t.Errorf("%s:%d: %q has a space after a full-width mark", path, i+1, m)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 100 {
		t.Fatalf("read %d files: not the repository's", files)
	}
}

type literal struct {
	text string
	line int
}

// stringLiterals are the string literals of the Go file at path, as
// written (quotes and escapes kept).
func stringLiterals(t *testing.T, path string) []literal {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	file := fset.AddFile(path, -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, func(pos token.Position, msg string) { t.Errorf("%s: %s", pos, msg) }, 0)
	var lits []literal
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return lits
		}
		if tok == token.STRING {
			lits = append(lits, literal{lit, fset.Position(pos).Line})
		}
	}
}
