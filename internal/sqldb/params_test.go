package sqldb

import "testing"

func TestParams(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{SQLite.Values("INSERT INTO t VALUES ", 2, 2), "INSERT INTO t VALUES (?,?),(?,?)"},
		{Postgres.Values("INSERT INTO t VALUES ", 2, 2), "INSERT INTO t VALUES ($1,$2),($3,$4)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
