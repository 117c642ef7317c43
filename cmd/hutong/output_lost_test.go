package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// failingStdout is a standard output whose write number fail (from 1)
// fails, as a full disk's does (> /dev/full), and that keeps what the
// other writes bring.
type failingStdout struct {
	fail, writes int
	kept         strings.Builder
}

func (f *failingStdout) Write(p []byte) (int, error) {
	f.writes++
	if f.writes == f.fail {
		return 0, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
	}
	return f.kept.Write(p)
}

// hutongFailing runs the command with vars, its standard output failing
// its write number fail, and returns what reached that output and
// standard error, and the command's error as main reports it.
func hutongFailing(t *testing.T, vars map[string]string, fail int, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	out := &failingStdout{fail: fail}
	var errOut testlog.Buffer
	err = run(context.Background(), args, func(k string) string { return vars[k] }, out, &errOut)
	if err != nil {
		report(&errOut, err)
	}
	return out.kept.String(), errOut.String(), err
}

// TestAPIKeyOutputLost: app create and app rotate whose standard output
// cannot be written fail, though the app or key they made is kept, and
// say that its key is lost (it is shown once, and only its hash kept) and
// what to do; they exited 0 with a live key nobody had, and rotate -grace
// 0 with the old keys revoked. A write failing after the first line
// fails the command as the first one does, and the key is not written
// after it: a key said to be lost was shown to no one. The key is never
// put on standard error instead. Following the advice gives the app a key
// again. On both engines.
func TestAPIKeyOutputLost(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		mustNanhai(must)
		must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
		noKey := func(what, stdout, stderr string) {
			t.Helper()
			if strings.Contains(stdout+stderr, "htk_") {
				t.Errorf("%s: a key lost was shown after all\nstdout: %s\nstderr: %s", what, stdout, stderr)
			}
		}

		stdout, stderr, err := hutongFailing(t, vars, 1, "app", "create", "-name", "运维", "-department", "1", "-scopes", "catalog.read")
		want := "已创建应用 1“运维”，但其 API 密钥未能输出"
		if err == nil || exitCode(context.Background(), err) != 1 || !strings.Contains(stderr, want) ||
			!strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, "hutong app rotate -id 1 -grace 0") {
			t.Errorf("app create onto a full disk: got %v, want exit status 1 and %q with the advice\nstderr: %s", err, want, stderr)
		}
		noKey("app create", stdout, stderr)
		if show := must("app", "show", "-id", "1"); strings.Count(show, "有效") != 1 {
			t.Errorf("the app create whose key was lost did not keep the app:\n%s", show)
		}

		for _, grace := range []string{"0", "24h"} {
			stdout, stderr, err = hutongFailing(t, vars, 2, "app", "rotate", "-id", "1", "-grace", grace)
			m := regexp.MustCompile(`已为应用 1 签发新密钥 ([0-9a-f]{12})，但它未能输出.*请运行 hutong app revoke-key -key ([0-9a-f]{12}) 吊销它，再运行 hutong app rotate -id 1 签发新密钥`).
				FindStringSubmatch(stderr)
			if err == nil || m == nil || m[1] != m[2] || !strings.Contains(stdout, "已为应用 1 签发新密钥 "+m[1]) {
				t.Fatalf("app rotate -grace %s, its key's line failing: got %v, want it lost with the advice\nstdout: %s\nstderr: %s", grace, err, stdout, stderr)
			}
			if revoked := strings.Contains(stderr, "旧密钥已立即吊销"); revoked != (grace == "0") {
				t.Errorf("app rotate -grace %s: said the old keys revoked at once: %v\n%s", grace, revoked, stderr)
			}
			noKey("app rotate -grace "+grace, stdout, stderr)
			must("app", "revoke-key", "-key", m[2])
			if out := must("app", "rotate", "-id", "1"); !strings.Contains(out, "htk_") {
				t.Errorf("app rotate after a lost key: %s", out)
			}
		}
	})
}

// TestOutputLost: any other command whose standard output cannot be
// written fails too, saying so in Chinese: one that changed something
// that it did (app revoke), a listing (app list) and help. They exited 0
// but app list, which failed in Go's words (write /dev/stdout: …).
func TestOutputLost(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	must := mustHutong(t, vars)
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
	must("app", "create", "-name", "运维", "-department", "1", "-scopes", "catalog.read")
	for _, args := range [][]string{{"app", "revoke", "-id", "1"}, {"app", "list"}, {"help"}, {"app", "-h"}} {
		_, stderr, err := hutongFailing(t, vars, 1, args...)
		want := "hutong: 未能写入标准输出（write /dev/stdout: no space left on device）：命令已执行，其输出缺失或不完整\n"
		if err == nil || stderr != want {
			t.Errorf("hutong %s onto a full disk: got %v, want %q\nstderr: %s", strings.Join(args, " "), err, want, stderr)
		}
	}
	if out := must("app", "list"); !strings.Contains(out, "已注销") {
		t.Errorf("the app revoke whose output was lost did not revoke:\n%s", out)
	}
}

// TestServeOutputLost: a server whose standard output cannot be written
// (its 已启动 line) serves, and stops as any other does: that output only
// announced it, its log (standard error) says what it does.
func TestServeOutputLost(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hutong.db")
	mustHutong(t, map[string]string{"HUTONG_DB": db})("migrate")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log testlog.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-db", db, "-addr", "127.0.0.1:0"}, func(string) string { return "" },
			&failingStdout{fail: 1}, &log)
	}()
	for !strings.Contains(log.String(), "msg=listening") {
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, log.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("serve stopped: %v, want it stopped as ever\n%s", err, log.String())
	}
}

// TestImportOutputLost: hutong import catalog whose standard output
// cannot be written still saves the mapping -save-mapping names, as the
// same run to a writable output does: the JSON report's failed write
// returned before the mapping was saved, and the failure said 命令已执行
// all the same. Of a refused file, it says that its output was lost and
// not that the command was done (nothing was imported), where the text
// report exited 1 saying nothing at all (errReported: its report was the
// one lost) and the JSON one said 命令已执行.
func TestImportOutputLost(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "h.db")}
	must := mustHutong(t, vars)
	must("migrate")
	cliDepartments(must)
	good := tempFile(t, "good.csv", cliCatalogCSV)
	_, stderr, err := hutongFailing(t, vars, 1, "import", "catalog", "-file", good, "-department", "区市监局", "-json", "-save-mapping", "映射甲", "-default", "网络环境=政务外网")
	if err == nil || !strings.Contains(stderr, "hutong: 未能写入标准输出（write /dev/stdout: no space left on device）：命令已执行") {
		t.Errorf("import -json onto a full disk: got %v\nstderr: %s", err, stderr)
	}
	must("import", "catalog", "-file", good, "-department", "区市监局", "-mapping", "映射甲", "-dry-run")

	header, row, _ := strings.Cut(cliCatalogCSV, "\n")
	bad := tempFile(t, "bad.csv", header+"\n"+strings.Replace(row, ",1,政务外网,", ",9,政务外网,", 1))
	for _, json := range []bool{false, true} {
		args := []string{"import", "catalog", "-file", bad, "-department", "区市监局", "-save-mapping", "映射乙", "-default", "网络环境=政务外网"}
		if json {
			args = append(args, "-json")
		}
		_, stderr, err := hutongFailing(t, vars, 1, args...)
		want := "hutong: 未能写入标准输出（write /dev/stdout: no space left on device）：命令未成功，其报告缺失或不完整\n"
		if err == nil || exitCode(context.Background(), err) != 1 || !strings.HasSuffix(stderr, want) {
			t.Errorf("import of a refused file (-json %v) onto a full disk: got %v, want %q\nstderr: %s", json, err, want, stderr)
		}
	}
	must("import", "catalog", "-file", good, "-department", "区市监局", "-mapping", "映射乙", "-dry-run")
	csv := filepath.Join(t.TempDir(), "out.csv")
	if out := must("export", "catalog", "-file", csv); !strings.Contains(out, "已导出 1 个数据资源") {
		t.Errorf("want the first file's entry alone imported:\n%s", out)
	}
}

// TestOutputLostOwnError: a command that fails for its own reason after
// a write to its standard output failed says both: its own error, and
// that its output was lost.
func TestOutputLostOwnError(t *testing.T) {
	err := outputLost(&env{}, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}, errors.New("应用不存在"))
	want := "应用不存在（另外，未能写入标准输出：write /dev/stdout: no space left on device，其输出缺失或不完整）"
	if err == nil || message(err) != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

// TestOutputConcurrentWrites: a command's standard output is written from
// two goroutines at once (hutong bench's progress of two engines), as an
// *os.File may be; under -race, the first error's keeping raced.
func TestOutputConcurrentWrites(t *testing.T) {
	out := &output{w: &failingStdout{fail: 100}}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 100 {
				out.Write([]byte("x"))
			}
		})
	}
	wg.Wait()
	if out.err == nil {
		t.Error("the 100th write's failure was not kept")
	}
}
