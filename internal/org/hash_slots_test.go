package org_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
)

// hashHold has every password hash of the test wait, holding its slot,
// until release is called, and counts the hashes running and waiting for
// a slot, the logins waiting to be admitted, and the ends the test tells
// it of (ended).
type hashHold struct {
	mu                    sync.Mutex
	cond                  *sync.Cond
	running, waiting, end int
	peak                  int // the most hashes that ran at once
	gate                  chan struct{}
	once                  sync.Once
}

func holdHashes(t *testing.T) *hashHold {
	h := &hashHold{gate: make(chan struct{})}
	h.cond = sync.NewCond(&h.mu)
	org.SetHashHooks(t, func() {
		h.mu.Lock()
		h.waiting++
		h.cond.Broadcast()
		h.mu.Unlock()
	}, func() {
		h.mu.Lock()
		h.running++
		h.peak = max(h.peak, h.running)
		h.cond.Broadcast()
		h.mu.Unlock()
		<-h.gate
		h.mu.Lock()
		h.running--
		h.mu.Unlock()
	})
	org.SetAdmitWaits(t, func() {
		h.mu.Lock()
		h.waiting++
		h.cond.Broadcast()
		h.mu.Unlock()
	})
	t.Cleanup(h.release)
	return h
}

// arrived returns once n hashes have run or waited, logins waited to be
// admitted, or ended without either, all told.
func (h *hashHold) arrived(n int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for h.running+h.waiting+h.end < n {
		h.cond.Wait()
	}
}

// ended counts something the test started that ended without a hash.
func (h *hashHold) ended() {
	h.mu.Lock()
	h.end++
	h.cond.Broadcast()
	h.mu.Unlock()
}

// release lets the hashes held and all after them run.
func (h *hashHold) release() { h.once.Do(func() { close(h.gate) }) }

func (h *hashHold) most() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak
}

// TestHashSlotsBound: however many password hashes are asked for at once
// (each takes 19 MiB), at most HashSlots run; the others wait for a slot
// and then run, each right. All were hashed at once: the hashes are held
// until every one has arrived, so that without the bound all n would run
// together, and any n beyond HashSlots tells. Twice HashSlots and two
// more leave as many waiting as running, whatever the processors.
func TestHashSlotsBound(t *testing.T) {
	n := 2*org.HashSlots() + 2
	hold := holdHashes(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var wrong atomic.Int32
	for i := range n {
		wg.Go(func() {
			if i%2 == 0 {
				if h, err := org.HashPassword(ctx, "Secret-Pass-1"); err != nil || h == "" {
					wrong.Add(1)
				}
				return
			}
			if ok, err := org.CheckPassword(ctx, dummy, "Secret-Pass-1"); err != nil || !ok {
				wrong.Add(1)
			}
		})
	}
	hold.arrived(n)
	hold.release()
	wg.Wait()
	if m := hold.most(); m > org.HashSlots() {
		t.Errorf("%d hashes ran at once, want at most %d", m, org.HashSlots())
	}
	if wrong.Load() != 0 {
		t.Errorf("%d hashes failed or were wrong", wrong.Load())
	}
}

// TestHashSlotWaitEnds: a hash waiting for a slot while all are taken
// stops waiting when its request's context ends (its client has gone),
// with the context's error, and takes no slot.
func TestHashSlotWaitEnds(t *testing.T) {
	hold := holdHashes(t)
	var wg sync.WaitGroup
	for range org.HashSlots() {
		wg.Go(func() {
			if _, err := org.HashPassword(context.Background(), "Secret-Pass-1"); err != nil {
				t.Error(err)
			}
		})
	}
	hold.arrived(org.HashSlots())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := org.CheckPassword(ctx, dummy, "Secret-Pass-1")
		done <- err
	}()
	hold.arrived(org.HashSlots() + 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a hash waiting for a slot, its context cancelled: %v, want context.Canceled", err)
	}
	hold.release()
	wg.Wait()
}

// dummy is a hash of "Secret-Pass-1", made once before any test holds
// the hashes.
var dummy = func() string {
	h, err := org.HashPassword(context.Background(), "Secret-Pass-1")
	if err != nil {
		panic(err)
	}
	return h
}()
