package groupcommit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/groupcommit"
)

// TestWaitBoundedFromQueueing: rounds that never end by themselves (run
// returns when its context ends) and callers queued behind a running
// round, more of them than a round takes: each call returns within the
// Group's timeout of queueing (and the little run takes to return), where
// it waited for every round ahead of it and then a whole round of its own.
func TestWaitBoundedFromQueueing(t *testing.T) {
	const timeout, slack, queued = 800 * time.Millisecond, 400 * time.Millisecond, 3
	started := make(chan struct{}, queued+1)
	g := groupcommit.New(1, timeout, func(ctx context.Context, _ string, items []int) []int {
		started <- struct{}{}
		<-ctx.Done()
		return make([]int, len(items))
	})
	var wg sync.WaitGroup
	wg.Go(func() { g.Do("a", 0) })
	<-started
	time.Sleep(timeout / 4)
	for i := range queued {
		wg.Go(func() {
			at := time.Now()
			g.Do("a", i+1)
			if waited := time.Since(at); waited > timeout+slack {
				t.Errorf("call %d queued behind a running round waited %v, want at most %v", i+1, waited, timeout)
			}
		})
	}
	wg.Wait()
}

// TestExpiredCallsRoundAlone: a call whose deadline passed while it
// queued (behind a run slow to return) is run in a round of its own,
// whose context has ended, and does not end the round of a call queued
// later whose deadline has not.
func TestExpiredCallsRoundAlone(t *testing.T) {
	const timeout = 300 * time.Millisecond
	var mu sync.Mutex
	var rounds [][]int
	var live []bool
	slow, started := make(chan struct{}), make(chan struct{})
	g := groupcommit.New(0, timeout, func(ctx context.Context, _ string, items []int) []int {
		mu.Lock()
		rounds = append(rounds, items)
		live = append(live, ctx.Err() == nil)
		mu.Unlock()
		if items[0] == 0 {
			close(started)
			<-slow // a run that does not heed its context
		}
		return make([]int, len(items))
	})
	var wg sync.WaitGroup
	wg.Go(func() { g.Do("a", 0) })
	<-started
	wg.Go(func() { g.Do("a", 1) })
	time.Sleep(timeout + timeout/2) // call 1's deadline passes
	wg.Go(func() { g.Do("a", 2) })
	for _, waiting := g.Queue("a"); waiting < 2; _, waiting = g.Queue("a") {
		time.Sleep(time.Millisecond)
	}
	close(slow)
	wg.Wait()
	if len(rounds) != 3 || len(rounds[1]) != 1 || rounds[1][0] != 1 || live[1] || len(rounds[2]) != 1 || rounds[2][0] != 2 || !live[2] {
		t.Errorf("rounds %v, their context live at the start %v; want [[0] [1] [2]], the expired call 1's round ended, call 2's live",
			rounds, live)
	}
}
