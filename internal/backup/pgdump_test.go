package backup_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// fakePgDump puts a pg_dump in HUTONG_PG_BIN that writes stderr, as
// pg_dump writes its errors, and exits with status 1; it returns its path.
func fakePgDump(t *testing.T, stderr string) string {
	t.Helper()
	bin := t.TempDir()
	script := "#!/bin/sh\ncat >&2 <<'EOF'\n" + stderr + "\nEOF\nexit 1\n"
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HUTONG_PG_BIN", bin)
	return filepath.Join(bin, "pg_dump")
}

// TestBackupPgDumpFails: pg_dump's failure is said in one Chinese line
// naming pg_dump and the database (without its password), with the common
// causes in words — pg_dump older than the server, with the client package
// to install and HUTONG_PG_BIN; a table the role may not read; no
// connection; a full disk, a wrong password or role, a missing database and
// a file it may not open, which said only 退出状态 1 or, for a wrong
// password, that the server could not be reached — and pg_dump's own lines
// after it. No file is left behind.
func TestBackupPgDumpFails(t *testing.T) {
	const dsn = "postgres://hutong:Secret-9@db.internal:5432/hutong"
	const source = "postgres://hutong:xxxxx@db.internal:5432/hutong"
	for _, tc := range []struct{ stderr, want string }{
		{"pg_dump: error: aborting because of server version mismatch\n" +
			"pg_dump: detail: server version: 16.4 (Debian 16.4-1.pgdg120+1); pg_dump version: 15.8 (Debian 15.8-0+deb12u1)",
			"pg_dump 的版本（15.8）比数据库服务器（16.4）旧：请安装 postgresql-client-16，" +
				"或将环境变量 HUTONG_PG_BIN 设为 16 版 pg_dump 所在的文件夹（如 /usr/lib/postgresql/16/bin）"},
		// pg_dump 14 and older: the versions first.
		{"pg_dump: error: server version: 17.2; pg_dump version: 14.10\npg_dump: error: aborting because of server version mismatch",
			"pg_dump 的版本（14.10）比数据库服务器（17.2）旧：请安装 postgresql-client-17，" +
				"或将环境变量 HUTONG_PG_BIN 设为 17 版 pg_dump 所在的文件夹（如 /usr/lib/postgresql/17/bin）"},
		{"pg_dump: error: query failed: ERROR:  permission denied for table audit_log\n" +
			"pg_dump: detail: Query was: LOCK TABLE public.audit_log IN ACCESS SHARE MODE",
			"数据库用户无权读取 audit_log：请以拥有全部表的角色（服务器登录所用的角色）备份（见 docs/backup.md）"},
		{`pg_dump: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused` + "\n" +
			"\tIs the server running on that host and accepting TCP/IP connections?",
			"无法连接数据库服务器：连接被拒绝（服务器未运行，或主机、端口有误）"},
		{`pg_dump: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: timeout expired`,
			"无法连接数据库服务器"},
		{"pg_dump: error: could not write to output file: No space left on device",
			"磁盘空间不足：备份所在的文件系统已满，请腾出空间或以 -o 写到另一处"},
		{`pg_dump: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: FATAL:  password authentication failed for user "hutong"`,
			"角色不存在或密码错误：请检查 DSN 中的用户名，以及 PGPASSWORD 或 ~/.pgpass 中的密码（见 docs/backup.md）"},
		{`pg_dump: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: FATAL:  role "hutong" does not exist`,
			"角色不存在或密码错误：请检查 DSN 中的用户名，以及 PGPASSWORD 或 ~/.pgpass 中的密码（见 docs/backup.md）"},
		{`pg_dump: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: fe_sendauth: no password supplied`,
			"角色不存在或密码错误：请检查 DSN 中的用户名，以及 PGPASSWORD 或 ~/.pgpass 中的密码（见 docs/backup.md）"},
		{`pg_dump: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: FATAL:  database "hutong" does not exist`,
			"数据库不存在：请检查 DSN 中的数据库名"},
		{`pg_dump: error: could not open output file "/srv/b/.b.dump.partial-7": Permission denied`,
			"没有权限：pg_dump 无法打开它须读写的文件（备份文件夹须可由运行 hutong backup 的用户写入）"},
		// A socket this user may not open is a connection problem, not a
		// file pg_dump writes (until 2026-12-05 it was said to be one).
		{`pg_dump: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: Permission denied` + "\n" +
			"\tIs the server running locally and accepting connections on that socket?",
			"无法连接数据库服务器：运行 hutong backup 的用户无权打开数据库服务器的套接字（/var/run/postgresql/.s.PGSQL.5432）：" +
				"请以有权访问它的用户运行，或改用 TCP 连接（DSN 中的 host）"},
		{"pg_dump: error: something new", "退出状态 1"},
	} {
		pgDump := fakePgDump(t, tc.stderr)
		dir := t.TempDir()
		_, err := backup.Run(t.Context(), &sqldb.DB{Dialect: sqldb.Postgres}, dsn, filepath.Join(dir, "b.dump"), nil)
		want := "pg_dump（" + pgDump + "）未能导出数据库 " + source + "：" + tc.want + "\n" + tc.stderr
		if err == nil || err.Error() != want {
			t.Errorf("backup with pg_dump failing so:\n%v\nwant\n%s", err, want)
		}
		if err != nil && strings.Contains(err.Error(), "Secret-9") {
			t.Errorf("the error shows the password: %v", err)
		}
		noFiles(t, dir)
	}
}
