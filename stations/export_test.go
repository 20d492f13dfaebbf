package stations

import "time"

// SetClock makes the server's clock now, for tests that need scans stored
// at a given instant (a month's last second, the next month's first).
func (c *Custody) SetClock(now func() time.Time) { c.now = now }
