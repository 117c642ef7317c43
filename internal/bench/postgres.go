//go:build unix

package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Postgres is a PostgreSQL cluster that hutong bench keeps in a directory
// of its own when it is given no server, so that the database it builds
// there is reused by later runs: initdb on first use, then started on a
// free loopback port for the run and stopped after it. It runs with
// PostgreSQL's default settings — fsync and synchronous commit on — as a
// production server would, and as the postgres user when bench runs as
// root, since PostgreSQL refuses to run as root.
type Postgres struct {
	dir    string
	port   int
	cmd    *exec.Cmd
	exited chan struct{}
}

// benchDatabase is the database bench uses in its own cluster.
const benchDatabase = "hutong_bench"

// StartPostgres starts the cluster in dir, creating it first if needed,
// and reports what it does to out.
func StartPostgres(ctx context.Context, dir string, out io.Writer) (*Postgres, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("bench: PostgreSQL refuses to run as root and there is no postgres user: %w", err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
	}
	command := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "PG") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		// Its own process group: a ^C to bench reaches it only through Stop.
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
		return cmd
	}
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		fmt.Fprintf(out, "  postgres: creating a cluster in %s\n", data)
		cmd := command("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
		if b, err := cmd.CombinedOutput(); err != nil {
			if cred != nil {
				b = append(b, "(initdb runs as the postgres user, which must be able to reach "+dir+")"...)
			}
			return nil, fmt.Errorf("bench: %s: %v\n%s", cmd, err, b)
		}
	}
	if err := stopOrphan(data, out); err != nil {
		return nil, err
	}
	p := &Postgres{dir: dir, exited: make(chan struct{})}
	if p.port, err = freePort(); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	logPath := filepath.Join(dir, "postgres.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer logf.Close() // the server has its own descriptor
	p.cmd = command("postgres", "-D", data, "-c", "listen_addresses=127.0.0.1", "-p", strconv.Itoa(p.port),
		"-c", "unix_socket_directories=", "-c", "max_connections=200")
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start PostgreSQL: %w", err)
	}
	go func() {
		p.cmd.Wait()
		close(p.exited)
	}()
	if err := p.ready(ctx, logPath); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

// ready waits until the server accepts connections, then creates the bench
// database if it is missing.
func (p *Postgres) ready(ctx context.Context, logPath string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		attempt, cancel := context.WithTimeout(ctx, time.Second)
		conn, err := pgx.Connect(attempt, p.dsn("postgres"))
		cancel()
		if err == nil {
			defer conn.Close(context.Background())
			var n int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, benchDatabase).Scan(&n); err != nil {
				return fmt.Errorf("bench: %w", err)
			}
			if n == 0 {
				if _, err := conn.Exec(ctx, `CREATE DATABASE `+benchDatabase); err != nil {
					return fmt.Errorf("bench: %w", err)
				}
			}
			return nil
		}
		select {
		case <-p.exited:
			b, _ := os.ReadFile(logPath)
			return fmt.Errorf("bench: PostgreSQL exited while starting; %s:\n%s", logPath, tail(b, 2000))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: PostgreSQL did not accept connections within a minute: %v", err)
		}
	}
}

func tail(b []byte, n int) []byte {
	return b[max(0, len(b)-n):]
}

func (p *Postgres) dsn(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.port, db)
}

// DSN is the bench database of the cluster.
func (p *Postgres) DSN() string { return p.dsn(benchDatabase) }

// Stop shuts the server down (fast shutdown: SIGINT to its process group),
// killing it if it has not exited within a minute.
func (p *Postgres) Stop() error {
	pgid := p.cmd.Process.Pid
	syscall.Kill(-pgid, syscall.SIGINT)
	select {
	case <-p.exited:
		return nil
	case <-time.After(time.Minute):
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.exited
	return fmt.Errorf("bench: PostgreSQL did not shut down within a minute; killed it")
}

// stopOrphan stops a server left running on data by a bench that was
// killed before it could stop it.
func stopOrphan(data string, out io.Writer) error {
	b, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		return nil
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || pid <= 0 || strings.TrimSpace(string(comm)) != "postgres" {
		return nil // stale (the server replaces it when it starts), or not to be judged here
	}
	fmt.Fprintf(out, "  postgres: stopping the server (pid %d) that an earlier run left running\n", pid)
	syscall.Kill(pid, syscall.SIGINT)
	for range 600 {
		if syscall.Kill(pid, 0) != nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("bench: the PostgreSQL server (pid %d) on %s does not stop", pid, data)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// postgresBin returns the directory of initdb and postgres: $HUTONG_PG_BIN
// if set, else the newest /usr/lib/postgresql/*/bin (Debian keeps them off
// the PATH), else pg_config --bindir, else where initdb on the PATH leads.
func postgresBin() (string, error) {
	has := func(dir string) bool {
		for _, name := range []string{"initdb", "postgres"} {
			fi, err := os.Stat(filepath.Join(dir, name))
			if err != nil || !fi.Mode().IsRegular() || fi.Mode()&0o111 == 0 {
				return false
			}
		}
		return true
	}
	if dir := os.Getenv("HUTONG_PG_BIN"); dir != "" {
		if has(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("bench: HUTONG_PG_BIN=%s holds no initdb and postgres executables", dir)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(dir string) int {
		v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
		return v
	}
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) }) // newest first
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	if path, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(path); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
	}
	for _, dir := range dirs {
		if has(dir) {
			return dir, nil
		}
	}
	return "", ErrNoPostgres
}
