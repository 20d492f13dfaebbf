package pricing

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// snapshots keeps one Snapshot per county (issue 18). Each county has its
// own tariffs, carriers, merchants and certificates; the database shows a
// connection only its county's rows, so a snapshot is loaded with the
// county of the context that asks for it and is only ever handed to that
// county. A change reloads its own county's snapshot and leaves the
// others as they are.
type snapshots struct {
	mu sync.Mutex // guards by
	by map[string]*countySnapshot
}

// countySnapshot is one county's current snapshot.
type countySnapshot struct {
	snap atomic.Pointer[Snapshot]
	mu   sync.Mutex // one reload at a time
}

// snapshotCounty is the county whose tariffs ctx works with: its county,
// the install's own when it names none (as the database pool does, so the
// key always matches the rows loaded). A province-wide context has no
// tariffs of its own.
func snapshotCounty(ctx context.Context) (string, error) {
	switch c := tenant.From(ctx); c {
	case "":
		return tenant.Default(), nil
	case tenant.Province:
		return "", errs.Field("county", "prices belong to one county; a province administrator names it with the Tongpei-County header")
	default:
		return c, nil
	}
}

// of is county's entry, made on first use.
func (ss *snapshots) of(county string) *countySnapshot {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.by == nil {
		ss.by = map[string]*countySnapshot{}
	}
	c, ok := ss.by[county]
	if !ok {
		c = &countySnapshot{}
		ss.by[county] = c
	}
	return c
}

// Snapshot is the current in-memory state of ctx's county, reloaded when
// older than MaxAge. When many requests find it stale at once, one reloads
// and the others take its result.
func (s *Service) Snapshot(ctx context.Context) (*Snapshot, error) {
	county, err := snapshotCounty(ctx)
	if err != nil {
		return nil, err
	}
	c := s.snaps.of(county)
	if p := c.snap.Load(); p != nil && time.Since(p.LoadedAt) < s.MaxAge {
		return p, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.snap.Load(); p != nil && time.Since(p.LoadedAt) < s.MaxAge {
		return p, nil
	}
	return s.reload(ctx, county, c)
}

// Reload reads ctx's county's pricing tables again and installs the new
// snapshot for that county.
func (s *Service) Reload(ctx context.Context) (*Snapshot, error) {
	county, err := snapshotCounty(ctx)
	if err != nil {
		return nil, err
	}
	c := s.snaps.of(county)
	c.mu.Lock()
	defer c.mu.Unlock()
	return s.reload(ctx, county, c)
}

func (s *Service) reload(ctx context.Context, county string, c *countySnapshot) (*Snapshot, error) {
	// the pool gives the connection the county of its context: name it,
	// so that the rows read are the key's even when ctx named none
	snap, err := load(tenant.With(ctx, county), s.st.pool)
	if err != nil {
		return nil, pg.Err(err, "the pricing tables")
	}
	snap.County = county
	c.snap.Store(snap)
	return snap, nil
}
