package main

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"unicode/utf8"
)

// envVars are the environment variables the commands read, all of them:
// README's Configuration section names the same (TestEnvVarsInREADME).
var envVars = []string{
	"HUTONG_DB", "HUTONG_ADDR", "HUTONG_LOG_FORMAT", "HUTONG_SECURE_COOKIES", "HUTONG_TRUSTED_PROXIES",
	"HUTONG_MIGRATE", "HUTONG_CALENDAR", "HUTONG_DB_CONNS", "HUTONG_UNCHANGED_KEY_DAYS", "HUTONG_DEV",
	"HUTONG_DEPARTMENT", "HUTONG_PASSWORD", "HUTONG_PG_BIN", "HUTONG_BENCH_DIR", "HUTONG_BENCH_PG",
}

// testEnvPrefixes are the beginnings of the variables the tests, the
// benchmarks and CI read (HUTONG_REQUIRE_PG, HUTONG_BENCH_ENTRIES,
// HUTONG_CRASH_SEED, HUTONG_WRITE_OBJECTS …): set for a test run, they are
// not the commands' and not warned of (TestEnvVarsReadNotWarned).
var testEnvPrefixes = []string{"HUTONG_REQUIRE_", "HUTONG_BENCH_", "HUTONG_CRASH_", "HUTONG_SOAK",
	"HUTONG_TEST_", "HUTONG_MEMTEST_", "HUTONG_FUZZTIME", "HUTONG_CHROMIUM", "HUTONG_WRITE_OBJECTS"}

// warnUnknownEnv warns on w of every HUTONG_* variable of environ (as
// os.Environ gives it) that no command reads, naming the known one it is
// most likely a typo of: HUTONG_DSN, HUTONG_ADDRESS or HUTONG_MIGRAT were
// ignored without a word, and the server ran on its defaults. With log
// (serve's and demo's JSON log, startLog) each is a warning there.
func warnUnknownEnv(w io.Writer, environ []string, log *slog.Logger) {
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "HUTONG_") || slices.Contains(envVars, name) ||
			slices.ContainsFunc(testEnvPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			continue
		}
		near := nearestEnvVar(name)
		switch {
		case log != nil && near != "":
			log.Warn("unknown environment variable ignored", "name", name, "did_you_mean", near)
		case log != nil:
			log.Warn("unknown environment variable ignored", "name", name)
		case near != "":
			fmt.Fprintf(w, "hutong: 警告：未知的环境变量 %s，已忽略；是否想设置 %s？\n", name, near)
		default:
			fmt.Fprintf(w, "hutong: 警告：未知的环境变量 %s，已忽略（可用的变量见 README 的 Configuration 一节）\n", name)
		}
	}
}

// nearestEnvVar is the known variable name is most likely a typo of: the
// first at the least edit distance, within a third of its length (at
// least 2), or one whose name begins the other's (HUTONG_ADDRESS,
// HUTONG_ADDR); "" when none is near.
func nearestEnvVar(name string) string {
	s := strings.TrimPrefix(name, "HUTONG_")
	best, bestDist := "", max(2, utf8.RuneCountInString(s)/3+1)+1
	for _, v := range envVars {
		k := strings.TrimPrefix(v, "HUTONG_")
		if d := editDistance(s, k); d < bestDist {
			best, bestDist = v, d
		}
	}
	if best != "" {
		return best
	}
	for _, v := range envVars {
		k := strings.TrimPrefix(v, "HUTONG_")
		if strings.HasPrefix(s, k) || strings.HasPrefix(k, s) {
			return v
		}
	}
	return ""
}
