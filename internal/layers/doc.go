// Package layers holds only a test: it keeps the direction of imports honest
// (STYLE.md rule 1) by failing the build's tests when a domain package reaches
// for HTTP, the optimiser for anything outside the standard library, or
// product code for a test helper.
package layers
