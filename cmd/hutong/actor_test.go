package main

import (
	"os"
	"os/user"
	"strconv"
	"testing"
)

// TestCLIActor: an administration command is audited as the operating
// system's account that ran it, not as $USER, which is missing under
// systemd, cron and in containers (cli:unknown) and which anyone may set
// to another name; a $USER that differs is kept beside it as a claim.
func TestCLIActor(t *testing.T) {
	account := "uid=" + strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		account = u.Username
	}
	for userVar, want := range map[string]string{
		"":        "cli:" + account,
		account:   "cli:" + account,
		"mallory": "cli:" + account + "(USER=mallory)",
	} {
		e := &env{Getenv: func(k string) string {
			if k == "USER" {
				return userVar
			}
			return ""
		}}
		if got := cliActor(e); got.Name != want || got.Kind != "system" || got.ID != "cli" {
			t.Errorf("USER=%q: actor %+v, want the name %q", userVar, got, want)
		}
	}
}
