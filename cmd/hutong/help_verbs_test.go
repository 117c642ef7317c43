package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestHelpListsVerbs: hutong help lists, after each command's summary, the
// verbs (or kinds) the command accepts, which a bogus verb's refusal names,
// and hutong help COMMAND VERB explains each of them. The summaries were
// written by hand: catalog's said "check" after transfer was added.
func TestHelpListsVerbs(t *testing.T) {
	vars := map[string]string{"HUTONG_DB": filepath.Join(t.TempDir(), "none.db")} // never opened
	help, err := hutong(t, nil, "help")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]string{}
	for _, l := range strings.Split(help, "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(l, "  ") {
			lines[f[0]] = strings.Join(f[1:], " ")
		}
	}
	refusal := regexp.MustCompile(`可用的(?:子命令|类型)：(.*)（用法见`)
	for name, c := range commands() {
		if c.verbs == nil {
			continue
		}
		_, err := hutong(t, vars, name, "bogus")
		m := refusal.FindStringSubmatch(errString(err))
		if m == nil {
			t.Errorf("hutong %s bogus: %v, want the verbs it has", name, err)
			continue
		}
		verbs := strings.Split(m[1], "、")
		if got := lines[name]; !strings.HasSuffix(got, ": "+strings.Join(verbs, ", ")) {
			t.Errorf("hutong help lists %s as %q, which accepts %v", name, got, verbs)
		}
		for _, v := range verbs {
			if out, err := hutong(t, vars, "help", name, v); err != nil || !strings.HasPrefix(out, "Usage: hutong "+name) {
				t.Errorf("hutong help %s %s: %v\n%s", name, v, err, out)
			}
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestREADMECommands: README's Commands table has a row for every command
// (hutong import catalog's row stands for import), each of a command's
// verbs is named in its rows, and the sentence under the table names the
// commands with verbs, which left out catalog.
func TestREADMECommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Commands\n")
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]string{} // a command's rows, joined
	row := regexp.MustCompile("(?m)^\\| `hutong ([a-z]+)(.*)$")
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		rows[m[1]] += m[2] + "\n"
	}
	cmds := commands()
	var inTable, withVerbs []string
	for name := range rows {
		inTable = append(inTable, name)
	}
	var names []string
	for name, c := range cmds {
		names = append(names, name)
		if c.verbs == nil {
			continue
		}
		withVerbs = append(withVerbs, name)
		for _, v := range c.verbs {
			if !strings.HasPrefix(rows[name], " "+v) && !strings.Contains(rows[name], "\n "+v) &&
				!strings.Contains(rows[name], "`"+v+"`") {
				t.Errorf("README's Commands table does not name %s %s", name, v)
			}
		}
	}
	slices.Sort(inTable)
	slices.Sort(names)
	if !slices.Equal(inTable, names) {
		t.Errorf("README's Commands table has rows for %v, the commands are %v", inTable, names)
	}
	m := regexp.MustCompile(`for a command\s+with verbs \(([^)]*)\)`).FindStringSubmatch(section)
	if m == nil {
		t.Fatal("README's Commands section does not say which commands have verbs")
	}
	var said []string
	for _, w := range strings.Split(m[1], ",") {
		said = append(said, strings.Trim(w, " `"))
	}
	slices.Sort(said)
	slices.Sort(withVerbs)
	if !slices.Equal(said, withVerbs) {
		t.Errorf("README names %v as the commands with verbs, they are %v", said, withVerbs)
	}
}
