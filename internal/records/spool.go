package records

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Spooled is a batch's body held in a temporary file until it has arrived
// whole, with its digest for Options.Digest. A batch is applied in one
// transaction, which on SQLite holds the one writer: read from the
// network, a slow or stalled sender would hold every other write, and
// every audited read, as long as it sends.
type Spooled struct {
	*os.File
	Digest string // SHA-256, hex
	Size   int64
}

// Spool copies r to a temporary file. The caller closes the Spooled,
// which removes the file.
func Spool(r io.Reader) (*Spooled, error) {
	f, err := os.CreateTemp("", "hutong-batch-*")
	if err != nil {
		return nil, fmt.Errorf("spool batch: %w", err)
	}
	s := &Spooled{File: f}
	h := sha256.New()
	if s.Size, err = io.Copy(io.MultiWriter(f, h), r); err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		return nil, errors.Join(err, s.Close())
	}
	s.Digest = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// Rewind puts the file back at its start, to read the batch again.
func (s *Spooled) Rewind() error {
	_, err := s.Seek(0, io.SeekStart)
	return err
}

// Close closes and removes the file.
func (s *Spooled) Close() error {
	return errors.Join(s.File.Close(), os.Remove(s.Name()))
}

// retries bounds how often a spooled batch is applied again after a
// deadlock.
const retries = 3

// IngestSpooled applies a spooled batch as Ingest does, read by read
// (JSONLines or CSV), with the body's digest. When PostgreSQL aborts the
// transaction for a deadlock with another writer (two entries carrying
// the same facts check each other's records), the batch is read again
// from its start and applied again.
func IngestSpooled(ctx context.Context, db *sqldb.DB, by Pusher, entryID int64, body *Spooled, read func(io.Reader) Source,
	now time.Time, opt Options) (BatchResult, error) {
	opt.Digest = body.Digest
	for try := 1; ; try++ {
		res, err := Ingest(ctx, db, by, entryID, read(body), now, opt)
		if try == retries || !sqldb.IsRetryable(err) {
			return res, err
		}
		if err := body.Rewind(); err != nil {
			return res, err
		}
	}
}
