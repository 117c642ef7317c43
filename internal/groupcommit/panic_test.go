package groupcommit_test

import (
	"context"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/groupcommit"
)

// TestPanicHandsOn runs a round that panics: its leader's call panics
// again, so that its request is answered as any panic is, every other
// call of the round panics too instead of waiting for ever, and later
// calls for the key run in rounds of their own.
func TestPanicHandsOn(t *testing.T) {
	release := make(chan struct{})
	held := make(chan struct{})
	first := true
	g := groupcommit.New(0, time.Minute, func(_ context.Context, _ string, items []int) []int {
		if first {
			first = false
			close(held)
			<-release
		}
		out := make([]int, len(items))
		for i, v := range items {
			if v < 0 {
				panic("bad item")
			}
			out[i] = v * 10
		}
		return out
	})
	// do runs a call and reports its result, or that it panicked.
	do := func(item int) <-chan any {
		ch := make(chan any, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					ch <- p
				}
			}()
			ch <- g.Do("a", item)
		}()
		return ch
	}
	// await fails the test rather than hang: a call that never returns is
	// the defect, not a slow machine.
	await := func(what string, ch <-chan any) any {
		t.Helper()
		select {
		case v := <-ch:
			return v
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no answer", what)
			return nil
		}
	}

	leader := do(0)
	<-held
	// The first round holds; these queue, and the next round takes them
	// all and panics on -1.
	var queued []<-chan any
	for _, item := range []int{-1, 2, 3} {
		queued = append(queued, do(item))
		for _, waiting := g.Queue("a"); waiting < len(queued); _, waiting = g.Queue("a") {
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	if got := await("leader of the first round", leader); got != 0 {
		t.Errorf("leader of the first round got %v, want 0", got)
	}
	for i, ch := range queued {
		if got := await("call of the round that panicked", ch); got == nil {
			t.Errorf("call %d of the round that panicked: got nil, want a panic", i)
		} else if _, ok := got.(int); ok {
			t.Errorf("call %d of the round that panicked got %v, want a panic", i, got)
		}
	}

	later := make([]<-chan any, 5)
	for i := range later {
		later[i] = do(i + 1)
	}
	for i, ch := range later {
		if got := await("call after the panic", ch); got != (i+1)*10 {
			t.Errorf("call %d after the panic got %v, want %d", i, got, (i+1)*10)
		}
	}
	if leading, waiting := g.Queue("a"); leading || waiting != 0 {
		t.Errorf("after the last round: leading %v, %d waiting", leading, waiting)
	}
}
