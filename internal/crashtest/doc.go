// Package crashtest holds only tests: they build the hutong binary, run
// `hutong serve` as a child process on each engine, drive it with
// concurrent creating requests of every workload in turn (departments,
// record batches, records pushed one at a time), kill it with SIGKILL at
// random moments, restart it, retry every request not answered with its
// Idempotency-Key, and check that nothing acknowledged was lost, nothing
// was half-applied or duplicated, and the audit chain still verifies.
//
// go test ./internal/crashtest runs 50 kill points per engine;
// HUTONG_CRASH_KILLS=500 runs more.
//
// To cover a new capability, add a workload (workloads_test.go): how to
// build its n-th creating request, which replies acknowledge it, and how
// to check afterwards that each acknowledged one is stored completely,
// once, with its audit rows.
package crashtest
