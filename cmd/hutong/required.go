package main

import (
	"errors"
	"flag"
	"strings"
)

// required reports the named flags that were left empty (or 0), as
// "必须指定 -name", so that a forgotten flag is not looked up
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
		return errors.New("多余的参数 " + fs.Arg(0) + "（值要跟在参数名之后，如 -id 3）")
	case len(missing) > 0:
		return errors.New("必须指定 " + strings.Join(missing, "、"))
	}
	return nil
}
