package pricing

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// Snapshot is every pricing table in memory: all versions of zonings,
// baselines, bands and cards (history is small), the certifications and the
// carriers of one county. Quoting reads only a snapshot, so a quote costs
// no database round trip; the service swaps in a new snapshot after every
// change. A snapshot is never modified once built.
type Snapshot struct {
	zonings   []*Zoning
	baselines map[string][]*Baseline // carrier ("" county-wide) -> by effective_from
	bands     []*BandSet
	cards     map[string][]*RateCard
	carriers  []CarrierInfo // sorted by code
	certs     map[string][]*Certificate
	merchants map[string]merchantInfo
	LoadedAt  time.Time
	County    string // whose tables these are (GB/T 2260)
}

// CarrierInfo is what pricing needs of a registered carrier.
type CarrierInfo struct {
	Code   string
	Name   string
	Kind   string
	Active bool
}

// inForce is the last element whose effective instant is not after t, for a
// list sorted by effective instant (ties: the later version wins).
func inForce[T any](list []T, t time.Time, eff func(T) time.Time) (T, bool) {
	i := sort.Search(len(list), func(i int) bool { return eff(list[i]).After(t) })
	if i == 0 {
		var zero T
		return zero, false
	}
	return list[i-1], true
}

// ZoningAt is the zoning in force at t.
func (s *Snapshot) ZoningAt(t time.Time) (*Zoning, bool) {
	return inForce(s.zonings, t, func(z *Zoning) time.Time { return z.EffectiveFrom })
}

// BandsAt is the band set in force at t.
func (s *Snapshot) BandsAt(t time.Time) (*BandSet, bool) {
	return inForce(s.bands, t, func(b *BandSet) time.Time { return b.EffectiveFrom })
}

// BaselineAt is the carrier's own baseline in force at t, else the
// county-wide one; carrier "" asks for the county-wide one only.
func (s *Snapshot) BaselineAt(carrier string, t time.Time) (*Baseline, bool) {
	eff := func(b *Baseline) time.Time { return b.EffectiveFrom }
	if carrier != "" {
		if b, ok := inForce(s.baselines[carrier], t, eff); ok {
			return b, true
		}
	}
	return inForce(s.baselines[""], t, eff)
}

// BaselinesAt is every baseline in force at t: the county-wide one and each
// carrier's own, the set a farm-produce band must beat by 10 %.
func (s *Snapshot) BaselinesAt(t time.Time) []*Baseline {
	var out []*Baseline
	for _, carrier := range sortedKeys(s.baselines) {
		if b, ok := inForce(s.baselines[carrier], t, func(b *Baseline) time.Time { return b.EffectiveFrom }); ok {
			out = append(out, b)
		}
	}
	return out
}

// CardAt is the carrier's rate card in force at t.
func (s *Snapshot) CardAt(carrier string, t time.Time) (*RateCard, bool) {
	return inForce(s.cards[carrier], t, func(c *RateCard) time.Time { return c.EffectiveFrom })
}

// Cards is a carrier's card history, newest first.
func (s *Snapshot) Cards(carrier string) []*RateCard {
	out := slices.Clone(s.cards[carrier])
	slices.Reverse(out)
	return out
}

// Carrier is a registered carrier.
func (s *Snapshot) Carrier(code string) (CarrierInfo, bool) {
	i, ok := slices.BinarySearchFunc(s.carriers, code, func(c CarrierInfo, code string) int {
		return strings.Compare(c.Code, code)
	})
	if !ok {
		return CarrierInfo{}, false
	}
	return s.carriers[i], true
}

// merchantInfo is what pricing needs of a registered firm.
type merchantInfo struct{ registered, active bool }

// KnowsMerchant reports a merchant the snapshot has seen.
func (s *Snapshot) KnowsMerchant(id string) bool {
	_, ok := s.merchants[id]
	return ok
}

// Certificates is a merchant's records, newest first.
func (s *Snapshot) Certificates(id string) []*Certificate { return s.certs[id] }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// sortVersions orders every history by effective instant, then version, as
// inForce expects.
func (s *Snapshot) sortVersions() {
	slices.SortStableFunc(s.zonings, func(a, b *Zoning) int {
		return cmpTimeThen(a.EffectiveFrom, b.EffectiveFrom, a.Version, b.Version)
	})
	slices.SortStableFunc(s.bands, func(a, b *BandSet) int {
		return cmpTimeThen(a.EffectiveFrom, b.EffectiveFrom, a.Version, b.Version)
	})
	for _, l := range s.baselines {
		slices.SortStableFunc(l, func(a, b *Baseline) int {
			return cmpTimeThen(a.EffectiveFrom, b.EffectiveFrom, a.Version, b.Version)
		})
	}
	for _, l := range s.cards {
		slices.SortStableFunc(l, func(a, b *RateCard) int {
			return cmpTimeThen(a.EffectiveFrom, b.EffectiveFrom, int64(a.Version), int64(b.Version))
		})
	}
	slices.SortFunc(s.carriers, func(a, b CarrierInfo) int { return strings.Compare(a.Code, b.Code) })
}

func cmpTimeThen(a, b time.Time, va, vb int64) int {
	if c := a.Compare(b); c != 0 {
		return c
	}
	return int(min(max(va-vb, -1), 1))
}
