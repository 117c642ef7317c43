//go:build unix

package sqldbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

const (
	dirPrefix    = "hutongpg"
	templateDB   = "hutong_tmpl"
	startTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
)

var (
	// mainUsed records that the package runs its tests through Main, which
	// stops the server; without it a started server would outlive the tests.
	mainUsed atomic.Bool

	startOnce sync.Once
	srvMu     sync.Mutex // guards srv once startOnce has run
	srv       *pgServer  // set by startOnce, cleared by stopServer
	srvErr    error      // set by startOnce

	errNoPostgres = errors.New("no PostgreSQL server binaries found (looked at $HUTONG_PG_BIN, /usr/lib/postgresql/*/bin, pg_config --bindir and $PATH)")
)

// pgServer is a throwaway PostgreSQL cluster owned by this test binary.
type pgServer struct {
	dir     string   // temporary directory: data/, postgres.log, lock
	lock    *os.File // holds a lock on dir/lock while the test binary lives
	initdb  string
	binary  string // the postgres executable
	cred    *syscall.Credential
	port    int
	version string
	// copyStrategy is the STRATEGY clause of the copies' CREATE DATABASE:
	// FILE_COPY where the server has it (PostgreSQL 15 and later).
	copyStrategy string

	cmd     *exec.Cmd
	exited  chan struct{} // closed when the postmaster has exited
	waitErr error         // set before exited is closed

	admin    *sql.DB    // connected to the "postgres" database
	createMu sync.Mutex // PostgreSQL refuses concurrent copies of one template
	seq      atomic.Int64
	startup  time.Duration
	steps    []string // how long each step of the startup took
}

// step records how long a startup step took since the last one.
func (s *pgServer) step(name string, last *time.Time) {
	now := time.Now()
	s.steps = append(s.steps, fmt.Sprintf("%s %v", name, now.Sub(*last).Round(time.Millisecond)))
	*last = now
}

// server returns this binary's PostgreSQL server, starting it on first use.
// It skips or fails t when that is impossible.
func server(t testing.TB) *pgServer {
	t.Helper()
	if !mainUsed.Load() {
		t.Fatal("sqldbtest: PostgreSQL tests must run through sqldbtest.Main, which stops the server afterwards; add to the package's tests:\n" +
			"\tfunc TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }")
	}
	first := false
	startOnce.Do(func() {
		first = true
		srv, srvErr = startServer()
	})
	srvMu.Lock()
	s := srv
	srvMu.Unlock()
	switch {
	case errors.Is(srvErr, errNoPostgres):
		if os.Getenv("HUTONG_REQUIRE_PG") == "1" {
			t.Fatalf("sqldbtest: %v, and HUTONG_REQUIRE_PG=1 requires PostgreSQL tests to run", srvErr)
		}
		t.Skipf("sqldbtest: skipping PostgreSQL test: %v; set HUTONG_REQUIRE_PG=1 to fail instead", srvErr)
	case srvErr != nil:
		t.Fatalf("sqldbtest: %v", srvErr)
	case s == nil:
		t.Fatal("sqldbtest: the PostgreSQL server has already been stopped")
	}
	if first {
		t.Logf("sqldbtest: started PostgreSQL %s on 127.0.0.1:%d in %v (%s)",
			s.version, s.port, s.startup.Round(time.Millisecond), strings.Join(s.steps, ", "))
	}
	return s
}

// stopServer stops and removes the server, if one was started. Once it has
// run, no server starts any more.
func stopServer() error {
	startOnce.Do(func() {}) // waits for a start in progress; forbids later ones
	srvMu.Lock()
	s := srv
	srv = nil
	srvMu.Unlock()
	if s == nil {
		return nil
	}
	return s.stop()
}

func (s *pgServer) dsn(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

func startServer() (_ *pgServer, err error) {
	begin := time.Now()
	last := begin
	initdb, postgres, err := findBinaries()
	if err != nil {
		return nil, err
	}
	s := &pgServer{initdb: initdb, binary: postgres}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root.
		if s.cred, err = unprivileged(); err != nil {
			return nil, err
		}
	}
	// A short path, in case someone turns the Unix socket back on: socket
	// paths must stay under about 107 bytes.
	for _, root := range []string{fastTempDir(), os.TempDir()} {
		sweep(root)
		if s.dir, err = os.MkdirTemp(root, dirPrefix); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("start PostgreSQL: %w", err)
	}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	if s.lock, err = lockDir(s.dir); err != nil {
		return nil, fmt.Errorf("start PostgreSQL: %w", err)
	}
	if s.cred != nil {
		if err := chownAll(s.dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			return nil, fmt.Errorf("start PostgreSQL: %w", err)
		}
	}

	cmd := exec.Command(s.initdb, "-D", filepath.Join(s.dir, "data"), "-U", "postgres",
		"--auth=trust", "--no-sync", "--encoding=UTF8", "--locale=C.UTF-8")
	s.prepare(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", cmd, err, out)
	}
	s.step("initdb", &last)

	// A port that was free a moment ago may be taken by the time the server
	// binds it; then try another.
	for attempt := 1; ; attempt++ {
		err = s.start()
		if err == nil {
			break
		}
		var clash portClash
		if !errors.As(err, &clash) || attempt == 5 {
			return nil, err
		}
	}
	s.step("start", &last)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if s.admin, err = sql.Open("pgx", s.dsn("postgres")); err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	var versionNum int
	if err := s.admin.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('server_version_num')::int`).
		Scan(&s.version, &versionNum); err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if versionNum >= 150000 {
		s.copyStrategy = " STRATEGY FILE_COPY"
	}
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+templateDB); err != nil {
		return nil, fmt.Errorf("create template database: %w", err)
	}
	s.step("create template", &last)
	tmpl, err := sqldb.Open(ctx, s.dsn(templateDB), sqldb.Options{MaxReaders: 1})
	if err != nil {
		return nil, err
	}
	_, err = tmpl.Migrate(ctx)
	if cerr := tmpl.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("migrate template database: %w", err)
	}
	s.step("migrate template", &last)
	s.startup = time.Since(begin)
	return s, nil
}

// prepare makes cmd run in the server's directory, as the unprivileged user
// when the tests run as root, without the PG* variables of the environment.
func (s *pgServer) prepare(cmd *exec.Cmd) {
	cmd.Dir = s.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
}

type portClash struct{ port int }

func (c portClash) Error() string { return fmt.Sprintf("port %d is already in use", c.port) }

// start starts the postmaster on a free port and waits until it accepts
// connections.
func (s *pgServer) start() error {
	port, err := freePort()
	if err != nil {
		return fmt.Errorf("start PostgreSQL: %w", err)
	}
	logPath := filepath.Join(s.dir, "postgres.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("start PostgreSQL: %w", err)
	}
	data := filepath.Join(s.dir, "data")
	cmd := exec.Command(s.binary, "-D", data,
		"-c", "listen_addresses=127.0.0.1", "-p", strconv.Itoa(port),
		"-c", "unix_socket_directories=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200")
	s.prepare(cmd)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so that a ^C to the tests reaches it only through
	// Main, and so that stop can signal the postmaster and its children.
	cmd.SysProcAttr.Setpgid = true
	// Should the test binary die without Main's cleanup (a panic, a timeout,
	// a kill), the postmaster gets SIGQUIT and shuts down at once (on Linux).
	// The signal follows the thread that started the process, so that
	// goroutine keeps its thread for as long as the server runs.
	setParentDeathSignal(cmd.SysProcAttr, syscall.SIGQUIT)

	s.cmd = cmd
	s.exited = make(chan struct{})
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer close(s.exited)
		if err := cmd.Start(); err != nil {
			s.waitErr = err
			started <- err
			return
		}
		started <- nil
		s.waitErr = cmd.Wait()
	}()
	err = <-started
	logf.Close() // the server has its own descriptor
	if err != nil {
		return fmt.Errorf("start PostgreSQL: %w", err)
	}
	s.port = port

	serverLog := func() string {
		b, _ := os.ReadFile(logPath)
		return fmt.Sprintf("%s:\n%s", logPath, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		// Each attempt is short, lest something other than PostgreSQL that
		// holds the port keep us waiting for an answer.
		attempt, cancelAttempt := context.WithTimeout(ctx, time.Second)
		dir, err := dataDirectory(attempt, s.dsn("postgres"))
		cancelAttempt()
		select {
		case <-s.exited:
			log := serverLog()
			if strings.Contains(log, "Address already in use") {
				return portClash{port}
			}
			return fmt.Errorf("PostgreSQL exited while starting (%v); %s", s.waitErr, log)
		default:
		}
		if err == nil {
			if filepath.Clean(dir) == filepath.Clean(data) {
				return nil
			}
			// Another server took the port while ours failed to bind it.
			s.kill()
			return portClash{port}
		}
		select {
		case <-ctx.Done():
			s.kill()
			return fmt.Errorf("PostgreSQL did not accept connections within %v: %v\n%s", startTimeout, err, serverLog())
		case <-s.exited: // reported at the top of the loop
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// dataDirectory connects to the server at dsn and returns its data directory.
func dataDirectory(ctx context.Context, dsn string) (string, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	var dir string
	err = conn.QueryRow(ctx, `SHOW data_directory`).Scan(&dir)
	return dir, err
}

// kill stops the postmaster, if running: SIGINT (fast shutdown) to its
// process group, then SIGKILL if it has not exited in time.
func (s *pgServer) kill() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	defer func() { s.cmd = nil }()
	pgid := s.cmd.Process.Pid
	select {
	case <-s.exited:
		return nil
	default:
	}
	syscall.Kill(-pgid, syscall.SIGINT)
	select {
	case <-s.exited:
		return nil
	case <-time.After(stopTimeout):
	}
	syscall.Kill(-pgid, syscall.SIGKILL)
	select {
	case <-s.exited:
		return fmt.Errorf("PostgreSQL did not shut down within %v; killed it", stopTimeout)
	case <-time.After(stopTimeout):
		return fmt.Errorf("PostgreSQL (pid %d) survived SIGKILL", pgid)
	}
}

// stop stops the server and removes its directory. It reports a server
// that died before, with its log.
func (s *pgServer) stop() error {
	if s.admin != nil {
		s.admin.Close()
	}
	var err error
	if s.cmd != nil && s.cmd.Process != nil {
		select {
		case <-s.exited:
			b, _ := os.ReadFile(filepath.Join(s.dir, "postgres.log"))
			err = fmt.Errorf("PostgreSQL exited during the tests (%v); its log:\n%s", s.waitErr, b)
		default:
			err = s.kill()
		}
	}
	if s.dir != "" {
		if rerr := os.RemoveAll(s.dir); err == nil {
			err = rerr
		}
	}
	if s.lock != nil {
		s.lock.Close()
	}
	return err
}

// lockDir takes a lock on dir/lock that lasts as long as this process: the
// kernel releases it however the process ends, and sweep then knows that
// the directory is abandoned.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return f, nil
}

// sweep removes the directories that test binaries killed before Main could
// clean up (by a panic, a test timeout or SIGKILL) left in root: those whose
// lock nobody holds and whose postmaster has exited. On tmpfs they would
// hold memory until the next boot.
func sweep(root string) {
	dirs, _ := filepath.Glob(filepath.Join(root, dirPrefix+"*"))
	for _, dir := range dirs {
		f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_RDWR, 0)
		if err != nil {
			continue // not ours to judge, or still being set up
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil && !postmasterRunning(dir) {
			os.RemoveAll(dir)
		}
		f.Close()
	}
}

// postmasterRunning reports whether the process named in dir's
// postmaster.pid may still be running.
func postmasterRunning(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	if err != nil {
		return false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return false
	}
	return syscall.Kill(pid, 0) != syscall.ESRCH
}

// createDB copies the template into a new database and returns its name.
func (s *pgServer) createDB() (string, error) {
	return s.createCopy(templateDB)
}

// createCopy copies the database template, which nothing may be connected
// to, into a new database and returns its name. The copy is of the
// template's files (STRATEGY FILE_COPY), where PostgreSQL 15's default
// writes each of its pages to the write-ahead log: with fsync off the
// checkpoints a file copy asks for are cheap. A copy of the migrated
// template (9 MB) and its drop took 0.12 to 0.21 s so, 0.59 s through the
// log (10 of each, load average 25 on 2 cores).
func (s *pgServer) createCopy(template string) (string, error) {
	name := "t" + strconv.FormatInt(s.seq.Add(1), 10)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.createMu.Lock()
	defer s.createMu.Unlock()
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+template+s.copyStrategy); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return name, nil
}

// dropDB drops a database, closing any connections still open to it.
func (s *pgServer) dropDB(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		return fmt.Errorf("drop database %s: %w", name, err)
	}
	return nil
}

// findBinaries returns the paths of initdb and postgres: from
// $HUTONG_PG_BIN if set, else the newest /usr/lib/postgresql/*/bin (Debian
// keeps them off the PATH), else pg_config --bindir, else the PATH.
func findBinaries() (initdb, postgres string, err error) {
	inDir := func(dir string) (string, string, bool) {
		i, p := filepath.Join(dir, "initdb"), filepath.Join(dir, "postgres")
		return i, p, isExecutable(i) && isExecutable(p)
	}
	if dir := os.Getenv("HUTONG_PG_BIN"); dir != "" {
		if i, p, ok := inDir(dir); ok {
			return i, p, nil
		}
		// Named explicitly, so a mistake is an error, not a reason to skip.
		return "", "", fmt.Errorf("HUTONG_PG_BIN=%s holds no initdb and postgres executables", dir)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { // newest first
		return versionLess(filepath.Base(filepath.Dir(dirs[j])), filepath.Base(filepath.Dir(dirs[i])))
	})
	if pgConfig, err := exec.LookPath("pg_config"); err == nil {
		if out, err := exec.Command(pgConfig, "--bindir").Output(); err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	if i, err := exec.LookPath("initdb"); err == nil {
		// Follow a symlink (/usr/local/bin/initdb) to the real bin directory.
		if real, err := filepath.EvalSymlinks(i); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
		dirs = append(dirs, filepath.Dir(i))
	}
	for _, dir := range dirs {
		if i, p, ok := inDir(dir); ok {
			return i, p, nil
		}
	}
	return "", "", errNoPostgres
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// versionLess compares versions such as "9.6" and "15" numerically.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// unprivileged returns the credentials of the postgres user, for running the
// server when the tests run as root.
func unprivileged() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL refuses to run as root, and there is no postgres user to run it as: %w", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user postgres: uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("user postgres: gid %q: %w", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func chownAll(root string, uid, gid int) error {
	return filepath.WalkDir(root, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, uid, gid)
	})
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
