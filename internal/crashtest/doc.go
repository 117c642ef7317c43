// Package crashtest holds only tests: they build the hutong binary, run
// `hutong serve` as a child process on each engine, drive it with
// concurrent creating requests of every workload in turn (departments,
// record batches, records pushed one at a time) and audited reads of the
// records pushed, kill it with SIGKILL at random moments, restart it,
// retry every request not answered with its Idempotency-Key, and check
// that nothing acknowledged was lost, nothing was half-applied or
// duplicated, every read answered has its audit row (data is never
// served before its audit row is durable), and the audit chain still
// verifies. Two runs in three at least must have acknowledged requests of
// each workload, and half answered reads, before their kill, so that the
// kill points test the load. Only a read the kill cuts off (no reply, or
// part of one) goes unchecked: a reply that arrives whole comes from a
// running server, and a 5xx one fails the test. Each run killed must end
// by SIGKILL, the last, stopped with SIGTERM, must exit 0, and the
// server's log must report no panic.
//
// go test ./internal/crashtest runs 50 kill points per engine;
// HUTONG_CRASH_KILLS=500 runs more. The test logs the seed of the kill
// schedule; HUTONG_CRASH_SEED replays it.
//
// To cover a new capability, add a workload (workloads_test.go): how to
// build its n-th creating request, which replies acknowledge it, and how
// to check afterwards that each acknowledged one is stored completely,
// once, with its audit rows.
package crashtest
