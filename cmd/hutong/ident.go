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
codes (统一社会信用代码, GB 32100) and organisation codes (组织机构代码,
GB 11714). The kind of each VALUE is detected from its length and shape;
15-digit citizen IDs are upgraded to 18 digits. For each value the command
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
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("ident: no value given")
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

// writeIdent formats one result as aligned "label: value" lines.
func writeIdent(b *strings.Builder, r ident.Result, err error) {
	line := func(label, value string) { fmt.Fprintf(b, "%-12s%s\n", label+":", value) }
	line("input", r.Input)
	line("kind", fmt.Sprintf("%s (%s)", r.Kind.Label(), r.Kind))
	if err != nil {
		line("normalized", "-")
		line("status", "无效 (invalid)")
		reason := err.Error()
		if e := errs.As(err); e != nil {
			reason = e.Message
		}
		line("reason", reason)
		return
	}
	line("normalized", r.Normalized)
	if p := r.Printed(); p != r.Normalized {
		line("printed", p)
	}
	line("status", "有效 (valid)")
	if r.Kind == ident.KindCitizenID {
		sex := "女 (female)"
		if r.Male {
			sex = "男 (male)"
		}
		line("birth", r.Birth.Format("2006-01-02")+", "+sex)
	}
	if r.Upgraded {
		line("note", "由15位旧号码升级为18位 (upgraded from 15 digits)")
	}
	for _, w := range r.Warnings {
		line("warning", w)
	}
}
