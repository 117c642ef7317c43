package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestExportCatalogOutput: export refuses to replace a file without
// -force, replaces it with -force, says when the folder does not exist,
// leaves an old file as it was when the export fails, and leaves no
// temporary file behind.
func TestExportCatalogOutput(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HUTONG_DB": filepath.Join(dir, "h.db")}
	mustHutong(t, vars)("migrate")
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(outDir, "catalog.csv")
	if err := os.WriteFile(out, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	content := func() string {
		t.Helper()
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	onlyFile := func() {
		t.Helper()
		if entries, _ := os.ReadDir(outDir); len(entries) != 1 {
			t.Errorf("files left in %s: %v", outDir, entries)
		}
	}
	if got, err := hutong(t, vars, "export", "catalog", "-o", out); err == nil || !strings.Contains(err.Error(), "已存在：加 -force 可替换它") {
		t.Errorf("export onto an existing file: got %v, want it refused\n%s", err, got)
	}
	if content() != "old" {
		t.Error("the refused export changed the file")
	}
	if got, err := hutong(t, vars, "export", "catalog", "-o", out, "-force", "-status", "publshed"); err == nil {
		t.Errorf("export -status publshed succeeded:\n%s", got)
	}
	if content() != "old" {
		t.Error("a failed export changed the file it was to replace")
	}
	onlyFile()
	mustHutong(t, vars)("export", "catalog", "-o", out, "-force")
	if c := content(); c == "old" || !strings.Contains(c, "资源") {
		t.Errorf("export -force did not replace the file: %q", c)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("replaced file: %v, %v; want its permissions 0640 kept", st.Mode(), err)
	}
	onlyFile()

	fresh := filepath.Join(outDir, "new.jsonl")
	mustHutong(t, vars)("export", "catalog", "-o", fresh)
	ref := filepath.Join(dir, "ref")
	f, err := os.Create(ref)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(fresh)
	rst, _ := os.Stat(ref)
	if st.Mode().Perm() != rst.Mode().Perm() {
		t.Errorf("new export has mode %v, want %v as a file created the usual way", st.Mode().Perm(), rst.Mode().Perm())
	}

	noDir := filepath.Join(dir, "missing", "catalog.csv")
	if got, err := hutong(t, vars, "export", "catalog", "-o", noDir); err == nil ||
		err.Error() != "文件夹 "+filepath.Join(dir, "missing")+" 不存在：请先创建，或另选输出路径" {
		t.Errorf("export into a missing folder: got %v\n%s", err, got)
	}
}

// TestBackupOutput: backup into a missing folder says the folder does not
// exist; onto an existing file, that it never replaces one; -verify of a
// file that is not a backup, what it is not.
func TestBackupOutput(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HUTONG_DB": filepath.Join(dir, "h.db")}
	mustHutong(t, vars)("migrate")
	noDir := filepath.Join(dir, "missing", "b.db")
	if got, err := hutong(t, vars, "backup", "-o", noDir); err == nil ||
		err.Error() != "文件夹 "+filepath.Join(dir, "missing")+" 不存在：请先创建，或另选输出路径" {
		t.Errorf("backup into a missing folder: got %v\n%s", err, got)
	}
	existing := filepath.Join(dir, "b.db")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := hutong(t, vars, "backup", "-o", existing); err == nil || !strings.Contains(err.Error(), "已存在：备份从不覆盖已有文件") {
		t.Errorf("backup onto an existing file: got %v\n%s", err, got)
	}
	if got, err := hutong(t, vars, "backup", "-verify", existing); err == nil ||
		err.Error() != existing+" 既不是 SQLite 数据库，也不是 pg_dump 自定义格式（custom）的归档" {
		t.Errorf("verify a file that is not a backup: got %v\n%s", err, got)
	}
}

// TestWriteFileAtomicPartialName: the new file beside the target is made
// afresh, never opened through what already lies at its name (a symlink
// planted in a shared folder such as /tmp would have the export truncate
// and overwrite the file it points to), and a stale one left by an
// earlier run of the same process id does not stop the write.
func TestWriteFileAtomicPartialName(t *testing.T) {
	dir := t.TempDir()
	victim := tempFile(t, "victim", "precious")
	out := filepath.Join(dir, "catalog.csv")
	partial := filepath.Join(dir, ".catalog.csv.partial-"+strconv.Itoa(os.Getpid()))
	if err := os.Symlink(victim, partial); err != nil {
		t.Skip("no symlinks:", err)
	}
	err := writeFileAtomic(out, false, func(w io.Writer) error {
		_, err := io.WriteString(w, "export")
		return err
	})
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the file a planted symlink named was overwritten: %q", b)
	}
	if b, rerr := os.ReadFile(out); err != nil || string(b) != "export" {
		t.Errorf("export: %q, %v / %v", b, err, rerr)
	}
	if err := os.WriteFile(partial, []byte("stale"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = writeFileAtomic(out, true, func(w io.Writer) error {
		_, err := io.WriteString(w, "again")
		return err
	})
	if b, rerr := os.ReadFile(out); err != nil || string(b) != "again" {
		t.Errorf("over a stale partial file: %q, %v / %v", b, err, rerr)
	}
}
