package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
)

// required reports the named flags that were left empty (or 0), as
// "必须指定 -name", so that a forgotten flag is not looked up
// as an empty name or id ("部门不存在：", "应用不存在").
func required(fs *flag.FlagSet, names ...string) error {
	var missing []string
	for _, n := range names {
		if v := fs.Lookup(n).Value.String(); v == "" || v == "0" {
			missing = append(missing, "-"+n)
		}
	}
	if len(missing) > 0 {
		return errors.New("必须指定 " + strings.Join(missing, "、"))
	}
	return nil
}

// onlyFor refuses a flag given to a verb that does not read it: a
// command's verbs share one flag set, so that a flag only another verb
// reads would be ignored ("records quality -entry E" scored every entry).
// readers maps a flag's name to the verbs that read it; a flag it does not
// name is read by every verb.
func onlyFor(fs *flag.FlagSet, verb string, readers map[string][]string) error {
	cmd, _, _ := strings.Cut(fs.Name(), " ")
	var err error
	fs.Visit(func(f *flag.Flag) {
		if verbs, ok := readers[f.Name]; ok && err == nil && !slices.Contains(verbs, verb) {
			err = fmt.Errorf("-%s 只用于 %s %s（用法见 hutong %s -h）", f.Name, cmd, strings.Join(verbs, "、"), fs.Name())
		}
	})
	return err
}
