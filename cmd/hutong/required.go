package main

import (
	"errors"
	"flag"
	"strings"
)

// required reports the first of the named flags that was left empty (or
// 0), as "-name is required", so that a forgotten flag is not looked up
// as an empty name or id ("部门不存在：", "应用不存在"). Arguments left
// after the flags are refused too: they are usually a value whose flag was
// forgotten ("app show 3").
func required(fs *flag.FlagSet, names ...string) error {
	var missing []string
	for _, n := range names {
		if v := fs.Lookup(n).Value.String(); v == "" || v == "0" {
			missing = append(missing, "-"+n)
		}
	}
	switch {
	case fs.NArg() > 0:
		return errors.New("unexpected argument " + fs.Arg(0) + " (values are given with their flags, as -id 3)")
	case len(missing) == 1:
		return errors.New(missing[0] + " is required")
	case len(missing) > 1:
		return errors.New(strings.Join(missing, ", ") + " are required")
	}
	return nil
}
