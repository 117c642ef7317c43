package ident

// CitizenIDAt is CitizenID with "now" fixed, for tests.
var CitizenIDAt = citizenID

// DetectAt is Detect with "now" fixed, for tests.
var DetectAt = detect
