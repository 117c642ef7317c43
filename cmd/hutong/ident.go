package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
)

const identUsage = `Usage: hutong ident [-lenient] VALUE...

Validate citizen ID numbers (公民身份号码, GB 11643), unified social credit
codes (统一社会信用代码, GB 32100), organisation codes (组织机构代码,
GB 11714) and business registration numbers (工商注册号, GS15-2006). The
kind of each VALUE is detected from its length and shape; 15 digits are a
legacy citizen ID, upgraded to 18 digits, unless their province and birth
date are no citizen ID's and their registration check digit is right;
18 digits are a citizen ID (the foreign permanent resident ID card of 2023,
first digit 9, among them) unless their province, birth date (1900 to
today) or check digit are no citizen ID's and their credit code check
character is right. Each VALUE is trimmed, its full-width digits, letters
and hyphen (４４０６…, as a Chinese input method types them) read as
ASCII, and upper-cased. For each value the command
prints its kind, normalised form, and whether it is valid, with the reason
or any warnings. The exit status is non-zero if any value is invalid;
warnings alone leave it zero.

Flags:
`

// cmdIdent validates each argument as an identifier and prints a report. It
// returns errInvalidInput if any value is invalid.
func cmdIdent(ctx context.Context, env *env, args []string) error {
	fs := flag.NewFlagSet("ident", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	lenient := fs.Bool("lenient", false, "accept a unified social credit code with a wrong check character, with a warning")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), identUsage)
		fs.PrintDefaults()
	}
	if err := parseArgs(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("请给出要校验的号码，如 hutong ident 11010519491231002X")
	}
	mode := ident.Strict
	if *lenient {
		mode = ident.Lenient
	}

	invalid := false
	for i, v := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := ident.Validate(v, mode)
		if err != nil {
			invalid = true
		}
		var b strings.Builder
		if i > 0 {
			b.WriteByte('\n')
		}
		writeIdent(&b, r, err)
		if _, err := io.WriteString(env.Stdout, b.String()); err != nil {
			return err
		}
	}
	if invalid {
		return errInvalidInput
	}
	return nil
}

// writeIdent formats one result as aligned "标签：值" lines.
func writeIdent(b *strings.Builder, r ident.Result, err error) {
	line := func(label, value string) { fmt.Fprintf(b, "%s%s\n", padRight(label+"：", 12), value) }
	line("输入", r.Input)
	line("类型", r.Kind.Label())
	if err != nil {
		line("规范形式", "-")
		line("状态", "无效")
		reason := err.Error()
		if e := errs.As(err); e != nil {
			reason = e.Message
		}
		line("原因", reason)
		return
	}
	line("规范形式", r.Normalized)
	if p := r.Printed(); p != r.Normalized {
		line("证照形式", p)
	}
	line("状态", "有效")
	if r.Kind == ident.KindCitizenID {
		sex := "女"
		if r.Male {
			sex = "男"
		}
		line("出生日期", r.Birth.Format("2006-01-02")+"，"+sex)
	}
	if r.Upgraded {
		line("说明", "由15位旧号码升级为18位")
	}
	for _, w := range r.Warnings {
		line("警告", w)
	}
}
