package main

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hutong-gov/hutong/internal/testlog"
)

// openPTY opens a pseudo-terminal: the controller, which plays the
// keyboard and screen, and the terminal the program reads.
func openPTY(t *testing.T) (controller, tty *os.File) {
	t.Helper()
	controller, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { controller.Close() })
	// Through SyscallConn rather than Fd, which would turn off the read
	// deadlines.
	conn, err := controller.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = conn.Control(func(fd uintptr) {
		if err = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); err == nil {
			n, err = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return controller, tty
}

// echoOff waits until the terminal no longer echoes what is typed.
func echoOff(t *testing.T, tty *os.File) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			return
		}
	}
	t.Fatal("the password prompt left echo on")
}

// waitOutput waits until s's output holds want.
func waitOutput(t *testing.T, s *testlog.Buffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.String(), want); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in %q", want, s.String())
		}
	}
}

// TestReadPasswordAtTerminal types a password at a terminal: it is read
// without echo, twice, and the terminal echoes again afterwards.
func TestReadPasswordAtTerminal(t *testing.T) {
	type result struct {
		pw  string
		err error
	}
	for _, c := range []struct {
		name, first, second, want string
		ok                        bool
	}{
		{"same", "Correct-Horse-9", "Correct-Horse-9", "Correct-Horse-9", true},
		{"different", "Correct-Horse-9", "Correct-Horse-8", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			controller, tty := openPTY(t)
			var stderr testlog.Buffer
			e := &env{Stderr: &stderr, Getenv: func(string) string { return "" }}
			done := make(chan result, 1)
			go func() {
				pw, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", tty)
				done <- result{pw, err}
			}()
			echoOff(t, tty)
			controller.WriteString(c.first + "\n")
			waitOutput(t, &stderr, "再次输入")
			echoOff(t, tty)
			controller.WriteString(c.second + "\n")
			r := <-done
			if r.pw != c.want || (r.err == nil) != c.ok {
				t.Errorf("readPassword = %q, %v; want %q (ok %v)", r.pw, r.err, c.want, c.ok)
			}
			// The screen shows no password: nothing came back but what
			// the terminal says after each line.
			controller.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
			screen := make([]byte, 4096)
			n, _ := controller.Read(screen)
			if strings.Contains(string(screen[:n]), "Correct") {
				t.Errorf("the password was echoed: %q", screen[:n])
			}
			tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
			if err != nil || tio.Lflag&unix.ECHO == 0 {
				t.Errorf("echo not restored: %v", err)
			}
		})
	}
}

// TestReadPasswordInterrupted cancels the prompt as Ctrl-C does: the read
// ends and the terminal echoes again.
func TestReadPasswordInterrupted(t *testing.T) {
	_, tty := openPTY(t)
	var stderr testlog.Buffer
	e := &env{Stderr: &stderr, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := readPassword(ctx, e, "HUTONG_PASSWORD", tty)
		done <- err
	}()
	echoOff(t, tty)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted prompt: %v", err)
	}
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil || tio.Lflag&unix.ECHO == 0 {
		t.Errorf("echo not restored: %v", err)
	}
}

// TestReadPasswordPiped reads the first line of a pipe, and prefers the
// environment variable.
func TestReadPasswordPiped(t *testing.T) {
	var stderr testlog.Buffer
	e := &env{Stderr: &stderr, Getenv: func(string) string { return "" }}
	if pw, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", strings.NewReader("Correct-Horse-9\r\nmore\n")); pw != "Correct-Horse-9" || err != nil {
		t.Errorf("piped: %q, %v", pw, err)
	}
	e.Getenv = func(string) string { return "From-Env-7" }
	if pw, err := readPassword(context.Background(), e, "HUTONG_PASSWORD", strings.NewReader("x\n")); pw != "From-Env-7" || err != nil {
		t.Errorf("from the environment: %q, %v", pw, err)
	}
}
