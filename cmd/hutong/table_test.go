package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
)

func TestDisplayWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"nh.admin", 8},
		{"陈志远", 6},
		{"南海区政务服务数据管理局", 24},
		{"区市监局（南海）：", 18},
		{"ＡＢ", 4},          // fullwidth Latin
		{"e\u0301", 1},     // e and a combining acute accent
		{"—·…", 3},         // ambiguous width: narrow
		{"户籍人口、居民身份证", 20}, // ideographic comma
		{"𠀀", 2},           // CJK extension B
	} {
		if got := displayWidth(c.s); got != c.want {
			t.Errorf("displayWidth(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

// TestTableAlignsCJK: columns after a column of Chinese text start at the
// same terminal column on every line (tabwriter counts runes and did not).
func TestTableAlignsCJK(t *testing.T) {
	rows := []string{"ID\tNAME\tDEPARTMENT\tSTATUS", "1\tnh.admin\t南海区政务服务数据管理局\tactive", "12\t陈志远\tIT\tdisabled"}
	var out bytes.Buffer
	tw := newTable(&out)
	for _, r := range rows {
		fmt.Fprintln(tw, r)
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines:\n%s", len(lines), out.String())
	}
	col := func(line, cell string) int { return displayWidth(line[:strings.Index(line, cell)]) }
	for _, c := range [][3]string{{"NAME", "nh.admin", "陈志远"}, {"DEPARTMENT", "南海区", "IT"}, {"STATUS", "active", "disabled"}} {
		if a, b, d := col(lines[0], c[0]), col(lines[1], c[1]), col(lines[2], c[2]); a != b || a != d {
			t.Errorf("column %s starts at %d, %d, %d:\n%s", c[0], a, b, d, out.String())
		}
	}
	want := "ID  NAME      DEPARTMENT                STATUS\n" +
		"1   nh.admin  南海区政务服务数据管理局  active\n" +
		"12  陈志远    IT                        disabled\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestTableLikeTabwriter: on ASCII text the table prints what tabwriter
// printed, blocks, short lines and text after the last line included.
func TestTableLikeTabwriter(t *testing.T) {
	in := "REGION\tNAME\tLEVEL\tPARENT\n440605\tNanhai\tdistrict\t440600\n\nDEPARTMENT\tNAME\tUSCC\tREGION\n1\tdata bureau\t1144\t440605\n" +
		"a\tb\n2 stale entries\nx\ty\tz\ttrailing\t\nno newline"
	var want, got bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
	tw.Write([]byte(in))
	tw.Flush()
	tb := newTable(&got)
	tb.Write([]byte(in))
	tb.Flush()
	if got.String() != want.String() {
		t.Errorf("got\n%q\nwant (tabwriter)\n%q", got.String(), want.String())
	}
}

// TestUserListAlignsCJK: hutong user list lines up the column after the
// Chinese names and departments.
func TestUserListAlignsCJK(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": t.TempDir() + "/h.db", "HUTONG_PASSWORD": "Correct-Horse-9"}
	must := mustHutong(t, vars)
	must("migrate")
	mustNanhai(must)
	must("org", "department-create", "-name", "南海区政务服务数据管理局", "-uscc", demo.USCC("440605", 1), "-region", "440605", "-operator")
	must("user", "create", "-username", "nh.admin", "-name", "陈志远", "-department", "1", "-role", "operator")
	must("user", "create", "-username", "ops", "-name", "Ops", "-department", "1", "-role", "auditor")
	out := must("user", "list")
	var starts []int
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		i := strings.LastIndex(l, "  ") + 2 // the 状态 column
		starts = append(starts, displayWidth(l[:i]))
	}
	if len(starts) != 3 || starts[0] != starts[1] || starts[1] != starts[2] {
		t.Errorf("状态 starts at columns %v:\n%s", starts, out)
	}
}

func TestBeijingTime(t *testing.T) {
	at := time.Date(2026, 12, 3, 6, 5, 6, 7, time.UTC)
	for _, in := range []time.Time{at, at.In(time.FixedZone("PST", -8*3600))} {
		if got := beijingTime(in); got != "2026-12-03 14:05:06" {
			t.Errorf("beijingTime(%v) = %q, want 2026-12-03 14:05:06", in, got)
		}
	}
}
