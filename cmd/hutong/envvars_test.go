package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestWarnUnknownEnv: a mistyped HUTONG_* variable (HUTONG_DSN,
// HUTONG_ADDRESS, HUTONG_MIGRAT, HUTONG_SECURE_COOKIE) was ignored without
// a word. Each is warned of on standard error, in Chinese, naming the
// variable it is nearest; the known variables, the tests' (HUTONG_REQUIRE_PG,
// HUTONG_BENCH_ENTRIES …) and other programs' are not. The built command
// warns at start.
func TestWarnUnknownEnv(t *testing.T) {
	var out strings.Builder
	warnUnknownEnv(&out, []string{"HUTONG_DSN=x.db", "HUTONG_ADDRESS=:9090", "HUTONG_MIGRAT=false",
		"HUTONG_SECURE_COOKIE=true", "HUTONG_WHATEVER_ELSE=1", "HUTONG_DB=a.db", "HUTONG_ADDR=:8080",
		"HUTONG_REQUIRE_PG=1", "HUTONG_REQUIRE_BROWSER=1", "HUTONG_BENCH_ENTRIES=2000", "HUTONG_CRASH_SEED=1",
		"HUTONG_SOAK=2m", "HUTONG_FUZZTIME=4s", "HUTONG_TEST_BACKUP_CHILD=1", "HUTONG_WRITE_OBJECTS=1", "PATH=/usr/bin"}, nil)
	want := "hutong: 警告：未知的环境变量 HUTONG_DSN，已忽略；是否想设置 HUTONG_DB？\n" +
		"hutong: 警告：未知的环境变量 HUTONG_ADDRESS，已忽略；是否想设置 HUTONG_ADDR？\n" +
		"hutong: 警告：未知的环境变量 HUTONG_MIGRAT，已忽略；是否想设置 HUTONG_MIGRATE？\n" +
		"hutong: 警告：未知的环境变量 HUTONG_SECURE_COOKIE，已忽略；是否想设置 HUTONG_SECURE_COOKIES？\n" +
		"hutong: 警告：未知的环境变量 HUTONG_WHATEVER_ELSE，已忽略（可用的变量见 README 的 Configuration 一节）\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	cmd := exec.Command(builtHutong(t), "help")
	cmd.Env = append(os.Environ(), "HUTONG_DSN=x.db")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "未知的环境变量 HUTONG_DSN，已忽略；是否想设置 HUTONG_DB？") {
		t.Errorf("hutong help with HUTONG_DSN set: standard error %q, want the warning", stderr.String())
	}
}

// TestEnvVarsInREADME: README's Configuration section names the variables
// the commands read (envVars), no more and no fewer.
func TestEnvVarsInREADME(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, _ := strings.Cut(string(b), "\n## Configuration\n")
	sec, _, _ = strings.Cut(sec, "\n## ")
	var got []string
	for _, v := range regexp.MustCompile(`HUTONG_[A-Z0-9_]+`).FindAllString(sec, -1) {
		if !slices.Contains(got, v) {
			got = append(got, v)
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(envVars))
	if !slices.Equal(got, want) {
		t.Errorf("README's Configuration names %v, the commands read %v", got, want)
	}
}

// TestEnvVarsReadNotWarned: every HUTONG_* variable the repository's code
// reads (os.Getenv, os.LookupEnv, the tests' included) or .ci/run sets is
// one no command warns of: a command's (envVars) or a test's
// (testEnvPrefixes). HUTONG_WRITE_OBJECTS, which regenerates sqldb's
// expected objects, was warned of by every command of a test run that set it.
func TestEnvVarsReadNotWarned(t *testing.T) {
	read := regexp.MustCompile(`(?:Getenv|LookupEnv)\("(HUTONG_[A-Z0-9_]+)"\)`)
	var names []string
	add := func(vs ...string) {
		for _, v := range vs {
			if !slices.Contains(names, v) {
				names = append(names, v)
			}
		}
	}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "../.." && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range read.FindAllStringSubmatch(string(b), -1) {
			add(m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := os.ReadFile("../../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	add(regexp.MustCompile(`HUTONG_[A-Z0-9_]+`).FindAllString(string(ci), -1)...)
	if !slices.Contains(names, "HUTONG_WRITE_OBJECTS") || !slices.Contains(names, "HUTONG_REQUIRE_PG") {
		t.Fatalf("found %v, not the variables sqldb's and the storage tests read", names)
	}
	var environ []string
	for _, v := range names {
		environ = append(environ, v+"=1")
	}
	var out strings.Builder
	warnUnknownEnv(&out, environ, nil)
	if out.Len() > 0 {
		t.Errorf("variables the code reads are warned of:\n%s", out.String())
	}
}
