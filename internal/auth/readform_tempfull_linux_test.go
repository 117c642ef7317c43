package auth_test

import (
	"bytes"
	"errors"
	"mime/multipart"
	"net/http/httptest"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/errs"
)

// fullTmpDirEnv names, in the test's child process, the folder it mounts
// a tmpfs too small for the form's spill on and points TMPDIR at.
const fullTmpDirEnv = "HUTONG_TEST_FULL_TMPDIR"

// A multipart form over ReadForm's 32 MiB in memory, its rest spilled to a
// full temporary directory, is the server's temporary condition: 503
// temp_space_full keeping the ENOSPC, not 400 bad_form. The test runs
// itself again in a user and mount namespace of its own, where it mounts a
// 64 KiB tmpfs for TMPDIR; it is skipped where the system allows no such
// namespace.
func TestReadFormTempSpaceFull(t *testing.T) {
	if dir := os.Getenv(fullTmpDirEnv); dir != "" {
		if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
			t.Fatalf("mount tmpfs: %v", err)
		}
		t.Setenv("TMPDIR", dir)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, err := mw.CreateFormFile("file", "big.jsonl")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(bytes.Repeat([]byte("a"), 33<<20))
		mw.Close()
		r := httptest.NewRequest("POST", "/records/upload", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		err = auth.ReadForm(r)
		e := errs.As(err)
		if e == nil || e.Kind != errs.Unavailable || e.Code != "temp_space_full" || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("ReadForm with TMPDIR full: %v (%+v); want 503 temp_space_full keeping ENOSPC", err, e)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestReadFormTempSpaceFull$", "-test.v")
	cmd.Env = append(os.Environ(), fullTmpDirEnv+"="+t.TempDir())
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Skipf("no user and mount namespace to mount a small tmpfs in: %v", err)
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("--- PASS: TestReadFormTempSpaceFull")) {
		t.Fatalf("the child did not run the test:\n%s", out)
	}
}
