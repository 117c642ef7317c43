package ident

// CitizenIDAt is CitizenID with "now" fixed, for tests.
var CitizenIDAt = citizenID
