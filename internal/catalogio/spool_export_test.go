package catalogio

import (
	"context"
	"io"
	"os"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// ExportTo is Export with the temporary file of CSV and JSON lines from
// create.
func ExportTo(ctx context.Context, db *sqldb.DB, by catalog.Actor, w io.Writer, f Format, opt ExportOptions,
	create func() (*os.File, error)) (int, error) {
	return export(ctx, db, by, w, f, opt, create)
}
