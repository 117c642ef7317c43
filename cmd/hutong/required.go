package main

import (
	"errors"
	"flag"
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
