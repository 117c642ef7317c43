package records

import (
	"io"
	"os"
)

// SpoolTo is Spool with its temporary file from create.
func SpoolTo(r io.Reader, create func() (*os.File, error)) (*Spooled, error) {
	return spool(r, create)
}
