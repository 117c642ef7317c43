package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestInterruptImportRecords sends Ctrl-C (SIGINT) to hutong import records
// while it applies a big file: it says in Chinese that the import was
// cancelled and imported nothing, where it said "load records: context
// canceled", exits with 130, and no batch is there. Its standard error is
// a terminal, where the progress shows each second. On both engines.
func TestInterruptImportRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and interrupts it")
	}
	bin := builtHutong(t)
	in := filepath.Join(t.TempDir(), "big.jsonl")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range 1_000_000 {
		w.WriteString(addLine(recordstest.CitizenID(i), "张三"))
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		t.Fatal(err)
	}
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		controller, tty := openPTY(t)
		var out testlog.Buffer
		go io.Copy(&out, controller)
		cmd := exec.Command(bin, "import", "records", "-entry", "101001/000001", "-file", in)
		cmd.Env = append(os.Environ(), "HUTONG_DB="+dsn)
		cmd.Stdout, cmd.Stderr = &out, tty
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitOutput(t, &out, "已检查") // applying the file, a second in
		interruptImport(t, cmd, &out)
		waitOutput(t, &out, "hutong: 导入已取消：整批在一个事务中，未导入任何数据\r\n")
		if strings.Contains(out.String(), "context canceled") {
			t.Errorf("interrupted import printed Go's words:\n%s", out.String())
		}
		if got := mustHutong(t, vars)("records", "batches"); !strings.Contains(got, "没有批次") {
			t.Errorf("records batches after an interrupted import, want none:\n%s", got)
		}
	})
}

// TestInterruptImportCatalog sends Ctrl-C (SIGINT) to hutong import catalog
// while it stores a big file: it says that the import was cancelled and
// stored nothing, exits with 130, and the catalog is empty. On both engines.
func TestInterruptImportCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and interrupts it")
	}
	bin := builtHutong(t)
	in := filepath.Join(t.TempDir(), "big.csv")
	header, row, _ := strings.Cut(cliCatalogCSV, "\n")
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := range 20_000 {
		b.WriteString(strings.Replace(row, "登记信息", "登记信息"+strconv.Itoa(i), 1) + "\n")
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		must("migrate")
		cliDepartments(must)
		controller, tty := openPTY(t)
		var out testlog.Buffer
		go io.Copy(&out, controller)
		cmd := exec.Command(bin, "import", "catalog", "-file", in, "-department", "区市监局")
		cmd.Env = append(os.Environ(), "HUTONG_DB="+dsn)
		var stdout testlog.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, tty
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitOutput(t, &out, "导入 ") // storing the rows
		interruptImport(t, cmd, &out)
		waitOutput(t, &out, "行\r\nhutong: 导入已取消：所有行在一个事务中，未导入任何数据资源\r\n") // on a line of its own
		if got := must("export", "catalog", "-o", filepath.Join(t.TempDir(), "out.csv")); !strings.Contains(got, "已导出 0 个数据资源") {
			t.Errorf("export after an interrupted import, want nothing:\n%s", got)
		}
	})
}

// interruptImport sends SIGINT to cmd, an import under way, and requires
// it to end within 30 s with exit status 130; out is what it printed.
func interruptImport(t *testing.T, cmd *exec.Cmd, out *testlog.Buffer) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var err error
	select {
	case err = <-waited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("import did not stop within 30 s of SIGINT:\n%s", out.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("interrupted import: %v, want exit status 130\n%s", err, out.String())
	}
}
